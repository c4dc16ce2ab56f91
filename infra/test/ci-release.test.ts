import { execFile, execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describeNeeding } from '../../scripts/lib/test-deps';

/**
 * The release scripts run for real against stub aws, docker and kubectl commands (fixtures/
 * ci-stubs) that keep a little state in a directory: what is in ECR, what is built locally,
 * each Deployment's revision, and every call made.
 */
const ROOT = join(__dirname, '..', '..');
const CI = join(ROOT, 'scripts', 'ci');
const STUBS = join(__dirname, 'fixtures', 'ci-stubs');
const FIXTURE_K8S = join(__dirname, 'fixtures', 'k8s');
const SHA = 'b'.repeat(40);
const REGISTRY = '111122223333.dkr.ecr.eu-west-1.amazonaws.com';
// The stub's `kustomize` runs the real kubectl: only deploy.sh renders, and its suite needs kubectl.
const REAL_KUBECTL = execFileSync('sh', ['-c', 'command -v kubectl || true'], {
  encoding: 'utf8',
}).trim();

let state: string;
beforeEach(() => {
  state = mkdtempSync(join(tmpdir(), 'ci-release-'));
  for (const sub of ['ecr', 'local', 'deploy']) mkdirSync(join(state, sub));
  writeFileSync(join(state, 'calls'), '');
});
afterEach(() => rmSync(state, { recursive: true, force: true }));

