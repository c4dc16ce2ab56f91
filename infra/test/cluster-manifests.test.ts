import { execFile, execFileSync } from 'node:child_process';
import { appendFileSync, cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { parseAllDocuments } from 'yaml';
import { describeNeeding } from '../../scripts/lib/test-deps';

/**
 * envs/addons applies k8s/cluster through modules/cluster-manifests, which reads the YAML
 * with Terraform's own functions. Terraform evaluates the module here (it needs no provider)
 * and its objects must be exactly what kubectl kustomize renders; a kustomize feature the
 * module does not read must stop the plan rather than be dropped.
 */
const REPO = join(__dirname, '..', '..');
const MODULE = join(REPO, 'infra', 'terraform', 'modules', 'cluster-manifests');
const run = promisify(execFile);

interface K8sObject {
  kind: string;
  metadata: { name: string; namespace: string };
}

function kustomize(dir: string): Record<string, K8sObject> {
  const out = execFileSync('kubectl', ['kustomize', dir], { encoding: 'utf8' });
  return Object.fromEntries(
    parseAllDocuments(out)
      .map((d) => d.toJS() as K8sObject)
      .map((o) => [`${o.metadata.namespace}/${o.kind}/${o.metadata.name}`, o]),
  );
}

describeNeeding(['terraform', 'kubectl'], 'modules/cluster-manifests', () => {
  let work = '';
  let env: NodeJS.ProcessEnv = {};
  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'cluster-manifests-'));
    writeFileSync(join(work, 'terraform.rc'), '');
    env = {
      ...process.env,
      TF_CLI_CONFIG_FILE: join(work, 'terraform.rc'),
      TF_IN_AUTOMATION: '1',
      CHECKPOINT_DISABLE: '1',
    };
    writeFileSync(
      join(work, 'main.tf'),
      `variable "dir" { type = string }\n` +
        `module "m" {\n  source = "${MODULE}"\n  dir    = var.dir\n}\n` +
        `output "objects" { value = module.m.objects }\n`,
    );
    await run('terraform', ['init', '-input=false', '-no-color'], { cwd: work, env });
  }, 120_000);
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  /** The module's objects for a k8s/cluster folder, or Terraform's error. */
  async function objects(dir: string): Promise<Record<string, unknown>> {
    const opts = { cwd: work, env, timeout: 60_000 };
    await run(
      'terraform',
      ['plan', '-input=false', '-no-color', '-var', `dir=${dir}`, '-out=p'],
      opts,
    );
    const { stdout } = await run('terraform', ['show', '-json', 'p'], {
      ...opts,
      maxBuffer: 1 << 24,
    });
    const plan = JSON.parse(stdout) as {
      planned_values: { outputs: { objects: { value: Record<string, unknown> } } };
    };
    return plan.planned_values.outputs.objects.value;
  }

  it('when k8s/cluster is read, then Terraform holds exactly the objects kubectl kustomize renders', async () => {
    const dir = join(REPO, 'k8s', 'cluster');
    const expected = kustomize(dir);
    expect(Object.keys(expected).sort()).toEqual([
      'tradepost-test/Role/tradepost-deployer',
      'tradepost-test/RoleBinding/tradepost-deployer',
      'tradepost/Role/tradepost-deployer',
      'tradepost/RoleBinding/tradepost-deployer',
    ]);
    expect(await objects(dir)).toEqual(expected);
  }, 120_000);

  it('when k8s/cluster uses a kustomize feature the module does not read, then the plan stops and names it', async () => {
    const copy = join(work, 'cluster');
    cpSync(join(REPO, 'k8s', 'cluster'), copy, { recursive: true });
    appendFileSync(
      join(copy, 'deployer', 'kustomization.yaml'),
      'patches:\n  - target: { kind: Role }\n    patch: "[]"\n',
    );
    await expect(objects(copy)).rejects.toMatchObject({
      stderr: expect.stringMatching(/does not read:\s+deployer\/kustomization\.yaml: patches\./),
    });
  }, 120_000);
});
