import { execFile } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describeNeeding } from '../../scripts/lib/test-deps';

/**
 * Terraform itself on the tree, offline: fmt -check everywhere, and init + validate +
 * terraform test (mocked providers) for every root and module that calls no registry
 * module, against the AWS provider from a filesystem mirror. The roots that need registry
 * modules are checked the same way by infra/terraform/scripts/check.sh where the modules
 * can be fetched (the pipeline, or locally with --modules).
 */
const TERRAFORM = join(__dirname, '..', 'terraform');
const MIRROR = process.env.TF_PROVIDER_MIRROR ?? '/opt/tf-plugins';
const run = promisify(execFile);

function requireMirror(): void {
  if (!existsSync(join(MIRROR, 'registry.terraform.io', 'hashicorp', 'aws')))
    throw new Error(
      `no AWS provider mirror at ${MIRROR}: set TF_PROVIDER_MIRROR (see infra/README.md)`,
    );
}

/** Module sources called from a root or module folder. */
function sources(dir: string): string[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.tf'))
    .flatMap(
      (f) => readFileSync(join(dir, f), 'utf8').match(/^module\s+"[^"]+"\s*\{[\s\S]*?^\}/gm) ?? [],
    )
    .map((block) => /^\s*source\s*=\s*"([^"]+)"/m.exec(block)?.[1] ?? '');
}

/** True when a folder, and every local module it calls, calls no registry module. */
function selfContainedDir(dir: string): boolean {
  return sources(dir).every((s) => /^\.{1,2}\//.test(s) && selfContainedDir(join(dir, s)));
}

/** Roots and modules Terraform can initialise here without downloading a module. */
function selfContained(): string[] {
  const dirs = [
    'bootstrap',
    ...['envs', 'modules'].flatMap((d) => readdirSync(join(TERRAFORM, d)).map((n) => `${d}/${n}`)),
  ];
  return dirs.filter((dir) => selfContainedDir(join(TERRAFORM, dir)));
}

describeNeeding(['terraform'], 'Terraform CLI', () => {
  let work = '';
  let env: NodeJS.ProcessEnv = {};

  beforeAll(() => {
    work = mkdtempSync(join(tmpdir(), 'tf-cli-'));
    mkdirSync(join(work, 'cache'));
    writeFileSync(
      join(work, 'terraform.rc'),
      `provider_installation {\n  filesystem_mirror {\n    path = "${MIRROR}"\n  }\n}\n`,
    );
    cpSync(TERRAFORM, join(work, 'terraform'), {
      recursive: true,
      filter: (src) => !src.includes('.terraform'),
    });
    env = {
      ...process.env,
      TF_CLI_CONFIG_FILE: join(work, 'terraform.rc'),
      TF_PLUGIN_CACHE_DIR: join(work, 'cache'),
      TF_IN_AUTOMATION: '1',
      CHECKPOINT_DISABLE: '1',
    };
  });
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it('when the tree is formatted, then terraform fmt -check finds nothing to change', async () => {
    requireMirror();
    await expect(
      run('terraform', ['fmt', '-check', '-recursive', TERRAFORM]),
    ).resolves.toBeDefined();
  });

  it('when the roots and modules that need no registry module are checked, then init, validate and their plan tests pass', async () => {
    requireMirror();
    const dirs = selfContained();
    expect(dirs).toEqual(
      expect.arrayContaining(['bootstrap', 'modules/certificate', 'modules/deployer']),
    );
    for (const dir of dirs) {
      const cwd = join(work, 'terraform', dir);
      const opts = { cwd, env, timeout: 120_000 };
      await run('terraform', ['init', '-backend=false', '-input=false', '-no-color'], opts);
      await run('terraform', ['validate', '-no-color'], opts);
      if (existsSync(join(cwd, 'tests'))) {
        const { stdout } = await run('terraform', ['test', '-no-color'], opts);
        expect(stdout).toMatch(/Success! \d+ passed, 0 failed/);
      }
    }
  }, 300_000);
});
