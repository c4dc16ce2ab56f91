import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { nginxContainer, renderedNginx } from './support/edge';
import { K8S_DIR, parseManifests, render, renderProdWithCanary, REPO_DIR } from './support/render';
import type { DeploymentSpec, K8sObject, ServiceSpec } from './support/types';
import { deployments, selects } from './support/workloads';
import { needing } from '../../scripts/lib/test-deps';

const describe = needing(['kubectl']);

const get = (objects: K8sObject[], kind: string, name: string) =>
  objects.find((o) => o.kind === kind && o.metadata.name === name)!;

describe('the frontend canary (k8s/canary)', () => {
  const canary = render('canary');
  const prod = renderProdWithCanary();
  const podTemplate = (name: string) =>
    (get(prod, 'Deployment', name).spec as unknown as DeploymentSpec).template;

  it('when its files are read, then it is a small overlay of the stable frontend, not a copy', () => {
    const files = readdirSync(path.join(K8S_DIR, 'canary'), { recursive: true, encoding: 'utf8' })
      .filter((f) => f.endsWith('.yaml'))
      .map((f) => readFileSync(path.join(K8S_DIR, 'canary', f), 'utf8'));
    expect(files.join('\n').split('\n').length).toBeLessThan(80);
    expect(files.some((text) => /^kind: Deployment$/m.test(text))).toBe(false);
    // Everything but the image and the track label is the stable pod, as rendered.
    const stable = structuredClone(podTemplate('frontend'));
    const trial = structuredClone(podTemplate('frontend-canary'));
    for (const t of [stable, trial]) {
      delete t.metadata?.labels?.['tradepost.io/track'];
      t.spec.containers[0].image = 'image';
      (t.spec as { topologySpreadConstraints?: unknown }).topologySpreadConstraints = undefined;
    }
    expect(trial).toEqual(stable);
  });

  it('when rendered beside production, then each Service and PDB selects one track, and the HPA alone sizes the canary', () => {
    const stable = podTemplate('frontend').metadata?.labels;
    const trial = podTemplate('frontend-canary').metadata?.labels;
    const selector = (kind: string, name: string) => {
      const spec = get(prod, kind, name).spec as unknown as ServiceSpec & {
        selector: Record<string, string> & { matchLabels?: Record<string, string> };
      };
      return kind === 'Service' ? spec.selector : spec.selector.matchLabels;
    };
    for (const kind of ['Service', 'PodDisruptionBudget']) {
      expect([
        kind,
        selects(selector(kind, 'frontend'), stable),
        selects(selector(kind, 'frontend'), trial),
      ]).toEqual([kind, true, false]);
      expect([
        kind,
        selects(selector(kind, 'frontend-canary'), trial),
        selects(selector(kind, 'frontend-canary'), stable),
      ]).toEqual([kind, true, false]);
    }
    expect(deployments(canary).map((d) => d.spec.replicas)).toEqual([undefined]);
    expect(get(canary, 'HorizontalPodAutoscaler', 'frontend-canary').spec).toMatchObject({
      scaleTargetRef: { kind: 'Deployment', name: 'frontend-canary' },
      minReplicas: 1,
    });
  });

  it('when nginx starts beside it, then it sends the canary its share of requests through the canary Service', () => {
    const data = get(canary, 'ConfigMap', 'nginx-canary').data!;
    const service = get(canary, 'Service', 'frontend-canary').spec as unknown as ServiceSpec;
    expect(data.FRONTEND_CANARY_SERVERS).toBe(`frontend-canary:${service.ports[0].port}`);
    const percent = Number(data.FRONTEND_CANARY_PERCENT);
    expect(percent).toBeGreaterThan(0);
    expect(percent).toBeLessThanOrEqual(50);
    const nginx = nginxContainer(prod)!;
    expect(nginx.envFrom).toContainEqual({
      configMapRef: { name: 'nginx-canary', optional: true },
    });
    const conf = renderedNginx(prod);
    expect(conf).toMatch(
      new RegExp(
        `split_clients "\\$\\{request_id\\}" \\$tp_upstream \\{\\s*${percent}% frontend_canary;`,
      ),
    );
    expect(conf).toMatch(/upstream frontend_canary \{[^}]*server frontend-canary:3000 max_fails/);
    expect(renderedNginx(render('overlays/prod'))).not.toContain('frontend_canary');
  });

  it('when the pipeline pins it to a commit, then the canary runs that commit-SHA image and nothing else changes', () => {
    const sha = 'a'.repeat(40);
    const registry = '123456789012.dkr.ecr.eu-west-1.amazonaws.com';
    const committed = readFileSync(path.join(K8S_DIR, 'canary', 'kustomization.yaml'), 'utf8');
    expect(committed).toMatch(/newTag: '?[0-9a-f]{40}'?$/m);
    const dir = mkdtempSync(path.join(os.tmpdir(), 'tp-canary-'));
    try {
      cpSync(K8S_DIR, path.join(dir, 'k8s'), { recursive: true });
      execFileSync(process.execPath, [
        path.join(REPO_DIR, 'scripts', 'ci', 'lib', 'set-images.mjs'),
        path.join(dir, 'k8s', 'canary', 'kustomization.yaml'),
        registry,
        sha,
        'tradepost-frontend',
      ]);
      const pinned = parseManifests(
        execFileSync('kubectl', ['kustomize', path.join(dir, 'k8s', 'canary')], {
          encoding: 'utf8',
        }),
      );
      const images = deployments(pinned).flatMap((d) =>
        d.spec.template.spec.containers.map((c) => c.image),
      );
      expect(images).toEqual([`${registry}/tradepost-frontend:${sha}`]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
