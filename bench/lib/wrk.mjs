// wrk (Debian package "wrk") as the closed-loop load generator: written in C, it
// needs a fraction of the CPU a Node generator needs for the same request rate,
// which matters when the generator shares two cores with the system it measures.
import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** The wrk binary, or null when it is not installed. */
export function findWrk() {
  try {
    return execFileSync('sh', ['-c', 'command -v wrk'], { encoding: 'utf8' }).trim() || null;
  } catch {
    return null;
  }
}

const MS = { us: 0.001, ms: 1, s: 1000, m: 60_000 };

/** Parses wrk's `--latency` report. Exported for its test. */
export function parseWrk(output) {
  const num = (re) => {
    const m = re.exec(output);
    return m ? Number(m[1]) : 0;
  };
  const latency = (pct) => {
    const m = new RegExp(`^\\s+${pct}%\\s+([\\d.]+)(us|ms|s|m)\\s*$`, 'm').exec(output);
    return m ? Math.round(Number(m[1]) * MS[m[2]] * 10) / 10 : null;
  };
  const socket = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(
    output,
  );
  const socketErrors = socket ? socket.slice(1).reduce((n, v) => n + Number(v), 0) : 0;
  return {
    requests: num(/(\d+) requests in/),
    rps: Math.round(num(/Requests\/sec:\s+([\d.]+)/)),
    p50: latency(50),
    p99: latency(99),
    errors: socketErrors + num(/Non-2xx or 3xx responses: (\d+)/),
  };
}

/**
 * One closed-loop run: `connections` connections, each sending its next request
 * when the previous one is answered, for `durationS` seconds. A 2xx or 3xx is a
 * success (the add-order POST answers 303); anything else counts as an error.
 * `body` makes it a form POST; with `uniqueField`, every request appends a fresh
 * value for that field (the add-order form's Idempotency-Key).
 *
 * @param {{ url: string, connections: number, durationS: number, headers?: Record<string, string>,
 *   body?: string, uniqueField?: string }} options
 */
export async function wrk({ url, connections, durationS, headers = {}, body, uniqueField }) {
  const binary = findWrk();
  if (!binary) throw new Error('wrk is not installed: apt-get install wrk');
  const dir = mkdtempSync(path.join(os.tmpdir(), 'tradepost-wrk-'));
  const args = ['-t1', `-c${connections}`, `-d${durationS}s`, '--latency', '--timeout', '10s'];
  for (const [name, value] of Object.entries(headers)) args.push('-H', `${name}: ${value}`);
  if (body !== undefined) {
    const script = path.join(dir, 'post.lua');
    const run = Math.random().toString(16).slice(2, 10).padEnd(8, '0');
    writeFileSync(
      script,
      [
        'wrk.method = "POST"',
        'wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"',
        `local body = ${JSON.stringify(body)}`,
        'local n = 0',
        'request = function()',
        '  n = n + 1',
        uniqueField
          ? `  return wrk.format(nil, nil, nil, body .. "&${uniqueField}=bench-${run}-" .. string.format("%012d", n))`
          : '  return wrk.format(nil, nil, nil, body)',
        'end',
      ].join('\n'),
    );
    args.push('-s', script);
  }
  args.push(url);
  try {
    const output = await new Promise((resolve, reject) =>
      execFile(
        binary,
        args,
        { encoding: 'utf8', timeout: (durationS + 30) * 1000 },
        (err, stdout) => (err ? reject(err) : resolve(stdout)),
      ),
    );
    return parseWrk(output);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
