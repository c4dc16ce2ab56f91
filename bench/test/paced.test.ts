import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { paced, parseResponse } from '../lib/paced.mjs';

/** A loopback server for one test: counts the TCP connections it accepts. */
async function serve(handler: http.RequestListener) {
  const server = http.createServer(handler);
  let connections = 0;
  server.on('connection', () => (connections += 1));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/page?n=1`,
    connections: () => connections,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

const bytes = (text: string) => Buffer.from(text, 'latin1');

describe('parseResponse', () => {
  test('waits for the whole head, then for Content-Length bytes of body', () => {
    const head = 'HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 5\r\n\r\n';
    expect(parseResponse(bytes('HTTP/1.1 200 OK\r\nContent-Le'))).toBe(-1);
    expect(parseResponse(bytes(`${head}abc`))).toBe(-1);
    expect(parseResponse(bytes(`${head}abcde`))).toEqual({
      end: head.length + 5,
      status: 200,
      close: false,
    });
  });

  test('follows chunked bodies to the last chunk and its trailers', () => {
    const head = 'HTTP/1.1 201 Created\r\nTransfer-Encoding: chunked\r\n\r\n';
    const body = '5\r\nhello\r\n1a\r\nabcdefghijklmnopqrstuvwxyz\r\n0\r\n';
    expect(parseResponse(bytes(`${head}5\r\nhel`))).toBe(-1);
    expect(parseResponse(bytes(`${head}${body}`))).toBe(-1);
    expect(parseResponse(bytes(`${head}${body}\r\n`))).toEqual({
      end: head.length + body.length + 2,
      status: 201,
      close: false,
    });
    const trailer = 'X-Checksum: 1\r\n\r\n';
    expect(parseResponse(bytes(`${head}${body}${trailer}`))).toMatchObject({
      end: head.length + body.length + trailer.length,
    });
  });

  test('a body with no framing runs to the close; garbage is not HTTP', () => {
    expect(parseResponse(bytes('HTTP/1.0 200 OK\r\nServer: x\r\n\r\nanything'))).toMatchObject({
      status: 200,
      close: true,
    });
    expect(
      parseResponse(
        bytes('HTTP/1.1 503 Unavailable\r\nConnection: close\r\nContent-Length: 0\r\n\r\n'),
      ),
    ).toMatchObject({ status: 503, close: true });
    expect(parseResponse(bytes('SSH-2.0-OpenSSH\r\n\r\n'))).toBeNull();
    expect(
      parseResponse(bytes('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n')),
    ).toBeNull();
  });
});

describe('paced', () => {
  test('sends rate × duration requests, all answered, over a few reused keep-alive sockets', async () => {
    const server = await serve((req, res) => {
      res.setHeader('Content-Type', 'text/plain');
      res.end(`page ${req.url}`);
    });
    try {
      const started = performance.now();
      const r = await paced({ url: server.url, rate: 200, durationS: 1 });
      const elapsed = performance.now() - started;
      expect(r).toMatchObject({ sent: 200, ok: 200, errors: 0 });
      expect(elapsed).toBeGreaterThanOrEqual(990);
      expect(elapsed).toBeLessThan(5000);
      expect(r.p50).toBeGreaterThan(0);
      expect(r.p99).toBeGreaterThanOrEqual(r.p50);
      expect(r.max).toBeGreaterThanOrEqual(r.p99);
      // Misread framing would leave each socket unusable and open one per request; a
      // busy machine that stalls the generator opens a few more than usual.
      expect(server.connections()).toBeLessThan(50);
    } finally {
      await server.close();
    }
  });

  test('reads chunked bodies written in pieces and keeps the socket', async () => {
    const server = await serve((_req, res) => {
      res.write('first piece,');
      setImmediate(() => {
        res.write('second piece,');
        res.end('last piece');
      });
    });
    try {
      const r = await paced({ url: server.url, rate: 100, durationS: 0.5 });
      expect(r).toMatchObject({ sent: 50, ok: 50, errors: 0 });
      expect(server.connections()).toBeLessThan(25);
    } finally {
      await server.close();
    }
  });

  test('opens a new socket after a server that closes each one', async () => {
    const server = await serve((_req, res) => {
      res.setHeader('Connection', 'close');
      res.end('bye');
    });
    try {
      const r = await paced({ url: server.url, rate: 100, durationS: 0.5 });
      expect(r).toMatchObject({ sent: 50, ok: 50, errors: 0 });
      expect(server.connections()).toBe(50);
    } finally {
      await server.close();
    }
  });

  test('counts only 2xx as served: a redirect or an error status is a failure', async () => {
    let n = 0;
    const server = await serve((_req, res) => {
      n += 1;
      if (n % 2 === 0) res.writeHead(302, { Location: '/login' }).end();
      else res.writeHead(n % 3 === 0 ? 500 : 200).end('x');
    });
    try {
      const r = await paced({ url: server.url, rate: 100, durationS: 0.6 });
      const served = Array.from({ length: 60 }, (_, i) => i + 1).filter(
        (i) => i % 2 === 1 && i % 3 !== 0,
      ).length;
      expect(r).toMatchObject({ sent: 60, ok: served, errors: 60 - served });
    } finally {
      await server.close();
    }
  });

  test('times latency from when a request was due, not from when a socket was free', async () => {
    // One socket and a server that takes 20 ms a request, asked for one every 10 ms:
    // requests queue, and each waits longer than the last.
    const server = await serve((_req, res) => {
      setTimeout(() => res.end('slow'), 20);
    });
    try {
      const r = await paced({ url: server.url, rate: 100, durationS: 0.5, maxSockets: 1 });
      expect(r).toMatchObject({ sent: 50, ok: 50, errors: 0 });
      // The 50th is due at 490 ms and answered after ~1000 ms: about 500 ms late. A
      // generator that started the clock at the write would report about 20 ms.
      expect(r.max).toBeGreaterThan(300);
      expect(r.p50).toBeGreaterThan(100);
    } finally {
      await server.close();
    }
  });

  test('with samples, returns each answered request’s due time and latency', async () => {
    // Every fifth request fails, so the samples are the answered ones only.
    let n = 0;
    const server = await serve((_req, res) => {
      res.statusCode = ++n % 5 === 0 ? 500 : 200;
      setTimeout(() => res.end('page'), 5);
    });
    try {
      const started = Date.now();
      const r = await paced({ url: server.url, rate: 100, durationS: 0.5, samples: true });
      expect(r).toMatchObject({ sent: 50, ok: 40, errors: 10 });
      const samples = r.samples ?? [];
      expect(samples).toHaveLength(40);
      const dues = samples.map((s) => s.at).sort((a, b) => a - b);
      // Due times are wall-clock, 10 ms apart, within the run.
      expect(dues[0]).toBeGreaterThanOrEqual(started - 5);
      expect(dues[dues.length - 1]).toBeLessThan(started + 1000);
      expect(dues[dues.length - 1] - dues[0]).toBeGreaterThan(400);
      for (const s of samples) expect(s.ms).toBeGreaterThanOrEqual(4);
      expect(Math.max(...samples.map((s) => s.ms))).toBeCloseTo(r.max, 0);
      // Without the option there are none to carry.
      const plain = await paced({ url: server.url, rate: 100, durationS: 0.1 });
      expect(plain.samples).toBeUndefined();
    } finally {
      await server.close();
    }
  });

  test('is open loop: a slow answer does not hold back the requests due after it', async () => {
    const server = await serve((_req, res) => {
      setTimeout(() => res.end('slow'), 200);
    });
    try {
      const started = performance.now();
      const r = await paced({ url: server.url, rate: 100, durationS: 0.5 });
      const elapsed = performance.now() - started;
      expect(r).toMatchObject({ sent: 50, ok: 50, errors: 0 });
      // Fifty 200 ms answers one after another would take 10 s.
      expect(elapsed).toBeLessThan(4000);
      expect(r.p50).toBeGreaterThanOrEqual(195);
    } finally {
      await server.close();
    }
  });

  test('gives up on answers overdue by timeoutMs and still ends', async () => {
    const server = await serve(() => {
      // never answers
    });
    try {
      const started = performance.now();
      const r = await paced({ url: server.url, rate: 20, durationS: 0.5, timeoutMs: 300 });
      expect(r).toMatchObject({ sent: 10, ok: 0, errors: 10 });
      expect(performance.now() - started).toBeLessThan(5000);
    } finally {
      await server.close();
    }
  });

  test('counts a refused connection as failed requests and ends', async () => {
    const server = await serve(() => {});
    const { url } = server;
    await server.close();
    const r = await paced({ url, rate: 20, durationS: 0.25, timeoutMs: 1000 });
    expect(r).toMatchObject({ sent: 5, ok: 0, errors: 5 });
  });

  test('refuses a rate or duration that makes no request', async () => {
    await expect(paced({ url: 'http://127.0.0.1:9/', rate: 0, durationS: 10 })).rejects.toThrow(
      /no request at all/,
    );
    await expect(paced({ url: 'http://127.0.0.1:9/', rate: 300, durationS: 0 })).rejects.toThrow(
      /no request at all/,
    );
  });
});
