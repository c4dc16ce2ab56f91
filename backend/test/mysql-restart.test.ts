import { startMariaDB, type MariaDB } from '../../scripts/lib/mariadb';
import {
  bearer,
  describeWithOwnServer,
  startTestBackend,
  validOrder,
  type TestContext,
} from './support/harness';
import { adminConnection } from './support/test-database';

async function until<T>(
  probe: () => Promise<T>,
  ok: (value: T) => boolean,
  timeoutMs: number,
): Promise<number> {
  const started = Date.now();
  for (;;) {
    if (ok(await probe())) return Date.now() - started;
    if (Date.now() - started > timeoutMs)
      throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

// Its own private server, because this suite kills and freezes it.
describeWithOwnServer('when MySQL restarts under the backend', () => {
  let mariadb: MariaDB;
  let t: TestContext;
  let token: string;
  const acknowledged: string[] = [];

  beforeAll(async () => {
    mariadb = await startMariaDB({ bufferPool: '64M' });
    const admin = adminConnection(mariadb.url);
    await admin.raw('CREATE DATABASE tradepost');
    await admin.destroy();
    t = await startTestBackend('mysql', { databaseUrl: `${mariadb.url}/tradepost` });
    token = (await t.signup()).token;
  }, 60000);

  afterAll(async () => {
    await t?.backend.close();
    await mariadb?.stop();
  });

  const addOrder = async (i: number) => {
    const res = await t.api
      .post('/api/v1/orders')
      .set(bearer(token))
      .set('Idempotency-Key', `restart-${i}`)
      .send(validOrder({ productCode: `R-${i}` }));
    if (res.status === 201) acknowledged.push(res.body.id as string);
    return res.status;
  };

  it.each([
    ['killed with SIGKILL', 'SIGKILL'],
    ['shut down cleanly', 'SIGTERM'],
  ] as const)(
    'when it is %s, then requests fail fast with 503, and the backend recovers by itself once it is back',
    async (_label, signal) => {
      const base = acknowledged.length * 1000 + (signal === 'SIGKILL' ? 0 : 500);
      expect(await addOrder(base)).toBe(201);
      const pid = mariadb.pid();
      await mariadb.kill(signal);

      const started = Date.now();
      const down = await t.api.get('/api/v1/orders').set(bearer(token));
      expect(down.status).toBe(503);
      expect(down.body.code).toBe('unavailable');
      expect(Date.now() - started).toBeLessThan(3000);
      expect([503]).toContain(await addOrder(base + 1));
      expect((await t.api.get('/readyz')).status).toBe(503);
      expect((await t.api.get('/healthz')).status).toBe(200);

      await mariadb.start();
      expect(mariadb.pid()).not.toBe(pid);
      const readyAfter = await until(
        () => t.api.get('/readyz'),
        (r) => r.status === 200,
        5000,
      );
      expect(readyAfter).toBeLessThan(5000);
      expect((await t.api.get('/api/v1/orders').set(bearer(token))).status).toBe(200);
      expect(await addOrder(base + 2)).toBe(201);

      const stored = (await t.db('orders').whereIn('id', acknowledged).select('id')) as {
        id: string;
      }[];
      expect(stored.map((r) => r.id).sort()).toEqual([...acknowledged].sort());
    },
    40000,
  );

  it('when it is frozen (SIGSTOP, as a fenced RDS primary), then each request gets 503 within the deadline, and service resumes after SIGCONT', async () => {
    // Every thread stopped before the first request: until then the server may still answer.
    await mariadb.freeze();
    try {
      const timings: number[] = [];
      const statuses = await Promise.all(
        Array.from({ length: 12 }, async () => {
          const started = Date.now();
          const res = await t.api.get('/api/v1/orders').set(bearer(token));
          timings.push(Date.now() - started);
          return res.status;
        }),
      );
      expect(new Set(statuses)).toEqual(new Set([503]));
      expect(Math.max(...timings)).toBeLessThan(3500);
    } finally {
      mariadb.thaw();
    }
    const recoveredIn = await until(
      () => t.api.get('/api/v1/orders').set(bearer(token)),
      (r) => r.status === 200,
      5000,
    );
    expect(recoveredIn).toBeLessThan(5000);
    expect(await addOrder(9000)).toBe(201);
  }, 40000);
});
