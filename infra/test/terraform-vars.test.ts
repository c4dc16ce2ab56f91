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
const OUTPUTS: Record<string, string> = {
  region: 'eu-west-1',
  cluster_name: 'tradepost-prod',
  ecr_registry: '111122223333.dkr.ecr.eu-west-1.amazonaws.com',
  deployer_role_arn: 'arn:aws:iam::111122223333:role/tradepost-prod-deployer',
  jenkins_instance_id: 'i-0123456789abcdef0',
  jenkins_ssm_bucket: 'tradepost-prod-jenkins-ssm-x',
  build_agent_instance_id: 'i-0fedcba9876543210',
  build_agent_ssm_bucket: 'tradepost-prod-build-agent-ssm-x',
  app_certificate_arn:
    'arn:aws:acm:eu-west-1:111122223333:certificate/11111111-2222-3333-4444-555555555555',
  test_app_certificate_arn:
    'arn:aws:acm:eu-west-1:111122223333:certificate/66666666-7777-8888-9999-aaaaaaaaaaaa',
  app_host_name: 'shop.tradepost.test',
  test_app_host_name: 'test.shop.tradepost.test',
  database_cidr: '10.20.20.0/22',
};
/** What envs/platform and envs/test give the settings. */
const OTHER_ROOTS = {
  platform: {
    external_secrets_role_arn: 'arn:aws:iam::111122223333:role/tradepost-prod-external-secrets',
  },
  test: {
    external_secrets_role_arn: 'arn:aws:iam::111122223333:role/tradepost-test-external-secrets',
  },
};

describe('infra/scripts/terraform-vars.sh', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'tf-vars-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  /** Runs the script with a stub terraform whose `output -json` prints `outputs` for envs/prod. */
  async function run(outputs: Record<string, string>) {
    const json = (values: Record<string, string>) =>
      JSON.stringify(
        Object.fromEntries(
          Object.entries(values).map(([k, v]) => [
            k,
            { sensitive: false, type: 'string', value: v },
          ]),
        ),
      );
    writeFileSync(join(dir, 'prod.json'), json(outputs));
    for (const [root, values] of Object.entries(OTHER_ROOTS))
      writeFileSync(join(dir, `${root}.json`), json(values));
    writeFileSync(
      join(dir, 'terraform'),
      `#!/bin/sh\nroot="$(basename "\${1#-chdir=}")"\ncat "${dir}/$root.json"\n`,
    );
    chmodSync(join(dir, 'terraform'), 0o755);
    const env = {
      ...process.env,
      PATH: `${dir}:${process.env.PATH}`,
      TF_VARS_FILE: join(dir, 'tf.yml'),
      TF_INVENTORY_FILE: join(dir, 'aws_ec2.yml'),
      AWS_SETTINGS_OUT: join(dir, 'aws-settings'),
    };
    return promisify(execFile)(SCRIPT, [], { env }).then(
      () => ({ code: 0, stderr: '' }),
      (e: { code: number; stderr: string }) => e,
    );
  }

  it('when the roots have every output the playbooks and the settings use, then it writes them: tradepost_tf_prod, private, and each environment’s settings', async () => {
    expect(await run(OUTPUTS)).toMatchObject({ code: 0 });
    const vars = parse(readFileSync(join(dir, 'tf.yml'), 'utf8')) as {
      tradepost_tf_prod: Record<string, { value: string }>;
    };
    expect(vars.tradepost_tf_prod.deployer_role_arn.value).toBe(OUTPUTS.deployer_role_arn);
    expect(vars.tradepost_tf_prod.build_agent_ssm_bucket.value).toBe(
      OUTPUTS.build_agent_ssm_bucket,
    );
    expect(statSync(join(dir, 'tf.yml')).mode & 0o077).toBe(0);
    for (const env of ['prod', 'test'])
      expect(readFileSync(join(dir, 'aws-settings', `${env}.yaml`), 'utf8')).toContain(
        `app_host_name: ${env === 'prod' ? '' : 'test.'}shop.tradepost.test`,
      );
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
    expect(existsSync(join(dir, 'aws_ec2.yml'))).toBe(false);
  });

  it('when the foundation runs in another region, then the dynamic inventory looks for the hosts there', async () => {
    const central = Object.fromEntries(
      Object.entries(OUTPUTS).map(([k, v]) => [k, v.replace(/eu-west-1/g, 'eu-central-1')]),
    );
    expect(await run(central)).toMatchObject({ code: 0 });
    const template = parse(
      readFileSync(join(__dirname, '..', 'ansible', 'inventory', 'aws_ec2.template.yml'), 'utf8'),
    ) as Record<string, unknown>;
    const inventory = parse(readFileSync(join(dir, 'aws_ec2.yml'), 'utf8')) as Record<
      string,
      unknown
    >;
    expect(inventory).toEqual({ ...template, regions: ['eu-central-1'] });
    expect(template.plugin).toBe('amazon.aws.aws_ec2');
  });

  it('when the region output is not a region, then it says so and writes nothing', async () => {
    const result = await run({ ...OUTPUTS, region: 'eu-west-1/../x' });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/region is not an AWS region/);
    expect(existsSync(join(dir, 'aws_ec2.yml'))).toBe(false);
    expect(existsSync(join(dir, 'tf.yml'))).toBe(false);
  });

  it('when the ansible configuration is read, then its inventory is the file the script writes, which git ignores', () => {
    const cfg = readFileSync(join(__dirname, '..', 'ansible', 'ansible.cfg'), 'utf8');
    expect(cfg).toMatch(/^inventory = inventory\/aws_ec2\.yml$/m);
    expect(readFileSync(join(__dirname, '..', '.gitignore'), 'utf8')).toMatch(
      /^ansible\/inventory\/aws_ec2\.yml$/m,
    );
  });
});
