import { execFile } from 'node:child_process';
import {
  chmodSync,
  existsSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { parse } from 'yaml';

const SCRIPT = join(__dirname, '..', 'scripts', 'terraform-vars.sh');
const OUTPUTS = {
  region: 'eu-west-1',
  cluster_name: 'tradepost-prod',
  ecr_registry: '111122223333.dkr.ecr.eu-west-1.amazonaws.com',
  deployer_role_arn: 'arn:aws:iam::111122223333:role/tradepost-prod-deployer',
  jenkins_instance_id: 'i-0123456789abcdef0',
  jenkins_ssm_bucket: 'tradepost-prod-jenkins-ssm-x',
  build_agent_instance_id: 'i-0fedcba9876543210',
  build_agent_ssm_bucket: 'tradepost-prod-build-agent-ssm-x',
};

describe('infra/scripts/terraform-vars.sh', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'tf-vars-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  /** Runs the script with a stub terraform whose `output -json` prints `outputs`. */
  async function run(outputs: Record<string, string>) {
    const json = Object.fromEntries(
      Object.entries(outputs).map(([k, v]) => [k, { sensitive: false, type: 'string', value: v }]),
    );
    writeFileSync(join(dir, 'outputs.json'), JSON.stringify(json));
    writeFileSync(join(dir, 'terraform'), `#!/bin/sh\ncat "${join(dir, 'outputs.json')}"\n`);
    chmodSync(join(dir, 'terraform'), 0o755);
    const env = {
      ...process.env,
      PATH: `${dir}:${process.env.PATH}`,
      TF_VARS_FILE: join(dir, 'tf.yml'),
    };
    return promisify(execFile)(SCRIPT, [], { env }).then(
      () => ({ code: 0, stderr: '' }),
      (e: { code: number; stderr: string }) => e,
    );
  }

  it('when envs/prod has every output the playbooks use, then it writes them as tradepost_tf_prod, private', async () => {
    expect(await run(OUTPUTS)).toMatchObject({ code: 0 });
    const vars = parse(readFileSync(join(dir, 'tf.yml'), 'utf8')) as {
      tradepost_tf_prod: Record<string, { value: string }>;
    };
    expect(vars.tradepost_tf_prod.deployer_role_arn.value).toBe(OUTPUTS.deployer_role_arn);
    expect(vars.tradepost_tf_prod.build_agent_ssm_bucket.value).toBe(
      OUTPUTS.build_agent_ssm_bucket,
    );
    expect(statSync(join(dir, 'tf.yml')).mode & 0o077).toBe(0);
  });

  it('when outputs are missing (envs/prod not applied yet), then it names them and writes nothing', async () => {
    const some = Object.fromEntries(
      Object.entries(OUTPUTS).filter(
        ([k]) => !['deployer_role_arn', 'build_agent_ssm_bucket'].includes(k),
      ),
    );
    const result = await run(some);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/no output\(s\): deployer_role_arn build_agent_ssm_bucket/);
    expect(existsSync(join(dir, 'tf.yml'))).toBe(false);
  });
});
