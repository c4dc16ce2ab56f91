import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { CHECKED_ON, supportProblems } from './support/eks-versions';
import { K8S_DIR, REPO_DIR, render } from './support/render';
import { needing } from '../../scripts/lib/test-deps';

const describe = needing(['kubectl']);

/** Every manifest and kustomization under k8s/ (tests and their fixtures aside). */
const manifests = readdirSync(K8S_DIR, { recursive: true, encoding: 'utf8' })
  .filter((f) => f.endsWith('.yaml') && !f.startsWith('test'))
  .map((f) => ({ file: `k8s/${f}`, text: readFileSync(path.join(K8S_DIR, f), 'utf8') }));
const deployDoc = {
  file: 'docs/deploy.md',
  text: readFileSync(path.join(REPO_DIR, 'docs', 'deploy.md'), 'utf8'),
};

/** Kubernetes minor versions a text names: "Kubernetes 1.35", "≥ 1.30", "enforce-version: v1.35". */
function versionsNamed(text: string): string[] {
  return [...text.matchAll(/(?:Kubernetes\W{1,4}|enforce-version: v|EKS\W{1,4})(1\.\d{2})\b/g)].map(
    (m) => m[1],
  );
}

describe('the Kubernetes version the manifests are written for', () => {
  /** The version the namespaces pin their Pod Security Standard to: the cluster's version. */
  const target = ['overlays/prod', 'overlays/test', 'overlays/local']
    .flatMap((dir) => render(dir).filter((o) => o.kind === 'Namespace'))
    .map((o) => o.metadata.labels?.['pod-security.kubernetes.io/enforce-version']);

  it('when the namespaces are read, then they pin one version, in EKS standard support with at least 90 days left', () => {
    expect(new Set(target).size).toBe(1);
    const version = String(target[0]).replace(/^v/, '');
    expect(supportProblems(version, CHECKED_ON, 90)).toEqual([]);
  });

  it('when k8s/ and docs/deploy.md are read, then every Kubernetes version they name is that one', () => {
    const version = String(target[0]).replace(/^v/, '');
    const named = [...manifests, deployDoc].flatMap(({ file, text }) =>
      versionsNamed(text).map((v) => `${file}: ${v}`),
    );
    expect(named.length).toBeGreaterThan(0);
    expect(named.filter((n) => !n.endsWith(`: ${version}`))).toEqual([]);
  });

  it('when a version has left standard support, or is about to, then it is refused', () => {
    expect(supportProblems('1.32', CHECKED_ON, 90)).toEqual([
      'Kubernetes 1.32 left EKS standard support on 2026-03-23',
    ]);
    expect(supportProblems('1.34', '2026-11-01', 90)).toEqual([
      'Kubernetes 1.34 leaves EKS standard support on 2026-12-02, 31 days after 2026-11-01',
    ]);
    expect(supportProblems('1.40', CHECKED_ON, 90)).toEqual([
      'Kubernetes 1.40 is not in the recorded EKS calendar',
    ]);
    expect(versionsNamed('Needs Kubernetes ≥ 1.30.\nenforce-version: v1.35')).toEqual([
      '1.30',
      '1.35',
    ]);
  });
});
