import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { loadCompose } from '../../k8s/test/support/compose';
import { render } from '../../k8s/test/support/render';
import type { K8sObject } from '../../k8s/test/support/types';
import { workloads } from '../../k8s/test/support/workloads';
import { healthOf, waitHealthy } from './support/health';
import { processesOf, tryWrite } from './support/hardening';
import { KubePlay, probeOnce, type PlayedPod, type Probe } from './support/kube';
import { inspect, podman, podmanOk, REPO_DIR, SUITE_LABEL, SUITE_PREFIX } from './support/podman';

/**
 * The local overlay's Deployments and db-migrate Job, rendered by kustomize and started
 * by `podman kube play` against a MySQL stand-in: their users, mounts, read-only roots
 * and probes, for real. What this cannot show is listed in containers/README.md.
 */
const NETWORK = `${SUITE_PREFIX}-kube`;
const DB = `${SUITE_PREFIX}-kube-db`;
const secret = () => randomBytes(24).toString('hex');

const objects: K8sObject[] = JSON.parse(JSON.stringify(render('overlays/local'))) as K8sObject[];
const workload = (name: string) => {
  const found = workloads(objects).find((w) => w.name === name);
  if (!found) throw new Error(`the local overlay has no workload ${name}`);
  return found;
};
/** The parts of a container spec the kubelet's probes read. */
interface ProbedContainer {
  ports?: { name?: string; containerPort: number }[];
  startupProbe?: Probe;
  readinessProbe?: Probe;
  livenessProbe?: Probe;
}
const containerSpec = (name: string) =>
  workload(name).template.spec.containers[0] as unknown as ProbedContainer;

let scratch: string;
let kube: KubePlay;
const pods: Record<string, PlayedPod> = {};

/** The kubelet's startup probe: tried every second until it passes or its budget is spent. */
async function started(pod: PlayedPod, spec: ProbedContainer) {
  const probe = spec.startupProbe ?? spec.readinessProbe;
  if (!probe) throw new Error(`${pod.name} has no startup or readiness probe`);
  const budgetMs = (probe.failureThreshold ?? 3) * (probe.periodSeconds ?? 10) * 1000;
  const deadline = Date.now() + budgetMs;
  while (!(await probeOnce(pod.ip, probe, spec.ports ?? []))) {
    if (Date.now() > deadline) {
      const logs = await podman(['logs', '--tail', '30', pod.containers[0]]);
      throw new Error(
        `${pod.name} did not start within ${budgetMs} ms:\n${logs.stdout}${logs.stderr}`,
      );
    }
    await sleep(1000);
  }
}

beforeAll(async () => {
  scratch = mkdtempSync(path.join(os.tmpdir(), `${SUITE_PREFIX}-kube-`));
  await podman(['rm', '-f', '-v', DB]);
  await podman(['network', 'rm', '-f', NETWORK]);
  await podmanOk(['network', 'create', '--label', `${SUITE_LABEL}=run`, NETWORK]);

  const compose = loadCompose(path.join(REPO_DIR, 'docker-compose.yml'));
  const dbImage = compose.services.db.image ?? 'mysql';
  const app = { user: 'tradepost', password: secret() };
  await podmanOk([
    'run', '-d', '--name', DB, '--network', NETWORK, '--label', `${SUITE_LABEL}=run`,
    '--no-healthcheck', '--user', '999:999', '-e', `MYSQL_ROOT_PASSWORD=${secret()}`,
    '-e', 'MYSQL_DATABASE=tradepost', '-e', `MYSQL_USER=${app.user}`, '-e', `MYSQL_PASSWORD=${app.password}`,
    dbImage, '--skip-name-resolve',
  ]); // prettier-ignore
  await waitHealthy(DB, (await healthOf(compose.services.db.healthcheck, dbImage))!);
  const db = await inspect<{
    NetworkSettings: { Networks: Record<string, { IPAddress: string }> };
  }>('container', DB);
  const dbIp = db.NetworkSettings.Networks[NETWORK].IPAddress;

  // Fresh values in place of the overlay's placeholders; the keys stay the manifests'.
  for (const o of objects.filter((x) => x.kind === 'Secret')) {
    o.stringData = Object.fromEntries(
      Object.keys({ ...o.data, ...o.stringData }).map((key) => [
        key,
        key === 'database-url'
          ? `mysql://${app.user}:${app.password}@${dbIp}:3306/tradepost`
          : secret(),
      ]),
    );
    delete o.data;
  }
  kube = new KubePlay(NETWORK, objects, scratch);

  const migrate = await kube.play(workload('db-migrate'));
  pods['db-migrate'] = migrate;
  const code = await podmanOk(['wait', migrate.containers[0]], { timeoutMs: 120_000 });
  if (code !== '0') throw new Error(`db-migrate exited ${code}`);
  pods.backend = await kube.play(workload('backend'));
  await started(pods.backend, containerSpec('backend'));
  pods.frontend = await kube.play(workload('frontend'), { backend: pods.backend.ip });
  await started(pods.frontend, containerSpec('frontend'));
  pods.nginx = await kube.play(workload('nginx'), { frontend: pods.frontend.ip });
  await started(pods.nginx, containerSpec('nginx'));
}, 300_000);

