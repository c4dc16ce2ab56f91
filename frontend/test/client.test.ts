import axios from 'axios';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createBackendClient, type BackendClient } from '../src/backend/client';
import { BackendProblem, BackendUnavailable } from '../src/backend/errors';
import { createMetrics } from '../src/metrics';

/** A loopback HTTP server whose behaviour per request is scripted by the test. */
async function server(
  handle: (req: http.IncomingMessage, res: http.ServerResponse, n: number) => void,
  host = '127.0.0.1',
) {
  let n = 0;
  const srv = http.createServer((req, res) => {
    n += 1;
    handle(req, res, n);
  });
  await new Promise<void>((resolve) => srv.listen(0, host, resolve));
  const { port } = srv.address() as AddressInfo;
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    count: () => n,
    close: () => {
      srv.closeAllConnections();
      return new Promise<void>((resolve) => srv.close(() => resolve()));
    },
  };
}

function client(
  baseUrl: string,
  overrides: { attemptTimeoutMs?: number; breakerCooldownMs?: number } = {},
): BackendClient {
  return createBackendClient({
    baseUrl,
    attemptTimeoutMs: overrides.attemptTimeoutMs ?? 1000,
    keepAliveMs: 4000,
    maxSockets: 4,
    maxStreamSockets: 2,
    breakerFailureThreshold: 2,
    breakerCooldownMs: overrides.breakerCooldownMs ?? 5000,
    metrics: createMetrics(),
  });
}

const ctx = () => ({ requestId: 'test-request-1', deadline: Date.now() + 8000 });

/** Request 2 arrives on the kept-alive socket of request 1 and gets it reset, as in a keep-alive race. */
const resetSecond = (_req: http.IncomingMessage, res: http.ServerResponse, n: number) => {
  if (n === 2) {
    res.socket?.destroy();
    return;
  }
  res.setHeader('Content-Type', 'application/json');
  res.end(JSON.stringify({ n }));
};

