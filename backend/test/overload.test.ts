import type { AddressInfo } from 'node:net';
import express from 'express';
import { errorHandler } from '../src/http/error-handler';
import { guard } from '../src/http/middleware';
import '../src/http/types';
import { createLogger } from '../src/logger';

/**
 * An API behind the guard whose requests wait until `release()` (or 5 s), so
 * requests can be kept in flight on purpose.
 */
async function guardedServer(options: { maxInFlight: number; timeoutMs: number }) {
  const waiting: (() => void)[] = [];
  const app = express();
  app.use((req, _res, next) => {
    req.id = 'test-request';
    next();
  });
  app.use(guard(options));
  app.get('/slow', async (_req, res) => {
    await new Promise<void>((resolve) => {
      waiting.push(resolve);
      setTimeout(resolve, 5000).unref();
    });
    if (!res.headersSent) res.json({ done: true });
  });
  app.use(errorHandler(createLogger('silent', 'test')));
  const server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/slow`;
  return {
    get: async () => {
      const started = Date.now();
      const res = await fetch(url);
      return {
        status: res.status,
        retryAfter: res.headers.get('retry-after'),
        ms: Date.now() - started,
      };
    },
    release: () => waiting.splice(0).forEach((resolve) => resolve()),
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}

describe('the backend under more load than it takes', () => {
  it('when the in-flight cap is reached, then the next request is refused at once with 503 and Retry-After', async () => {
    const server = await guardedServer({ maxInFlight: 2, timeoutMs: 4000 });
    try {
      const first = [server.get(), server.get()];
      await new Promise((resolve) => setTimeout(resolve, 200));
      const shed = await server.get();
      expect(shed).toMatchObject({ status: 503, retryAfter: '1' });
      expect(shed.ms).toBeLessThan(500);
      server.release();
      expect((await Promise.all(first)).map((r) => r.status)).toEqual([200, 200]);
      // Their slots are free again.
      const again = server.get();
      await new Promise((resolve) => setTimeout(resolve, 100));
      server.release();
      expect((await again).status).toBe(200);
    } finally {
      server.release();
      await server.close();
    }
  });

  it('when a request outlives the deadline, then it is answered 503 at the deadline, not when it ends', async () => {
    const server = await guardedServer({ maxInFlight: 10, timeoutMs: 300 });
    try {
      const late = await server.get();
      expect(late).toMatchObject({ status: 503, retryAfter: '1' });
      expect(late.ms).toBeGreaterThanOrEqual(290);
      expect(late.ms).toBeLessThan(2000);
    } finally {
      server.release();
      await server.close();
    }
  });
});