async function run(script: string, args: string[], env: Record<string, string> = {}) {
  // Never the caller's cluster: use_cluster only runs `kubectl version` without EKS_CLUSTER.
  const inherited = Object.fromEntries(
    Object.entries(process.env).filter(([k]) => k !== 'EKS_CLUSTER' && k !== 'KUBECONFIG'),
  );
  try {
    const { stdout, stderr } = await promisify(execFile)(join(CI, script), args, {
      cwd: ROOT,
      timeout: 30_000,
      env: {
        ...inherited,
        PATH: `${STUBS}:${process.env.PATH}`,
        STUB_STATE: state,
        REAL_KUBECTL,
        CI_STATE_DIR: join(state, 'records'),
        K8S_DIR: FIXTURE_K8S,
        AWS_SETTINGS_DIR: join(__dirname, 'fixtures', 'aws-settings'),
        STUB_APPLY_SHA: SHA,
        ...env,
      },
    });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}

const calls = (prefix: string) =>
  readFileSync(join(state, 'calls'), 'utf8')
    .split('\n')
    .filter((c) => c.startsWith(prefix));
const set = (file: string, value: string) => writeFileSync(join(state, file), `${value}\n`);

describe('push-images.sh to ECR', () => {
  const IMAGES = ['tradepost-backend', 'tradepost-frontend', 'tradepost-nginx'];
  beforeEach(() => {
    for (const image of IMAGES) set(`local/${image}`, `sha256:${'1'.repeat(64)}-${image}`);
  });
  const pushed = () => calls('docker push').map((c) => c.split('/').pop());

  it('when no tag is in ECR yet, then all three images are pushed', async () => {
    const { code, stderr } = await run('push-images.sh', [REGISTRY, SHA]);
    expect(stderr).not.toMatch(/error/);
    expect(code).toBe(0);
    expect(pushed()).toEqual(IMAGES.map((i) => `${i}:${SHA}`));
  });

  it('when a tag is already there with the same image config (a re-run), then that push is skipped', async () => {
    set(
      'ecr/tradepost-backend',
      `sha256:${'9'.repeat(64)}\nsha256:${'1'.repeat(64)}-tradepost-backend`,
    );
    const { code, stderr } = await run('push-images.sh', [REGISTRY, SHA]);
    expect(code).toBe(0);
    expect(stderr).toMatch(
      /tradepost-backend:b+ is already in ECR with the same content; not pushed/,
    );
    expect(pushed()).toEqual([`tradepost-frontend:${SHA}`, `tradepost-nginx:${SHA}`]);
  });

  it('when a tag is already there with the same manifest digest (containerd image store), then that push is skipped', async () => {
    set('local/tradepost-nginx', `sha256:${'7'.repeat(64)}`);
    set('ecr/tradepost-nginx', `sha256:${'7'.repeat(64)}\nsha256:${'8'.repeat(64)}`);
    const { code } = await run('push-images.sh', [REGISTRY, SHA]);
    expect(code).toBe(0);
    expect(pushed()).toEqual([`tradepost-backend:${SHA}`, `tradepost-frontend:${SHA}`]);
  });

  it('when a tag is already there with other content, then it fails, says why, and pushes nothing over it', async () => {
    set('ecr/tradepost-backend', `sha256:${'9'.repeat(64)}\nsha256:${'2'.repeat(64)}`);
    const { code, stderr } = await run('push-images.sh', [REGISTRY, SHA]);
    expect(code).not.toBe(0);
    expect(stderr).toMatch(
      new RegExp(
        `tradepost-backend:${SHA} is already in ECR as sha256:9{64}, .*other content.*immutable`,
      ),
    );
    expect(pushed()).toEqual([]);
  });

  it('when ECR cannot be read, then it fails with the reason instead of pushing', async () => {
    const { code, stderr } = await run('push-images.sh', [REGISTRY, SHA], {
      STUB_ECR_ERROR: 'AccessDeniedException',
    });
    expect(code).not.toBe(0);
    expect(stderr).toMatch(/cannot read tradepost-backend:b+ from ECR: .*AccessDeniedException/);
    expect(pushed()).toEqual([]);
  });
});

describeNeeding(['kubectl'], 'deploy.sh and rollback.sh', () => {
  const undos = () => calls('kubectl -n tradepost rollout undo');
  beforeEach(() => {
    set('deploy/backend', '3');
    set('deploy/frontend', '5');
    set('deploy/nginx', '2');
  });

  it('when an apply fails after it changed two Deployments, then rollback returns exactly those to their recorded revisions', async () => {
    const deploy = await run('deploy.sh', ['prod', REGISTRY, SHA], {
      STUB_APPLY_CHANGES: 'backend frontend',
      STUB_APPLY_FAIL: '1',
    });
    expect(deploy.code).not.toBe(0);
    expect(readFileSync(join(state, 'records', 'prod-revisions.tsv'), 'utf8')).toBe(
      `backend\t3\t${SHA}\nfrontend\t5\t${SHA}\nnginx\t2\t${SHA}\n`,
    );

    const rollback = await run('rollback.sh', ['prod', '60']);
    expect(rollback.stderr).toMatch(/nginx is still at revision 2/);
    expect(rollback.code).toBe(0);
    expect(undos()).toEqual([
      'kubectl -n tradepost rollout undo deployment/backend --to-revision=3',
      'kubectl -n tradepost rollout undo deployment/frontend --to-revision=5',
    ]);
    expect(calls('kubectl -n tradepost rollout status')).toEqual([
      'kubectl -n tradepost rollout status deployment/backend --timeout=60s',
      'kubectl -n tradepost rollout status deployment/frontend --timeout=60s',
    ]);
  });

  it('when rollback runs a second time, then it changes nothing', async () => {
    await run('deploy.sh', ['prod', REGISTRY, SHA], { STUB_APPLY_CHANGES: 'backend' });
    expect((await run('rollback.sh', ['prod'])).code).toBe(0);
    expect((await run('rollback.sh', ['prod'])).code).toBe(0);
    expect(undos()).toHaveLength(1);
  });

  it('when a Deployment did not exist before the release, then rollback leaves it', async () => {
    rmSync(join(state, 'deploy', 'nginx'));
    await run('deploy.sh', ['prod', REGISTRY, SHA], { STUB_APPLY_CHANGES: 'nginx' });
    const rollback = await run('rollback.sh', ['prod']);
    expect(rollback.code).toBe(0);
    expect(rollback.stderr).toMatch(/deployment\/nginx did not exist before this release/);
    expect(undos()).toEqual([]);
  });

  it('when a Deployment has since moved on to another release, then rollback leaves it and fails', async () => {
    await run('deploy.sh', ['prod', REGISTRY, SHA], { STUB_APPLY_CHANGES: 'backend frontend' });
    await run('deploy.sh', ['prod', REGISTRY, 'c'.repeat(40)], {
      CI_STATE_DIR: join(state, 'elsewhere'),
      STUB_APPLY_CHANGES: 'frontend',
      STUB_APPLY_SHA: 'c'.repeat(40),
    });
    const rollback = await run('rollback.sh', ['prod']);
    expect(rollback.code).not.toBe(0);
    expect(rollback.stderr).toMatch(
      /deployment\/frontend runs '.*:c{40}', not the recorded release b{40}; left as it is/,
    );
    expect(undos()).toEqual([
      'kubectl -n tradepost rollout undo deployment/backend --to-revision=3',
    ]);
  });

  it('when nothing was applied from this checkout, then rollback touches nothing', async () => {
    const rollback = await run('rollback.sh', ['prod']);
    expect(rollback.code).toBe(0);
    expect(rollback.stderr).toMatch(/no release was applied from this checkout/);
    expect(undos()).toEqual([]);
  });

  it('when the apply succeeds, then the rendered release is what was applied', async () => {
    const deploy = await run('deploy.sh', ['prod', REGISTRY, SHA]);
    expect(deploy.code).toBe(0);
    const applied = readFileSync(join(state, 'applied.yaml'), 'utf8');
    expect(applied).toContain(`image: ${REGISTRY}/tradepost-backend:${SHA}`);
    expect(applied).not.toMatch(/kind: Job/);
  });
});
