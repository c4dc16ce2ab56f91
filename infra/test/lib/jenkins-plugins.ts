/**
 * Checks the Jenkins plugin pins (plugins.txt) against the recorded real releases
 * (infra/jenkins/plugin-releases.json): each pin is a release, runs on the pinned Jenkins
 * core, and satisfies what the other pinned plugins require of it.
 */

export interface Dependency {
  name: string;
  version: string;
  optional: boolean;
}

export interface Release {
  requiredCore: string;
  released: string;
  dependencies?: Dependency[];
}

export interface PluginReleases {
  about: string;
  source: string;
  plugins: Record<string, Record<string, Release>>;
}

/** name → version from a plugin-installation-manager plugins.txt. */
export function parsePins(text: string): Map<string, string> {
  const pins = new Map<string, string>();
  for (const raw of text.split('\n')) {
    const line = raw.replace(/#.*/, '').trim();
    if (!line) continue;
    const [name, version, ...rest] = line.split(':');
    if (!name || !version || rest.length > 0) throw new Error(`not NAME:VERSION: "${line}"`);
    if (pins.has(name)) throw new Error(`${name} is pinned twice`);
    pins.set(name, version);
  }
  return pins;
}

/**
 * Orders Jenkins version strings as Jenkins does for the cases pins use: dot-separated
 * parts, numbers numerically, a number above a word ("687.689.v1a…" > "687.v619…"), a
 * missing part lowest ("2.504" < "2.504.3").
 */
export function compareVersions(a: string, b: string): number {
  const pa = a.split('.');
  const pb = b.split('.');
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const x = pa[i];
    const y = pb[i];
    if (x === undefined || y === undefined) return x === undefined ? -1 : 1;
    const nx = /^\d+$/.test(x);
    const ny = /^\d+$/.test(y);
    if (nx && ny && Number(x) !== Number(y)) return Number(x) - Number(y);
    if (nx !== ny) return nx ? 1 : -1;
    if (!nx && x !== y) return x < y ? -1 : 1;
  }
  return 0;
}

export function checkPins(
  pins: Map<string, string>,
  releases: PluginReleases,
  core: string,
): string[] {
  const problems: string[] = [];
  for (const [name, version] of pins) {
    const known = releases.plugins[name];
    if (!known) {
      problems.push(`${name} has no recorded releases (refresh plugin-releases.json)`);
      continue;
    }
    const release = known[version];
    if (!release) {
      problems.push(`${name}:${version} is not a release of ${name}`);
      continue;
    }
    if (compareVersions(release.requiredCore, core) > 0)
      problems.push(`${name}:${version} needs Jenkins ${release.requiredCore}, newer than ${core}`);
    if (!release.dependencies)
      problems.push(
        `${name}:${version} has no recorded dependencies (refresh plugin-releases.json)`,
      );
    for (const dep of release.dependencies ?? []) {
      const pinned = pins.get(dep.name);
      if (pinned && compareVersions(pinned, dep.version) < 0)
        problems.push(
          `${name}:${version} needs ${dep.name} ${dep.version} or newer; pinned ${pinned}`,
        );
    }
  }
  for (const name of Object.keys(releases.plugins))
    if (!pins.has(name))
      problems.push(`${name} is recorded but not pinned (refresh plugin-releases.json)`);
  return problems;
}