afterAll(async () => {
  await kube?.remove();
  await podman(['rm', '-f', '-v', DB]);
  await podman(['network', 'rm', '-f', NETWORK]);
  if (scratch) rmSync(scratch, { recursive: true, force: true });
}, 120_000);

describe('the rendered local overlay under podman kube play', () => {
  it('when the db-migrate Job pod runs, then it applies the migrations and exits 0', async () => {
    const state = await inspect<{ State: { ExitCode: number } }>(
      'container',
      pods['db-migrate'].containers[0],
    );
    expect(state.State.ExitCode).toBe(0);
  });

  it.each(['backend', 'frontend', 'nginx'])(
    'when the %s pod is up, then its readiness and liveness probes pass as the kubelet makes them',
    async (name) => {
      const spec = containerSpec(name);
      for (const probe of ['readinessProbe', 'livenessProbe'] as const) {
        expect([probe, spec[probe] !== undefined]).toEqual([probe, true]);
        expect([probe, await probeOnce(pods[name].ip, spec[probe]!, spec.ports ?? [])]).toEqual([
          probe,
          true,
        ]);
      }
    },
  );

  it.each(['db-migrate', 'backend', 'frontend', 'nginx'])(
    "when the %s pod's processes are listed, then each runs as the pod's runAsUser and runAsGroup",
    async (name) => {
      const context = workload(name).template.spec.securityContext as {
        runAsUser: number;
        runAsGroup?: number;
      };
      const container = pods[name].containers[0];
      if (name === 'db-migrate') {
        const config = await inspect<{ Config: { User: string } }>('container', container);
        expect(config.Config.User).toBe(`${context.runAsUser}:${context.runAsGroup}`);
        return;
      }
      const processes = await processesOf(container);
      expect(processes.length).toBeGreaterThan(0);
      expect(processes.map((p) => p.uids)).toEqual(
        processes.map(() => Array(4).fill(context.runAsUser)),
      );
    },
  );

  it.each(['backend', 'frontend', 'nginx'])(
    'when the %s pod writes outside its emptyDir, then its read-only root refuses it (and /tmp takes it)',
    async (name) => {
      const container = pods[name].containers[0];
      expect(
        await Promise.all(['/', '/etc', '/app', '/var/tmp'].map((d) => tryWrite(container, d))),
      ).toEqual(
        name === 'nginx'
          ? ['EROFS', 'EROFS', 'ENOENT', 'EROFS']
          : ['EROFS', 'EROFS', 'EROFS', 'EROFS'],
      );
      expect(await tryWrite(container, '/tmp')).toBe('written');
    },
  );

  it("when the nginx pod is asked for /login, then the page comes through the frontend and backend pods by their Services' names", async () => {
    const response = await fetch(`http://${pods.nginx.ip}:8080/login`);
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('Log in');
  });
});
