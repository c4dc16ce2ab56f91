import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const CANDIDATES = ['/usr/bin/promtool', '/usr/local/bin/promtool'];

/** promtool is required, never optional: a missing binary fails the suite by name. */
export function promtoolPath(): string {
  const found = CANDIDATES.find((p) => existsSync(p));
  if (!found) {
    throw new Error(
      'promtool is missing: install the Debian package "prometheus" (apt-get install prometheus)',
    );
  }
  return found;
}

export interface Run {
  code: number | null;
  output: string;
}

export function promtool(args: string[], cwd?: string): Run {
  const result = spawnSync(promtoolPath(), args, { cwd, encoding: 'utf8', timeout: 60000 });
  if (result.error) throw result.error;
  return { code: result.status, output: `${result.stdout}${result.stderr}` };
}
