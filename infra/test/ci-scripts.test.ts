import { execFile } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { parseAllDocuments } from 'yaml';
import { describeNeeding, itNeeding } from '../../scripts/lib/test-deps';

const ROOT = join(__dirname, '..', '..');
const CI = join(ROOT, 'scripts', 'ci');
const SCRIPTS = readdirSync(CI).filter((f) => f.endsWith('.sh'));
const FIXTURE_K8S = join(__dirname, 'fixtures', 'k8s');
/** Filled AWS settings, as infra/scripts/aws-settings.mjs writes them from Terraform outputs. */
const SETTINGS = join(__dirname, 'fixtures', 'aws-settings');
const SHA = 'a'.repeat(40);
const REGISTRY = '111122223333.dkr.ecr.eu-west-1.amazonaws.com';

async function sh(file: string, args: string[], env: Record<string, string> = {}) {
  try {
    const { stdout, stderr } = await promisify(execFile)(file, args, {
      cwd: ROOT,
      timeout: 30_000,
      env: { ...process.env, ...env },
    });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}

interface K8sObject {
  kind: string;
  metadata: { name: string; namespace?: string };
  spec: { template: { spec: { containers: { image: string }[] } } };
}

describe('scripts/ci', () => {
  it.each(SCRIPTS)(
    'when %s is read, then it is executable, strict, documented and parses',
    async (name) => {
      const path = join(CI, name);
      const text = readFileSync(path, 'utf8');
      expect(statSync(path).mode & 0o111).not.toBe(0);
      expect(text.startsWith('#!/usr/bin/env bash\n')).toBe(true);
      expect(text).toMatch(new RegExp(`^# Usage: .*scripts/ci/${name}`, 'm'));
      expect(text).toMatch(/^set -euo pipefail$/m);
      expect(text).not.toMatch(/AKIA[0-9A-Z]{16}|-----BEGIN|password=/i);
      expect((await sh('bash', ['-n', path])).code).toBe(0);
    },
  );

  // These take no arguments; container-tests.sh refuses any (checked below).
  const NO_ARGUMENTS = ['all-tests.sh', 'container-tests.sh'];
  it.each(SCRIPTS.filter((s) => !NO_ARGUMENTS.includes(s)))(
    'when %s runs without its arguments, then it exits non-zero with a usage line',
    async (name) => {
      const { code, stderr } = await sh(join(CI, name), []);
      expect(code).not.toBe(0);
      expect(stderr).toMatch(/usage: /i);
    },
  );

  it('when a script names jest reporters, then the banner of suites skipped for a missing program is one of them', () => {
    const scripts = readdirSync(CI)
      .filter((f) => f.endsWith('.sh'))
      .map((f) => readFileSync(join(CI, f), 'utf8'))
      .filter((text) => text.includes('--reporters'));
    expect(scripts.length).toBeGreaterThanOrEqual(2);
    for (const text of scripts)
      expect(text).toContain('--reporters="$PWD/scripts/lib/test-deps-reporter.js"');
  });

  it('when all-tests.sh is read, then its header says what runs: the MySQL half on the private MariaDB the global setup starts without TEST_DATABASE_URL', () => {
    const script = readFileSync(join(CI, 'all-tests.sh'), 'utf8');
    const header = script.slice(0, script.indexOf('set -euo pipefail'));
    expect(script).toMatch(/^unset TEST_DATABASE_URL$/m);
    const setup = readFileSync(join(ROOT, 'backend', 'test', 'support', 'global-setup.ts'), 'utf8');
    expect(setup).toMatch(/if \(process\.env\.TEST_DATABASE_URL\) return useGivenServer/);
    expect(setup).toMatch(/startMariaDB\(\{ tls: true \}\)/);
    expect(header).not.toMatch(/no MySQL|SQLite only/i);
    expect(header).toMatch(/private MariaDB/);
  });

  itNeeding(
    ['kubectl'],
    'when a release is rendered, then every tradepost image is pinned to the commit SHA in the right namespace',
    async () => {
      const { code, stdout, stderr } = await sh(join(CI, 'render.sh'), ['prod', REGISTRY, SHA], {
        K8S_DIR: FIXTURE_K8S,
        AWS_SETTINGS_DIR: SETTINGS,
      });
      expect(stderr).toBe('');
      expect(code).toBe(0);
      const objects = parseAllDocuments(stdout).map((d) => d.toJS() as K8sObject);
      const images = objects.flatMap((o) => o.spec.template.spec.containers.map((c) => c.image));
      expect(images.sort()).toEqual([
        `${REGISTRY}/tradepost-backend:${SHA}`,
        `${REGISTRY}/tradepost-backend:${SHA}`,
        `${REGISTRY}/tradepost-nginx:${SHA}`,
      ]);
      expect(new Set(objects.map((o) => o.metadata.namespace))).toEqual(new Set(['tradepost']));
    },
  );

  it.each([
    ['a moving tag', ['prod', REGISTRY, 'latest'], /40-character git commit SHA/],
    ['a short SHA', ['prod', REGISTRY, 'abc1234'], /40-character git commit SHA/],
    ['an unknown environment', ['staging', REGISTRY, SHA], /test or prod/],
  ])('when render is given %s, then it refuses', async (_name, args, message) => {
    const { code, stderr } = await sh(join(CI, 'render.sh'), args, {
      K8S_DIR: FIXTURE_K8S,
      AWS_SETTINGS_DIR: SETTINGS,
    });
    expect(code).not.toBe(0);
    expect(stderr).toMatch(message);
  });

  itNeeding(
    ['kubectl'],
    'when manifests are split, then pick keeps only the migration Job and omit keeps everything else',
    async () => {
      const { stdout: rendered } = await sh(join(CI, 'render.sh'), ['test', REGISTRY, SHA], {
        K8S_DIR: FIXTURE_K8S,
        AWS_SETTINGS_DIR: SETTINGS,
      });
      const split = async (mode: string) => {
        const child = execFile(
          'node',
          [join(CI, 'lib', 'manifests.mjs'), mode, 'Job', 'db-migrate'],
          { cwd: ROOT },
        );
        child.stdin?.end(rendered);
        let out = '';
        child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
        const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
        return {
          code,
          names: parseAllDocuments(out).map(
            (d) => (d.toJS() as K8sObject).kind + '/' + (d.toJS() as K8sObject).metadata.name,
          ),
        };
      };
      expect(await split('pick')).toEqual({ code: 0, names: ['Job/db-migrate'] });
      expect(await split('omit')).toEqual({
        code: 0,
        names: ['Deployment/backend', 'Deployment/nginx'],
      });
    },
  );

  describeNeeding(['kubectl'], 'the real overlays', () => {
    it.each(['prod', 'test'])(
      'when the real %s overlay is rendered, then it holds the objects the pipeline drives, pinned to the SHA, and no Namespace',
      async (env) => {
        const { code, stdout, stderr } = await sh(join(CI, 'render.sh'), [env, REGISTRY, SHA], {
          AWS_SETTINGS_DIR: SETTINGS,
        });
        expect(stderr).toBe('');
        expect(code).toBe(0);
        const objects = parseAllDocuments(stdout).map(
          (d) => d.toJS() as K8sObject & { spec: { type?: string } },
        );
        const names = objects.map((o) => `${o.kind}/${o.metadata.name}`);
        // Terraform creates the Namespace; the deploy role may not, so a release never applies it.
        expect(objects.map((o) => o.kind)).not.toContain('Namespace');
        for (const name of [
          'Deployment/backend',
          'Deployment/frontend',
          'Deployment/nginx',
          'Job/db-migrate',
          'Service/nginx',
        ]) {
          expect(names).toContain(name);
        }
        expect(
          objects.find((o) => o.kind === 'Service' && o.metadata.name === 'nginx')?.spec.type,
        ).toBe('LoadBalancer');
        const images = [...stdout.matchAll(/image: (\S*tradepost-\S+)/g)].map((m) => m[1]);
        expect(images.length).toBeGreaterThanOrEqual(4);
        for (const image of images)
          expect(image).toMatch(
            new RegExp(`^${REGISTRY}/tradepost-(backend|frontend|nginx):${SHA}$`),
          );
      },
    );
  });

  it('when the Docker Hub path lacks credentials, then push-images refuses before touching Docker', async () => {
    const { code, stderr } = await sh(join(CI, 'push-images.sh'), ['docker.io/example', SHA], {
      REGISTRY_USER: '',
      REGISTRY_TOKEN: '',
    });
    expect(code).not.toBe(0);
    expect(stderr).toMatch(/REGISTRY_USER/);
  });
});
