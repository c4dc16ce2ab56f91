import { execFile } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { installHint, missingPrograms, readTestDeps } from '../lib/test-deps';

const ROOT = join(__dirname, '..', '..');
const FIXTURE = join(__dirname, 'fixtures', 'test-deps', 'jest.config.js');
const JEST = require.resolve('jest/bin/jest');

/** jest on the fixture suite with only `path` on PATH; CI as given. */
function runFixture(path: string, ci?: string): Promise<{ code: number; output: string }> {
  const env: NodeJS.ProcessEnv = { HOME: process.env.HOME, PATH: path };
  if (ci !== undefined) env.CI = ci;
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [JEST, '--config', FIXTURE, '--colors=false'],
      { cwd: ROOT, env, timeout: 60_000 },
      (error, stdout, stderr) =>
        resolve({ code: error ? Number(error.code ?? 1) : 0, output: stdout + stderr }),
    );
  });
}

describe('system programs the suites need (scripts/lib/test-deps.js)', () => {
  let empty: string;
  let fakes: string;
  beforeAll(() => {
    empty = mkdtempSync(join(tmpdir(), 'test-deps-empty-'));
    fakes = mkdtempSync(join(tmpdir(), 'test-deps-fakes-'));
    for (const program of ['chromium', 'promtool']) {
      writeFileSync(join(fakes, program), '#!/bin/sh\nexit 0\n');
      chmodSync(join(fakes, program), 0o755);
    }
  });
  afterAll(() => {
    rmSync(empty, { recursive: true, force: true });
    rmSync(fakes, { recursive: true, force: true });
  });

  it('when the programs are missing, then the suite is skipped and the run says so at its top and bottom, with the install command', async () => {
    const { code, output } = await runFixture(empty);
    expect(code).toBe(0);
    const top = output.indexOf('Not installed: ');
    const bottom = output.indexOf('1 suite(s) did not run:');
    expect(top).toBeGreaterThanOrEqual(0);
    expect(bottom).toBeGreaterThan(top);
    expect(output.slice(top)).toMatch(/^Not installed: [^\n]*\bchromium\b[^\n]*\bpromtool\b/);
    expect(output.slice(bottom)).toContain(
      'a suite that drives a browser: needs chromium, promtool (install: scripts/install-test-deps.sh)',
    );
    expect(output.slice(bottom)).toContain('sudo scripts/install-test-deps.sh');
    expect(output).toMatch(/Tests:\s+1 skipped, 1 passed, 2 total/);
  });

  it('when CI is set and the programs are missing, then the run fails naming them', async () => {
    const { code, output } = await runFixture(empty, 'true');
    expect(code).toBe(1);
    expect(output).toContain(
      'chromium, promtool not installed, and CI requires every suite to run',
    );
    expect(output).toContain('(failed: CI is set)');
  });

  it('when the programs are on PATH, then the suite itself runs', async () => {
    const { code, output } = await runFixture(fakes);
    expect(code).toBe(1);
    expect(output).toContain('the suite ran');
    expect(output).not.toContain('did not run');
  });

  it('when a suite names a program the list lacks, then it is told to add it there', () => {
    expect(() => missingPrograms(['no-such-program'])).toThrow(/not in scripts\/test-deps.txt/);
  });

  it('when the list is read, then every line names a program, a package and a known group', () => {
    const deps = readTestDeps();
    expect(deps.length).toBeGreaterThan(10);
    for (const dep of deps) {
      expect(['test', 'containers', 'manual']).toContain(dep.group);
      if (dep.group === 'manual') expect(dep.package).toMatch(/^https:\/\/\S+$/);
      else expect(dep.package).toMatch(/^[a-z0-9][a-z0-9.+-]+$/);
    }
  });

  it('when a program is not a Debian package, then its install hint is where to get it, not the script', () => {
    expect(installHint(['terraform'])).toBe(
      'terraform: https://developer.hashicorp.com/terraform/install',
    );
    expect(installHint(['nginx', 'kubectl'])).toBe(
      'scripts/install-test-deps.sh; kubectl: https://kubernetes.io/docs/tasks/tools/',
    );
  });
});
