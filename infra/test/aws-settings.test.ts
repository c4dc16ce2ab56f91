import { execFile } from 'node:child_process';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { parse, parseAllDocuments } from 'yaml';
import { loadTerraform } from './lib/terraform-policy';
import { itNeeding } from '../../scripts/lib/test-deps';

/**
 * Each overlay's AWS values come from the Terraform outputs: infra/scripts/aws-settings.mjs
 * reads them (here from a stub terraform that knows only the outputs the roots declare) and
 * writes filled settings files; scripts/ci renders a release only from such files and
 * refuses the committed placeholders.
 */
const REPO = join(__dirname, '..', '..');
const WRITER = join(REPO, 'infra', 'scripts', 'aws-settings.mjs');
const CHECK = join(REPO, 'scripts', 'ci', 'lib', 'aws-settings.mjs');
const RENDER = join(REPO, 'scripts', 'ci', 'render.sh');
const SHA = 'c'.repeat(40);
const REGISTRY = '111122223333.dkr.ecr.eu-central-1.amazonaws.com';
const ACCOUNT = '111122223333';
const cert = (id: string) => `arn:aws:acm:eu-central-1:${ACCOUNT}:certificate/${id}`;

/** Values of the outputs the settings use; every other declared output gets a dummy. */
const VALUES: Record<string, Record<string, string>> = {
  prod: {
    region: 'eu-central-1',
    app_certificate_arn: cert('11111111-2222-3333-4444-555555555555'),
    test_app_certificate_arn: cert('66666666-7777-8888-9999-aaaaaaaaaaaa'),
    app_host_name: 'shop.tradepost.test',
    test_app_host_name: 'test.shop.tradepost.test',
    database_cidr: '10.40.20.0/22',
  },
  platform: {
    external_secrets_role_arn: `arn:aws:iam::${ACCOUNT}:role/tradepost-prod-external-secrets`,
  },
  test: {
    external_secrets_role_arn: `arn:aws:iam::${ACCOUNT}:role/tradepost-test-external-secrets`,
  },
};

interface Obj {
  kind: string;
  metadata: { name: string; annotations?: Record<string, string> };
  spec?: { egress?: { to?: { ipBlock?: { cidr: string } }[] }[] };
}

