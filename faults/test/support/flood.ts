import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';

/** What wrk saw: every answer (5xx counted apart) and every socket error or timeout. */
export interface FloodResult {
  requests: number;
  ok: number;
  fail5xx: number;
  connect: number;
  read: number;
  write: number;
  timeout: number;
  seconds: number;
}

/** Counts answers by class in each thread and prints one JSON line when wrk stops. */
const SCRIPT = `
local threads = {}
function setup(thread) table.insert(threads, thread) end
function init(args) fails = 0; ok = 0 end
function response(status, headers, body)
  if status >= 500 then fails = fails + 1 else ok = ok + 1 end
end
function done(summary, latency, requests)
  local f, o = 0, 0
  for _, t in ipairs(threads) do f = f + t:get("fails"); o = o + t:get("ok") end
  io.write(string.format('{"requests":%d,"ok":%d,"fail5xx":%d,"connect":%d,"read":%d,"write":%d,"timeout":%d,"seconds":%.2f}\\n',
    summary.requests, o, f, summary.errors.connect, summary.errors.read, summary.errors.write,
    summary.errors.timeout, summary.duration / 1e6))
end
`;

export const failed = (r: FloodResult) => r.fail5xx + r.connect + r.read + r.write + r.timeout;

/**
 * As many GETs of `url` as `connections` keep-alive connections can make (wrk, one
 * thread: a few thousand a second on two cores), until stop(). A request slower than
 * `timeoutSeconds` counts as failed.
 */
export function flood(
  url: string,
  dir: string,
  { connections = 64, timeoutSeconds = 10 } = {},
): { stop(): Promise<FloodResult> } {
  const script = path.join(dir, 'flood.lua');
  writeFileSync(script, SCRIPT);
  const wrk = spawn(
    'wrk',
    ['-t1', `-c${connections}`, '-d600s', '--timeout', `${timeoutSeconds}s`, '-s', script, url],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  let out = '';
  wrk.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  let failure: Error | undefined;
  const exited = new Promise<void>((resolve) => {
    wrk.once('error', (error) => {
      failure = error; // e.g. wrk not installed (Debian package "wrk")
      resolve();
    });
    wrk.once('exit', () => resolve());
  });
  return {
    async stop() {
      wrk.kill('SIGINT');
      await exited;
      if (failure) throw failure;
      const line = out.trim().split('\n').pop() ?? '';
      if (!line.startsWith('{')) throw new Error(`wrk printed no result: ${out}`);
      return JSON.parse(line) as FloodResult;
    },
  };
}
