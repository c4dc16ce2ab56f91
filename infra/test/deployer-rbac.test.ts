import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { loadTerraform } from './lib/terraform-policy';

/**
 * The deployer (the pipeline's role, Kubernetes group tradepost:deployer) has no EKS access
 * policy: its rights are the Role in infra/terraform/envs/addons/deployer-rules.json, bound
 * in each app namespace. That Role must cover every kind the overlays apply (or the deploy
 * is refused), and grant nothing the scripts do not use.
 */
const REPO = join(__dirname, '..', '..');
const TERRAFORM = join(REPO, 'infra', 'terraform');
const RULES_FILE = join(TERRAFORM, 'envs', 'addons', 'deployer-rules.json');
/** What scripts/ci/deploy.sh and migrate.sh apply: the overlays and the canary. */
const APPLIED = ['k8s/overlays/prod', 'k8s/overlays/test', 'k8s/canary'];
/** Cluster-scoped, created by envs/addons; deploy.sh leaves it out. */
const NOT_DEPLOYED = new Set(['Namespace']);
const APPLY_VERBS = ['get', 'create', 'patch'];

interface Rule {
  apiGroups: string[];
  resources: string[];
  verbs: string[];
}
interface Deployer {
  group: string;
  rules: Rule[];
  readOnly: Record<string, string>;
}

const deployer = JSON.parse(readFileSync(RULES_FILE, 'utf8')) as Deployer;

/** Kind → plural resource name, the way the API server names the kinds used here. */
function resourceOf(kind: string): string {
  const lower = kind.toLowerCase();
  return lower.endsWith('y') ? `${lower.slice(0, -1)}ies` : `${lower}s`;
}

function appliedKinds(): { group: string; kind: string; resource: string }[] {
  const seen = new Map<string, { group: string; kind: string; resource: string }>();
  for (const dir of APPLIED) {
    const out = execFileSync('kubectl', ['kustomize', join(REPO, dir)], { encoding: 'utf8' });
    for (const doc of parseAllDocuments(out)) {
      const obj = doc.toJS() as { apiVersion?: string; kind?: string } | null;
      if (!obj?.apiVersion || !obj.kind || NOT_DEPLOYED.has(obj.kind)) continue;
      const group = obj.apiVersion.includes('/') ? obj.apiVersion.split('/')[0] : '';
      seen.set(`${group}/${obj.kind}`, { group, kind: obj.kind, resource: resourceOf(obj.kind) });
    }
  }
  return [...seen.values()];
}

/** Kinds the rules do not let the deployer apply (get, create and patch). */
function uncovered(rules: Rule[], kinds: { group: string; kind: string; resource: string }[]) {
  return kinds
    .filter(
      ({ group, resource }) =>
        !APPLY_VERBS.every((verb) =>
          rules.some(
            (r) =>
              r.apiGroups.includes(group) &&
              r.resources.includes(resource) &&
              r.verbs.includes(verb),
          ),
        ),
    )
    .map(({ group, kind }) => `${group || 'core'}/${kind}`);
}

describe('Deployer RBAC', () => {
  const kinds = appliedKinds();

  it('when the overlays are rendered, then every kind they apply is granted to the deployer', () => {
    expect(kinds.map((k) => k.kind)).toEqual(
      expect.arrayContaining(['Deployment', 'ExternalSecret', 'PodMonitor', 'PrometheusRule']),
    );
    expect(uncovered(deployer.rules, kinds)).toEqual([]);
  });

  it('when the Role is read, then it grants nothing beyond the applied kinds and the documented reads', () => {
    const applied = new Set(kinds.map((k) => k.resource));
    const extra = deployer.rules
      .flatMap((r) => r.resources)
      .filter((res) => !applied.has(res) && !(res in deployer.readOnly));
    expect(extra).toEqual([]);
    const all = deployer.rules.flatMap((r) => [...r.apiGroups, ...r.resources, ...r.verbs]);
    expect(all).not.toContain('*');
    expect(deployer.rules.flatMap((r) => r.resources)).not.toContain('secrets');
    for (const res of Object.keys(deployer.readOnly)) {
      const verbs = deployer.rules.filter((r) => r.resources.includes(res)).flatMap((r) => r.verbs);
      expect({ res, verbs: verbs.filter((v) => !['get', 'list', 'watch'].includes(v)) }).toEqual({
        res,
        verbs: [],
      });
    }
  });

  it('when a kind is missing from the Role, then the check names it', () => {
    const withoutMonitoring = deployer.rules.filter(
      (r) => !r.apiGroups.includes('monitoring.coreos.com'),
    );
    expect(uncovered(withoutMonitoring, kinds)).toEqual(
      expect.arrayContaining([
        'monitoring.coreos.com/PodMonitor',
        'monitoring.coreos.com/PrometheusRule',
      ]),
    );
  });

  it('when the access entry is read, then the deployer gets its group and no EKS access policy', async () => {
    const files = await loadTerraform(TERRAFORM);
    const cluster = files.filter((f) => f.rel.startsWith('modules/cluster/'));
    const text = cluster.map((f) => f.text).join('\n');
    expect(text).not.toMatch(/AmazonEKS(Edit|Admin)Policy/);
    expect(text).toMatch(/kubernetes_groups\s*=\s*\[var\.deployer_kubernetes_group\]/);
    const prod = files.find((f) => f.rel === 'envs/prod/main.tf');
    expect(prod?.text).toContain(`deployer_kubernetes_group = "${deployer.group}"`);
    expect(deployer.group).toBe('tradepost:deployer');
    const addons = files.find((f) => f.rel === 'envs/addons/kubernetes.tf');
    expect(addons?.text).toContain('deployer-rules.json');
  });
});
