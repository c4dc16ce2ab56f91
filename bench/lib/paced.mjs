// An open-loop load generator: request i is due at start + i / rate, whether or
// not earlier ones have answered, and its latency is measured from when it was
// due. A closed-loop tool that fires each second's quota in a burst, or waits for
// a slow answer before sending the next request, reports latencies the steady
// rate never produces, or hides the ones it does (coordinated omission).
import http from 'node:http';

/** Nearest-rank percentile of a sorted array. */
function percentile(sorted, p) {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

/**
 * @param {{ url: string, rate: number, durationS: number, headers?: Record<string, string>, maxSockets?: number }} options
 * @returns {Promise<{ sent: number, ok: number, errors: number, rps: number, p50: number, p99: number, max: number }>}
 *   latencies in milliseconds
 */
export async function paced({ url, rate, durationS, headers = {}, maxSockets = 64 }) {
  const agent = new http.Agent({ keepAlive: true, maxSockets });
  const target = new URL(url);
  const total = Math.round(rate * durationS);
  const latencies = [];
  let errors = 0;
  let finished = 0;
  const start = performance.now();
  let finishedAll;
  const done = new Promise((resolve) => (finishedAll = resolve));

  const settle = (due, ok) => {
    if (ok) latencies.push(performance.now() - due);
    else errors += 1;
    if (++finished === total) finishedAll();
  };
  const fire = (due) => {
    // A reset mid-response can raise errors on both the response and the request:
    // count each request once.
    let settled = false;
    const once = (ok) => {
      if (settled) return;
      settled = true;
      settle(due, ok);
    };
    const req = http.get(
      {
        host: target.hostname,
        port: target.port,
        path: target.pathname + target.search,
        agent,
        headers,
        timeout: 10_000,
      },
      (res) => {
        res.resume();
        res.on('end', () => once(res.statusCode < 400));
        res.on('error', () => once(false));
      },
    );
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', () => once(false));
  };

  let next = 0;
  const tick = () => {
    const now = performance.now();
    while (next < total && start + (next * 1000) / rate <= now) {
      fire(start + (next * 1000) / rate);
      next += 1;
    }
    if (next < total)
      setTimeout(tick, Math.max(0, start + (next * 1000) / rate - performance.now()));
  };
  tick();
  await done;
  agent.destroy();
  const elapsedS = (performance.now() - start) / 1000;
  latencies.sort((a, b) => a - b);
  const round = (ms) => Math.round(ms * 10) / 10;
  return {
    sent: total,
    ok: latencies.length,
    errors,
    rps: Math.round(latencies.length / elapsedS),
    p50: round(percentile(latencies, 50)),
    p99: round(percentile(latencies, 99)),
    max: round(latencies[latencies.length - 1] ?? 0),
  };
}
