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
  await rewriteNginxAll(stack, [[from, to]]);
}

/** Several edits of the running nginx's config, then one reload. */
export async function rewriteNginxAll(
  stack: Stack,
  edits: [from: string | RegExp, to: string][],
): Promise<void> {
  let conf = readFileSync(stack.nginx.confFile, 'utf8');
  for (const [from, to] of edits) {
    const found = typeof from === 'string' ? conf.includes(from) : conf.search(from) >= 0;
    if (!found) throw new Error(`nginx.conf has no "${String(from)}"`);
    conf = conf.replace(from, to);
  }
  writeFileSync(stack.nginx.confFile, conf);
  await stack.reloadNginx();
  // Old workers finish their requests; new ones carry the new config.
  await sleep(1000);
}

/**
 * nginx's passive health as it was before the backup entries and the quicker return of a
 * restarted replica: two failures took a replica out for 5 s, two tries per request, and
 * no entry was left to try once every replica was out ("no live upstreams").
 */
export const PASSIVE_HEALTH_BEFORE: [RegExp | string, string][] = [
  [/^ *server \S+ backup max_fails=0;\n/gm, ''],
  [/ max_fails=1 fail_timeout=2s;/g, ' max_fails=2 fail_timeout=5s;'],
  ['proxy_next_upstream_tries 3;', 'proxy_next_upstream_tries 2;'],
];

/**
 * Passive health that certainly leaves nginx no replica to try during a rolling restart:
 * no backups, and one failure takes a replica out for 30 s. For a control at a rate too
 * low to meet the old settings' shorter windows reliably.
 */
export const NO_REPLICA_LEFT: [RegExp | string, string][] = [
  [/^ *server \S+ backup max_fails=0;\n/gm, ''],
  [/ max_fails=1 fail_timeout=2s;/g, ' max_fails=1 fail_timeout=30s;'],
];