async function sh(file: string, args: string[], env: Record<string, string>) {
  try {
    const { stdout, stderr } = await promisify(execFile)(file, args, {
      cwd: REPO,
      timeout: 60_000,
      env: { ...process.env, ...env },
    });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}

describe('AWS settings from the Terraform outputs', () => {
  let dir: string;
  let declared: Record<string, string[]>;
  beforeAll(async () => {
    const files = await loadTerraform(join(REPO, 'infra', 'terraform'));
    declared = Object.fromEntries(
      ['prod', 'platform', 'test'].map((root) => [
        root,
        files
          .filter((f) => f.rel.startsWith(`envs/${root}/`))
          .flatMap((f) => Object.keys((f.json.output ?? {}) as object)),
      ]),
    );
  });
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'aws-settings-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  /** A terraform that answers `-chdir=…/envs/ROOT output -json` with the root's declared outputs. */
  function stubTerraform(drop: string[] = []) {
    mkdirSync(join(dir, 'bin'));
    for (const [root, names] of Object.entries(declared)) {
      const outputs = Object.fromEntries(
        names
          .filter((n) => !drop.includes(`${root}.${n}`))
          .map((n) => [n, { sensitive: false, type: 'string', value: VALUES[root][n] ?? 'x' }]),
      );
      writeFileSync(join(dir, `${root}.json`), JSON.stringify(outputs));
    }
    writeFileSync(
      join(dir, 'bin', 'terraform'),
      `#!/bin/sh\nroot="$(basename "\${1#-chdir=}")"\ncat "${dir}/$root.json"\n`,
    );
    chmodSync(join(dir, 'bin', 'terraform'), 0o755);
    return { PATH: `${join(dir, 'bin')}:${process.env.PATH}` };
  }

  itNeeding(
    ['kubectl'],
    'when every root is applied, then each environment gets its own values, and a release renders with them',
    async () => {
      const out = join(dir, 'settings');
      const written = await sh('node', [WRITER, '--out', out], stubTerraform());
      expect(written.stderr).toBe('');
      expect(written.code).toBe(0);
      const data = (env: string) =>
        (parse(readFileSync(join(out, `${env}.yaml`), 'utf8')) as { data: Record<string, string> })
          .data;
      expect(data('prod')).toEqual({
        environment: 'prod',
        region: 'eu-central-1',
        external_secrets_role_arn: VALUES.platform.external_secrets_role_arn,
        app_certificate_arn: VALUES.prod.app_certificate_arn,
        database_cidr: '10.40.20.0/22',
        app_host_name: 'shop.tradepost.test',
      });
      expect(data('test')).toMatchObject({
        environment: 'test',
        external_secrets_role_arn: VALUES.test.external_secrets_role_arn,
        app_certificate_arn: VALUES.prod.test_app_certificate_arn,
        app_host_name: 'test.shop.tradepost.test',
      });
      expect(readFileSync(join(out, 'prod.yaml'), 'utf8')).toMatch(/never commit this file/);

      for (const env of ['prod', 'test']) {
        const rendered = await sh(RENDER, [env, REGISTRY, SHA], { AWS_SETTINGS_DIR: out });
        expect(rendered.stderr).toBe('');
        const objects = parseAllDocuments(rendered.stdout).map((d) => d.toJS() as Obj);
        const find = (kind: string, name: string) =>
          objects.find((o) => o.kind === kind && o.metadata.name === name)!;
        expect(
          find('Service', 'nginx').metadata.annotations?.[
            'service.beta.kubernetes.io/aws-load-balancer-ssl-cert'
          ],
        ).toBe(data(env).app_certificate_arn);
        expect(
          find('ServiceAccount', 'external-secrets').metadata.annotations?.[
            'eks.amazonaws.com/role-arn'
          ],
        ).toBe(data(env).external_secrets_role_arn);
        expect(
          find('NetworkPolicy', 'database-egress').spec?.egress?.[0].to?.[0].ipBlock?.cidr,
        ).toBe('10.40.20.0/22');
        expect(rendered.stdout).not.toMatch(/000000000000|example\.com/);
      }
    },
  );

  it('when a root lacks an output, then nothing is written and the output is named', async () => {
    const out = join(dir, 'settings');
    const result = await sh(
      'node',
      [WRITER, '--out', out],
      stubTerraform(['prod.database_cidr', 'test.external_secrets_role_arn']),
    );
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/prod: envs\/prod has no output database_cidr/);
    expect(result.stderr).toMatch(/test: envs\/test has no output external_secrets_role_arn/);
    expect(existsSync(out)).toBe(false);
  });

  it.each(['prod', 'test'])(
    'when %s is rendered from the committed placeholders, then the release is refused, naming them',
    async (env) => {
      const result = await sh(RENDER, [env, REGISTRY, SHA], { AWS_SETTINGS_DIR: '' });
      expect(result.code).not.toBe(0);
      expect(result.stdout).toBe('');
      expect(result.stderr).toMatch(/external_secrets_role_arn is the placeholder account/);
      expect(result.stderr).toMatch(/app_certificate_arn is the placeholder account/);
      expect(result.stderr).toMatch(/app_host_name is a placeholder example\.com host name/);
    },
  );

  it.each<[string, Record<string, string>, RegExp]>([
    ['another environment', { environment: 'test' }, /environment is test, not prod/],
    [
      'a certificate in another region',
      {
        app_certificate_arn: cert('11111111-2222-3333-4444-555555555555').replace(
          'central',
          'west',
        ),
      },
      /app_certificate_arn is in eu-west-1, not in region eu-central-1/,
    ],
    ['a malformed CIDR', { database_cidr: '10.40.20/22' }, /database_cidr is not a valid value/],
    ['a setting nobody reads', { color: 'blue' }, /color is not a setting/],
  ])('when a settings file names %s, then the check refuses it', async (_name, change, problem) => {
    const data = {
      environment: 'prod',
      region: 'eu-central-1',
      external_secrets_role_arn: VALUES.platform.external_secrets_role_arn,
      app_certificate_arn: VALUES.prod.app_certificate_arn,
      database_cidr: '10.40.20.0/22',
      app_host_name: 'shop.tradepost.test',
    };
    const file = join(dir, 'prod.yaml');
    writeFileSync(file, JSON.stringify({ kind: 'ConfigMap', data: { ...data, ...change } }));
    const result = await sh('node', [CHECK, 'check', file, 'prod'], {});
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(problem);
    writeFileSync(file, JSON.stringify({ kind: 'ConfigMap', data }));
    expect(await sh('node', [CHECK, 'get', file, 'prod', 'app_host_name'], {})).toMatchObject({
      code: 0,
      stdout: 'shop.tradepost.test\n',
    });
  });
});
