import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Stack } from './stack';

export interface AccessLine {
  time: string;
  method: string;
  uri: string;
  status: number;
  upstream: string;
  upstreamStatus: string;
}

/** nginx's JSON access log lines so far. */
export function accessLog(stack: Stack): AccessLine[] {
  return readFileSync(path.join(stack.logs, 'nginx-access.log'), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as AccessLine);
}

/** Requests nginx passed to more than one replica (`upstream` lists every address tried). */
export const retried = (lines: AccessLine[]) => lines.filter((l) => l.upstream.includes(','));

/**
 * Edit the running nginx's rendered config (a copy in the stack's temp dir, never the
 * template) and reload it; used by negative controls to re-introduce a bug.
 */
export async function rewriteNginx(stack: Stack, from: string | RegExp, to: string): Promise<void> {
  const conf = readFileSync(stack.nginx.confFile, 'utf8');
  const found = typeof from === 'string' ? conf.includes(from) : conf.search(from) >= 0;
  if (!found) throw new Error(`nginx.conf has no "${String(from)}"`);
  writeFileSync(stack.nginx.confFile, conf.replace(from, to));
  await stack.reloadNginx();
  // Old workers finish their requests; new ones carry the new config.
  await sleep(1000);
}
