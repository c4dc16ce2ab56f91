import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { REPO_DIR } from './render';

/**
 * Environment variable names a service's `src/config.ts` reads: its UPPER_SNAKE keys,
 * plus `NAME_FILE` for every quoted 'NAME' when the file supports secret files.
 */
export function configNames(service: 'backend' | 'frontend'): Set<string> {
  const source = readFileSync(path.join(REPO_DIR, service, 'src', 'config.ts'), 'utf8');
  const names = new Set(source.match(/\b[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+\b|\b[A-Z]{4,}\b/g) ?? []);
  if (source.includes('_FILE')) {
    for (const m of source.matchAll(/['"]([A-Z][A-Z0-9_]+)['"]/g)) names.add(`${m[1]}_FILE`);
  }
  return names;
}

/** Names the nginx image's start-up files read (nginx/render.sh and its template). */
export function nginxNames(): Set<string> | null {
  const dir = path.join(REPO_DIR, 'nginx');
  if (!existsSync(path.join(dir, 'Dockerfile'))) return null;
  const text = readdirSync(dir)
    .filter((f) => /\.(sh|template)$|Dockerfile$/.test(f))
    .map((f) => readFileSync(path.join(dir, f), 'utf8'))
    .join('\n');
  return new Set(text.match(/\b[A-Z][A-Z0-9_]+\b/g) ?? []);
}

/** Names the backend's test harness reads (used by the compose test profile). */
export function backendTestNames(): Set<string> {
  const dir = path.join(REPO_DIR, 'backend', 'test');
  const files = existsSync(dir) ? readdirSync(dir, { recursive: true, encoding: 'utf8' }) : [];
  const text = files
    .filter((f) => f.endsWith('.ts'))
    .map((f) => readFileSync(path.join(dir, f), 'utf8'))
    .join('\n');
  return new Set(text.match(/\b[A-Z][A-Z0-9_]+\b/g) ?? []);
}

export function unknownNames(set: Iterable<string>, known: Set<string>): string[] {
  return [...set].filter((n) => !known.has(n));
}
