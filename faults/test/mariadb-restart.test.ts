import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { describeNeeding } from '../../scripts/lib/test-deps';
import { request, type Reply } from './support/http';
import { ordersByProductCode, reconcile } from './support/ledger';
import { failures, now, Recorder, startLoad, waitFor, type Sample } from './support/load';
import { FAULT_TIMEOUT_MS, startFaultStack, stopFaultStack, type Stack } from './support/stack';

interface Write {
  key: string;
  idempotencyKey: string;
  body: string;
}

const orderBody = (productCode: string) => {
  const today = new Date().toISOString().slice(0, 10);
  return JSON.stringify({
    storeCode: 'FAULT',
    productCode,
    quantity: 1,
    cardNumber: '4111111111111111',
    orderDate: today,
    shippingDate: today,
  });
};

const createdId = (reply: Reply) =>
  reply.status === 201 ? (JSON.parse(reply.body) as { id: string }).id : undefined;

function mariadbSuite() {
  let stack: Stack;
  let token: string;
  const api = (path: string) => `${stack.backend.url}/api/v1${path}`;
  const recorder = new Recorder();
  const writes = new Map<string, Write>();
  const rounds: { signal: string; unreadyMs: number; readyMs: number; failedAfterReady: number }[] =
    [];
  let backendPid: number | undefined;

  const post = (write: Write) =>
    request(api('/orders'), {
      method: 'POST',
      headers: {
        authorization: `Bearer ${token}`,
        'content-type': 'application/json',
        'idempotency-key': write.idempotencyKey,
      },
      body: write.body,
      timeoutMs: 5000,
    });

  /** One keyed write: 201 acknowledged, 4xx refused, anything else (503, reset, timeout) unknown. */
  function write(key: string, options: { ackLost?: boolean } = {}) {
    const w = { key, idempotencyKey: randomUUID(), body: orderBody(key) };
    writes.set(key, w);
    // A lost acknowledgement: the order is stored, the client never hears of it.
    const judge = (r: Reply) =>
      options.ackLost ? 'info' : r.status === 201 ? 'ok' : r.status < 500 ? 'fail' : 'info';
    return recorder.track('POST /orders', () => post(w), judge, {
      key,
      onError: 'info',
      locate: createdId,
    });
  }

  const readyz = async () => (await request(`${stack.backend.url}/readyz`)).status;

  beforeAll(async () => {
    stack = await startFaultStack({ frontends: 1, database: 'mysql' });
    const signup = await request(api('/auth/signup'), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        name: 'Fault',
        surname: 'Writer',
        email: `fault.db.${Date.now()}@tradepost.test`,
        password: 'fault-tests-password',
      }),
    });
    token = (JSON.parse(signup.body) as { token: string }).token;
    backendPid = stack.backend.pid();
    const mariadb = stack.mariadb;
    if (!mariadb) throw new Error('the stack did not start its own MariaDB');

    // 20 keyed writes and 20 reads a second, straight to the backend API.
    let n = 0;
    const load = startLoad(
      Array.from({ length: 30 }, (_, i) => i),
      40,
      async () => {
        n += 1;
        if (n % 2) return void (await write(`MR-${n}`));
        await recorder.track(
          'GET /orders',
          () =>
            request(api('/orders?pageSize=5'), { headers: { authorization: `Bearer ${token}` } }),
          (r) => (r.status === 200 ? 'ok' : 'fail'),
        );
      },
    );
    try {
      for (const signal of ['SIGTERM', 'SIGKILL'] as const) {
        await sleep(1000);
        // Acknowledgements lost in transit: kept for the keyed retry, and for the control.
        await Promise.all([1, 2, 3].map((i) => write(`MR-${signal}-lost-${i}`, { ackLost: true })));
        await Promise.all([1, 2, 3].map((i) => write(`MC-${signal}-lost-${i}`, { ackLost: true })));
        await mariadb.kill(signal);
        const deadAt = now();
        const unreadyAt = await waitFor(async () => (await readyz()) === 503, 10_000);
        await sleep(Math.max(0, deadAt + 2000 - now()));
        await mariadb.start();
        const upAt = now();
        const readyAt = await waitFor(async () => (await readyz()) === 200, 15_000);
        await sleep(1500);
        rounds.push({
          signal,
          unreadyMs: unreadyAt - deadAt,
          readyMs: readyAt - upAt,
          failedAfterReady: failures(recorder.between(readyAt, Infinity)).length,
        });
      }
    } finally {
      await load.stop();
    }
  }, FAULT_TIMEOUT_MS);
  afterAll(() => stopFaultStack(stack), FAULT_TIMEOUT_MS);

  it('when MariaDB is shut down or killed and comes back, then the same backend process is ready within 5 s and serves every request after that', () => {
    console.log(
      `MariaDB restarts: ${recorder.samples.length} requests; ` +
        rounds
          .map(
            (r) =>
              `${r.signal}: unready ${r.unreadyMs.toFixed(0)} ms after the DB died, ready ${r.readyMs.toFixed(0)} ms after it accepted connections, ${r.failedAfterReady} failures after ready`,
          )
          .join('; '),
    );
    expect(stack.backend.pid()).toBe(backendPid);
    expect(stack.backend.running()).toBe(true);
    for (const round of rounds) {
      expect(round.unreadyMs).toBeLessThanOrEqual(3000);
      expect(round.readyMs).toBeLessThanOrEqual(5000);
      expect(round.failedAfterReady).toBe(0);
    }
  });

  it('when every unknown write is retried with its Idempotency-Key, then every acknowledged order exists exactly once and no refused one exists', async () => {
    const first = recorder.samples.filter(
      (s) => s.op === 'POST /orders' && s.key?.startsWith('MR-'),
    );
    const unknown = first.filter((s) => s.outcome === 'info');
    const retried: Sample[] = [];
    for (const s of unknown) {
      const reply = await post(writes.get(s.key!)!);
      retried.push({
        ...s,
        outcome: reply.status === 201 ? 'ok' : 'info',
        location: createdId(reply),
      });
    }
    const final = [...first.filter((s) => s.outcome !== 'info'), ...retried];
    const violations = reconcile(final, await ordersByProductCode(stack.databaseUrl, 'MR-'));
    console.log(
      `ledger: ${first.length} writes, ${first.filter((s) => s.outcome === 'ok').length} acknowledged, ` +
        `${first.filter((s) => s.outcome === 'fail').length} refused, ${unknown.length} unknown → ` +
        `${retried.filter((s) => s.outcome === 'ok').length} acknowledged on keyed retry; ${violations.length} violations`,
    );
    expect(unknown.length).toBeGreaterThanOrEqual(6);
    expect(retried.every((s) => s.outcome === 'ok')).toBe(true);
    expect(violations).toEqual([]);
  });

  it('control: when unknown writes are retried without their key (a fresh one), then the ledger finds duplicates', async () => {
    const lost = recorder.samples.filter(
      (s) => s.op === 'POST /orders' && s.key?.startsWith('MC-'),
    );
    const retried: Sample[] = [];
    for (const s of lost) {
      const reply = await post({ ...writes.get(s.key!)!, idempotencyKey: randomUUID() });
      retried.push({
        ...s,
        outcome: reply.status === 201 ? 'ok' : 'info',
        location: createdId(reply),
      });
    }
    const violations = reconcile(retried, await ordersByProductCode(stack.databaseUrl, 'MC-'));
    console.log(
      `control (keyless retry): ${violations.length} violations: ${violations.slice(0, 3).join('; ')}`,
    );
    expect(violations.length).toBeGreaterThan(0);
  });
}

describeNeeding(
  ['mariadbd', 'nginx'],
  'MariaDB restarted (clean shutdown, then kill -9) under a write load through the backend API',
  mariadbSuite,
);