const unavailableOnce = (_req: http.IncomingMessage, res: http.ServerResponse, n: number) => {
  res.writeHead(n === 1 ? 503 : 200, { 'Content-Type': 'application/json' });
  res.end(JSON.stringify({ n }));
};

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('backend client', () => {
  it('when the backend answers 503 to a GET, then it is retried once and the second answer is used', async () => {
    const srv = await server(unavailableOnce);
    const c = client(srv.url);
    try {
      const answer = await c.call<{ n: number }>(ctx(), { method: 'GET', path: '/a' });
      expect(answer.n).toBe(2);
    } finally {
      c.close();
      await srv.close();
    }
  });

  it('when the backend answers 503 to a POST without an Idempotency-Key, then it is not retried', async () => {
    const srv = await server(unavailableOnce);
    const c = client(srv.url);
    try {
      await expect(c.call(ctx(), { method: 'POST', path: '/a', body: {} })).rejects.toBeInstanceOf(
        BackendUnavailable,
      );
      expect(srv.count()).toBe(1);
    } finally {
      c.close();
      await srv.close();
    }
  });

  it('when the backend answers 500, then it is neither retried nor counted against the breaker', async () => {
    const srv = await server((_req, res) => {
      res.writeHead(500, { 'Content-Type': 'application/problem+json' });
      res.end('{"code":"internal"}');
    });
    const c = client(srv.url);
    try {
      for (let i = 0; i < 3; i += 1) {
        await expect(c.call(ctx(), { method: 'GET', path: '/a' })).rejects.toBeInstanceOf(
          BackendProblem,
        );
      }
      expect(srv.count()).toBe(3);
      expect(c.breakerState).toBe('closed');
    } finally {
      c.close();
      await srv.close();
    }
  });

  it('when nothing listens, then a GET is tried twice and the page hears the backend is unavailable', async () => {
    const srv = await server(() => undefined);
    const url = srv.url;
    await srv.close();
    const c = client(url);
    try {
      const error = await c.call(ctx(), { method: 'GET', path: '/a' }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(BackendUnavailable);
      expect((error as BackendUnavailable).reason).toBe('connect_error');
      expect(c.breakerState).toBe('open');
    } finally {
      c.close();
    }
  });

  it('when the cooldown is over, then one trial goes out, others are refused at once, and its success closes the circuit', async () => {
    let healthy = false;
    const srv = await server((_req, res) => {
      if (!healthy) {
        res.writeHead(503).end();
        return;
      }
      setTimeout(() => {
        res.setHeader('Content-Type', 'application/json');
        res.end('{}');
      }, 100);
    });
    const c = client(srv.url, { breakerCooldownMs: 300 });
    try {
      await expect(c.call(ctx(), { method: 'GET', path: '/a' })).rejects.toBeInstanceOf(
        BackendUnavailable,
      );
      expect(c.breakerState).toBe('open');
      const refused = await c.call(ctx(), { method: 'GET', path: '/a' }).catch((e: unknown) => e);
      expect(refused).toMatchObject({ reason: 'circuit open' });
      expect((refused as BackendUnavailable).retryAfterSeconds).toBe(1);
      const before = srv.count();
      await sleep(350);
      healthy = true;
      const trial = c.call(ctx(), { method: 'GET', path: '/a' });
      expect(c.breakerState).toBe('half-open');
      const started = Date.now();
      await expect(c.call(ctx(), { method: 'GET', path: '/b' })).rejects.toThrow(/circuit open/);
      expect(Date.now() - started).toBeLessThan(50);
      await expect(trial).resolves.toEqual({});
      expect(c.breakerState).toBe('closed');
      expect(srv.count()).toBe(before + 1);
      await expect(c.call(ctx(), { method: 'GET', path: '/c' })).resolves.toEqual({});
    } finally {
      c.close();
      await srv.close();
    }
  });

  it('when the trial fails, then the circuit opens for a whole new cooldown', async () => {
    const srv = await server((_req, res) => res.writeHead(503).end());
    const c = client(srv.url, { breakerCooldownMs: 300 });
    try {
      await expect(c.call(ctx(), { method: 'GET', path: '/a' })).rejects.toBeInstanceOf(
        BackendUnavailable,
      );
      await sleep(350);
      const before = srv.count();
      await expect(c.call(ctx(), { method: 'POST', path: '/a' })).rejects.toThrow(/status 503/);
      expect(srv.count()).toBe(before + 1);
      expect(c.breakerState).toBe('open');
      await sleep(200);
      await expect(c.call(ctx(), { method: 'GET', path: '/a' })).rejects.toThrow(/circuit open/);
      expect(srv.count()).toBe(before + 1);
    } finally {
      c.close();
      await srv.close();
    }
  });

  it('when a reused keep-alive socket is reset under a GET, then it is retried once on a new socket', async () => {
    const srv = await server(resetSecond);
    const c = client(srv.url);
    try {
      await c.call(ctx(), { method: 'GET', path: '/a' });
      const second = await c.call<{ n: number }>(ctx(), { method: 'GET', path: '/b' });
      expect(second.n).toBe(3);
      expect(srv.count()).toBe(3);
    } finally {
      c.close();
      await srv.close();
    }
  });

  it('when the same reset hits a POST without an Idempotency-Key, then it is not retried', async () => {
    const srv = await server(resetSecond);
    const c = client(srv.url);
    try {
      await c.call(ctx(), { method: 'GET', path: '/a' });
      await expect(c.call(ctx(), { method: 'POST', path: '/b', body: {} })).rejects.toBeInstanceOf(
        BackendUnavailable,
      );
      expect(srv.count()).toBe(2);
    } finally {
      c.close();
      await srv.close();
    }
  });

  it('when the same reset hits a keyed POST, then the retry carries the same key', async () => {
    const keys: (string | undefined)[] = [];
    const srv = await server((req, res, n) => {
      keys.push(req.headers['idempotency-key'] as string | undefined);
      resetSecond(req, res, n);
    });
    const c = client(srv.url);
    try {
      await c.call(ctx(), { method: 'GET', path: '/a' });
      await c.call(ctx(), {
        method: 'POST',
        path: '/b',
        body: {},
        idempotencyKey: 'key-123456789012345',
      });
      expect(keys.slice(1)).toEqual(['key-123456789012345', 'key-123456789012345']);
    } finally {
      c.close();
      await srv.close();
    }
  });

  it('when the backend hangs, then each attempt stops at its timeout and the open breaker answers at once', async () => {
    const srv = await server(() => undefined);
    const c = client(srv.url, { attemptTimeoutMs: 200 });
    try {
      for (let i = 0; i < 2; i += 1) {
        const started = Date.now();
        await expect(c.call(ctx(), { method: 'GET', path: '/hang' })).rejects.toBeInstanceOf(
          BackendUnavailable,
        );
        expect(Date.now() - started).toBeLessThan(1000);
      }
      expect(c.breakerState).toBe('open');
      const started = Date.now();
      await expect(c.call(ctx(), { method: 'GET', path: '/hang' })).rejects.toThrow(/circuit open/);
      expect(Date.now() - started).toBeLessThan(50);
      expect(srv.count()).toBe(2);
    } finally {
      c.close();
      await srv.close();
    }
  });

  it('when the request id and token are known, then both are forwarded', async () => {
    let seen: http.IncomingHttpHeaders = {};
    const srv = await server((req, res) => {
      seen = req.headers;
      res.setHeader('Content-Type', 'application/json');
      res.end('{}');
    });
    const c = client(srv.url);
    try {
      const traceparent = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';
      await c.call({ ...ctx(), token: 'tok-abc', traceparent }, { method: 'GET', path: '/me' });
      expect(seen['x-request-id']).toBe('test-request-1');
      expect(seen.authorization).toBe('Bearer tok-abc');
      expect(seen.traceparent).toBe(traceparent);
      expect(seen.accept).toBe('application/json');
    } finally {
      c.close();
      await srv.close();
    }
  });

  it('when the backend stalls halfway through a body, then the attempt still ends at its timeout', async () => {
    const srv = await server((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.write('{"items": [');
    });
    const c = client(srv.url, { attemptTimeoutMs: 200 });
    try {
      const started = Date.now();
      await expect(c.call(ctx(), { method: 'GET', path: '/orders' })).rejects.toBeInstanceOf(
        BackendUnavailable,
      );
      expect(Date.now() - started).toBeLessThan(1000);
    } finally {
      c.close();
      await srv.close();
    }
  });

  it('when a call has a query and a body, then the backend receives them as sent, and JSON comes back parsed', async () => {
    let seen = { method: '', url: '', headers: {} as http.IncomingHttpHeaders, body: '' };
    const srv = await server((req, res) => {
      let body = '';
      req.setEncoding('utf8');
      req.on('data', (chunk: string) => (body += chunk));
      req.on('end', () => {
        seen = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body };
        res.setHeader('Content-Type', 'application/json; charset=utf-8');
        res.end(JSON.stringify({ id: 7, name: 'Zoë' }));
      });
    });
    const c = client(srv.url);
    try {
      const patched = await c.call(ctx(), {
        method: 'PATCH',
        path: '/users/7',
        query: { page: 2, q: 'a b&c=d', skipped: undefined },
        body: { name: 'Zoë <b>' },
      });
      expect(patched).toEqual({ id: 7, name: 'Zoë' });
      expect(seen.method).toBe('PATCH');
      const url = new URL(seen.url, 'http://x');
      expect(url.pathname).toBe('/api/v1/users/7');
      expect([...url.searchParams]).toEqual([
        ['page', '2'],
        ['q', 'a b&c=d'],
      ]);
      expect(seen.headers['content-type']).toBe('application/json');
      expect(JSON.parse(seen.body)).toEqual({ name: 'Zoë <b>' });
      expect(Number(seen.headers['content-length'])).toBe(Buffer.byteLength(seen.body));
    } finally {
      c.close();
      await srv.close();
    }
  });

  it('when the backend is an IPv6 address under a path, then calls reach that path, and a text answer stays text', async () => {
    const srv = await server((req, res) => {
      res.setHeader('Content-Type', 'text/plain; charset=utf-8');
      res.end(`got ${req.url ?? ''}`);
    }, '::1');
    const c = client(`${srv.url}/prefix/`);
    try {
      await expect(
        c.call(ctx(), { method: 'GET', path: '/health', query: { a: 1 } }),
      ).resolves.toBe('got /prefix/api/v1/health?a=1');
    } finally {
      c.close();
      await srv.close();
    }
  });

  it("when axios's global defaults carry a header, then no backend call sends it", async () => {
    // The instance is built from axios.Axios with its own defaults only; one from
    // axios.create() would copy the globals in and merge them into every request.
    let seen: http.IncomingHttpHeaders = {};
    const srv = await server((req, res) => {
      seen = req.headers;
      req.resume();
      req.on('end', () => {
        res.setHeader('Content-Type', 'application/json');
        res.end('{}');
      });
    });
    axios.defaults.headers.common['X-Global-Default'] = 'leaked';
    const c = client(srv.url);
    try {
      await c.call(ctx(), { method: 'POST', path: '/orders', body: { a: 1 } });
      expect(seen['x-global-default']).toBeUndefined();
      expect(seen['x-request-id']).toBe('test-request-1');
    } finally {
      delete axios.defaults.headers.common['X-Global-Default'];
      c.close();
      await srv.close();
    }
  });

  it('when the backend answers with a problem, then its code, field errors and Retry-After reach the page', async () => {
    const srv = await server((_req, res) => {
      res.writeHead(429, { 'Content-Type': 'application/problem+json', 'Retry-After': '7' });
      res.end(
        JSON.stringify({
          code: 'too_many_attempts',
          detail: 'Try again later.',
          errors: [{ field: 'email', message: 'slow down' }, { bogus: true }],
        }),
      );
    });
    const c = client(srv.url);
    try {
      const error = await c
        .call(ctx(), { method: 'POST', path: '/auth/login', body: {} })
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(BackendProblem);
      expect(error).toMatchObject({
        status: 429,
        code: 'too_many_attempts',
        message: 'Try again later.',
        errors: [{ field: 'email', message: 'slow down' }],
        retryAfterSeconds: 7,
      });
    } finally {
      c.close();
      await srv.close();
    }
  });
});
