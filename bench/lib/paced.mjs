// An open-loop load generator: request i is due at start + i / rate, whether or
// not earlier ones have answered, and its latency is measured from when it was
// due. A closed-loop tool that fires each second's quota in a burst, or waits for
// a slow answer before sending the next request, reports latencies the steady
// rate never produces, or hides the ones it does (coordinated omission).
//
// It shares the cores with what it measures, so it is kept lean: one request's
// bytes are built once and written to a raw keep-alive socket, and only the status
// line and the body's framing are parsed. Node's HTTP client costs about twice the
// CPU per request, all of it taken from the services under test.
import net from 'node:net';

/** Nearest-rank percentile of a sorted array. */
function percentile(sorted, p) {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

const HEAD_END = Buffer.from('\r\n\r\n');
const CRLF = Buffer.from('\r\n');

/**
 * Where the response that starts at the beginning of `buf` ends, or -1 if it has
 * not all arrived. Knows Content-Length and chunked bodies, which is all a
 * keep-alive HTTP/1.1 server may send.
 * @returns {{ end: number, status: number, close: boolean } | null | -1}
 *   null when the bytes are not HTTP
 */
export function parseResponse(buf) {
  const headEnd = buf.indexOf(HEAD_END);
  if (headEnd === -1) return -1;
  const head = buf.toString('latin1', 0, headEnd);
  const status = /^HTTP\/1\.[01] (\d{3})/.exec(head);
  if (!status) return null;
  const close = /\r\nconnection:[ \t]*close/i.test(head);
  const bodyStart = headEnd + 4;
  const length = /\r\ncontent-length:[ \t]*(\d+)/i.exec(head);
  if (length) {
    const end = bodyStart + Number(length[1]);
    return end <= buf.length ? { end, status: Number(status[1]), close } : -1;
  }
  if (/\r\ntransfer-encoding:[^\r]*chunked/i.test(head)) {
    let at = bodyStart;
    for (;;) {
      const lineEnd = buf.indexOf(CRLF, at);
      if (lineEnd === -1) return -1;
      const size = Number.parseInt(buf.toString('latin1', at, lineEnd), 16);
      if (Number.isNaN(size)) return null;
      if (size === 0) {
        // Optional trailer lines, then a blank line.
        const end = buf.indexOf(HEAD_END, lineEnd);
        return end === -1 ? -1 : { end: end + 4, status: Number(status[1]), close };
      }
      at = lineEnd + 2 + size + 2;
      if (at > buf.length) return -1;
    }
  }
  // No framing: the body runs to the end of the connection (HTTP/1.0 style).
  return { end: bodyStart, status: Number(status[1]), close: true };
}

/**
 * @param {{ url: string, rate: number, durationS: number, headers?: Record<string, string>, maxSockets?: number, timeoutMs?: number, samples?: boolean }} options
 *   `samples`: also return every answered request's due time and latency
 * @returns {Promise<{ sent: number, ok: number, errors: number, rps: number, p50: number, p99: number, max: number, samples?: { at: number, ms: number }[] }>}
 *   latencies in milliseconds; a sample's `at` is its due time in ms since the epoch
 */
export async function paced({
  url,
  rate,
  durationS,
  headers = {},
  maxSockets = 64,
  timeoutMs = 10_000,
  samples = false,
}) {
  const target = new URL(url);
  const port = Number(target.port) || 80;
  const request = Buffer.from(
    `GET ${target.pathname}${target.search} HTTP/1.1\r\nHost: ${target.host}\r\n` +
      Object.entries(headers)
        .map(([name, value]) => `${name}: ${value}\r\n`)
        .join('') +
      '\r\n',
    'latin1',
  );
  const total = Math.round(rate * durationS);
  if (!(total >= 1))
    throw new Error(`paced: ${rate} req/s for ${durationS} s is no request at all`);
  const latencies = [];
  /** @type {{ at: number, ms: number }[]} */
  const answered = [];
  let errors = 0;
  let finished = 0;
  let finishedAll;
  const done = new Promise((resolve) => (finishedAll = resolve));
  const settle = (due, ok) => {
    if (ok) {
      const ms = performance.now() - due;
      latencies.push(ms);
      if (samples) answered.push({ at: performance.timeOrigin + due, ms });
    } else errors += 1;
    if (++finished === total) finishedAll();
  };

  /** Requests due but waiting for a socket: their wait counts in their latency. */
  const waiting = [];
  const idle = [];
  const sockets = new Set();
  let open = 0;

  const connect = () => {
    open += 1;
    const socket = net.connect({ host: target.hostname, port, noDelay: true });
    const conn = { socket, due: 0, buf: Buffer.alloc(0), busy: false, idleSince: 0 };
    sockets.add(conn);
    const finish = (ok, reusable) => {
      conn.busy = false;
      conn.buf = Buffer.alloc(0);
      settle(conn.due, ok);
      if (reusable) release(conn);
      else socket.destroy();
    };
    socket.on('data', (chunk) => {
      if (!conn.busy) return;
      conn.buf = conn.buf.length ? Buffer.concat([conn.buf, chunk]) : chunk;
      const response = parseResponse(conn.buf);
      if (response === -1) return;
      if (response === null) finish(false, false);
      // Only a 2xx is a page served: a redirect to the login page is a failure here.
      else
        finish(
          response.status >= 200 && response.status < 300,
          !response.close && response.end === conn.buf.length,
        );
    });
    socket.on('error', () => {});
    // The server closed its side: never hand this socket out again.
    socket.on('end', () => socket.destroy());
    socket.on('close', () => {
      open -= 1;
      sockets.delete(conn);
      const at = idle.indexOf(conn);
      if (at !== -1) idle.splice(at, 1);
      if (conn.busy) finish(false, false);
      // A socket lost while requests wait: open another for them.
      if (waiting.length && open < maxSockets) send(connect(), waiting.shift());
    });
    return conn;
  };
  const send = (conn, due) => {
    conn.busy = true;
    conn.due = due;
    conn.socket.write(request);
  };
  const release = (conn) => {
    if (waiting.length) send(conn, waiting.shift());
    else {
      conn.idleSince = performance.now();
      idle.push(conn);
    }
  };
  const fire = (due) => {
    // Most recently used first: it is the one most likely to be warm.
    const conn = idle.pop() ?? (open < maxSockets ? connect() : undefined);
    if (conn) send(conn, due);
    else waiting.push(due);
  };

  const start = performance.now();
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
  // One sweep for overdue answers rather than a timer per request. It also closes
  // sockets idle for 4 s, before a server's keep-alive timeout (5 s in Node) can close
  // one just as a request is written to it, which would count as a failed request.
  const sweep = setInterval(() => {
    const now = performance.now();
    for (const conn of sockets) {
      if (conn.busy ? conn.due < now - timeoutMs : conn.idleSince < now - 4000)
        conn.socket.destroy();
    }
  }, 100);
  await done;
  clearInterval(sweep);
  for (const conn of idle) conn.socket.destroy();
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
    ...(samples ? { samples: answered } : {}),
  };
}
