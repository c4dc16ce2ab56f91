import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import semver from 'semver';

const ROOT = join(__dirname, '..', '..');
const read = (file: string) => readFileSync(join(ROOT, file), 'utf8');

/** The Node version the README's requirements name ("Node.js 22.13 or newer"). */
function readmeNode(): string {
  const match = /^Requirements: Node\.js (\d+\.\d+) or newer/m.exec(read('README.md'));
  if (!match) throw new Error('README.md: no "Requirements: Node.js X.Y or newer" line');
  return `${match[1]}.0`;
}

/** Every installed package whose engines field names a Node range, by its lockfile path. */
function lockedEngines(): [string, string][] {
  const lock = JSON.parse(read('package-lock.json')) as {
    packages: Record<string, { engines?: Record<string, string> | string[] }>;
  };
  return Object.entries(lock.packages).flatMap(([where, pkg]) => {
    const range = pkg.engines && !Array.isArray(pkg.engines) ? pkg.engines.node : undefined;
    return where !== '' && typeof range === 'string' ? [[where, range] as [string, string]] : [];
  });
}

/** The packages (of `engines`) whose Node range leaves out `version`. */
const excluding = (version: string, engines: [string, string][]) =>
  engines
    .filter(([, range]) => !semver.satisfies(version, range, { includePrerelease: true }))
    .map(([where, range]) => `${where.replace(/^.*node_modules\//, '')} needs node ${range}`);

describe('the Node version the README names', () => {
  it('when package.json states its engines, then they start at the README’s version', () => {
    const { engines } = JSON.parse(read('package.json')) as { engines: { node: string } };
    expect(semver.minVersion(engines.node)?.version).toBe(readmeNode());
  });

  it('when every locked package’s engines are read, then each admits the README’s version (npm ci warns of none)', () => {
    const engines = lockedEngines();
    expect(engines.length).toBeGreaterThan(50);
    expect(excluding(readmeNode(), engines)).toEqual([]);
  });

  it('control: when the version is one a locked package leaves out, then the check names it', () => {
    expect(excluding('20.19.0', [['node_modules/kubernetes-models', '>=22']])).toEqual([
      'kubernetes-models needs node >=22',
    ]);
  });
});
