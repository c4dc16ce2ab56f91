import { createSessionsRepository } from '../src/auth/repository';
import { createSessionAuthenticator } from '../src/auth/session';
import type { Executor } from '../src/db/knex';
import { ORDERS_PAGE, createOrdersRepository } from '../src/orders/repository';
import {
  bearer,
  dialects,
  startTestBackend,
  validOrder,
  type TestContext,
} from './support/harness';

// The orders page reads the caller's session in the same statement as the page
// (auth/session.ts, sessionRead): every way a session can be missing or over must
// still end in 401, with no orders.
describe.each(dialects)('orders page with its session read alongside (%s)', (dialect) => {
  let t: TestContext;
  let now = Date.UTC(2026, 0, 10, 12);
  const ids: string[] = [];
  beforeAll(async () => {
    t = await startTestBackend(dialect, { clock: () => now });
    const { token } = await t.signup({ name: 'Ada', surname: 'Author' });
    for (let i = 0; i < 3; i++) {
      const res = await t.api.post('/api/v1/orders').set(bearer(token)).send(validOrder());
      expect(res.status).toBe(201);
      ids.push(res.body.id as string);
    }
  });
  afterAll(() => t.close());

  const page = (token: string | null, query = 'page=1&pageSize=2') => {
    const req = t.api.get(`/api/v1/orders?${query}`);
    return token === null ? req : req.set(bearer(token));
  };
  const expectRefused = (res: { status: number; body: Record<string, unknown> }) => {
    expect(res.status).toBe(401);
    expect(res.body.code).toBe('unauthenticated');
    expect(res.body.items).toBeUndefined();
  };

  it('when the token is missing, unknown or logged out, then 401 and no orders', async () => {
    expectRefused(await page(null));
    expectRefused(await page('A'.repeat(43)));
    const { token } = await t.signup();
    expect((await page(token)).status).toBe(200);
    expect((await t.api.post('/api/v1/auth/logout').set(bearer(token))).status).toBe(204);
    expectRefused(await page(token));
  });

  it('when a client pages by cursor without a live session, then 401 and no orders', async () => {
    expectRefused(await page(null, 'cursor=3'));
    expectRefused(await page('A'.repeat(43), 'cursor=3'));
    const { token } = await t.signup();
    expect((await page(token, 'cursor=3')).body.items).toHaveLength(2);
    expect((await t.api.post('/api/v1/auth/logout').set(bearer(token))).status).toBe(204);
    expectRefused(await page(token, 'cursor=3'));
  });

  it('when the session has been idle for 30 minutes, then 401 and the session is removed', async () => {
    const { token } = await t.signup();
    const before = Number((await t.db('sessions').count({ n: '*' }))[0].n);
    now += 30 * 60 * 1000;
    expectRefused(await page(token));
    expect(Number((await t.db('sessions').count({ n: '*' }))[0].n)).toBe(before - 1);
  });

  it('when the session is used, then its idle clock restarts, as on every other route', async () => {
    const { token, user } = await t.signup();
    const seen = async () =>
      Number(
        ((await t.db('sessions').where({ user_id: user.id }).first()) as { last_seen_at: number })
          .last_seen_at,
      );
    now += 20 * 60 * 1000;
    expect((await page(token)).status).toBe(200);
    expect(await seen()).toBe(now);
    now += 20 * 60 * 1000; // 40 minutes after sign-up, 20 after the last page
    expect((await page(token)).status).toBe(200);
  });

  it('when the session is 12 hours old, then the page is refused however recently it was used', async () => {
    const { token } = await t.signup();
    const start = now;
    while (now + 25 * 60 * 1000 < start + 12 * 3600 * 1000) {
      now += 25 * 60 * 1000;
      expect((await page(token)).status).toBe(200);
    }
    now = start + 12 * 3600 * 1000;
    expectRefused(await page(token));
  });

  it('when the query is invalid, then 401 without a session and 400 with one', async () => {
    expectRefused(await page(null, 'page=0'));
    expectRefused(await page('A'.repeat(43), 'pageSize=abc'));
    const { token } = await t.signup();
    const res = await page(token, 'page=0');
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('validation_failed');
  });

  it('when a page is read, then its session comes in the same statement: one query in all', async () => {
    const { token } = await t.signup();
    const statements: unknown[] = [];
    const count = (event: unknown) => statements.push(event);
    t.db.on('query', count);
    try {
      expect((await page(token)).status).toBe(200);
    } finally {
      t.db.removeListener('query', count);
    }
    expect(statements).toHaveLength(1);
  });

  it('when the page is past the end, then no items but the true total', async () => {
    const { token } = await t.signup();
    const res = await page(token, 'page=99&pageSize=2');
    expect(res.status).toBe(200);
    expect(res.body.items).toEqual([]);
    expect(res.body.total).toBe(3);
    expect(res.body.totalPages).toBe(2);
  });

  it('when the page has orders, then they come newest first with their authors', async () => {
    const { token } = await t.signup();
    const res = await page(token, 'page=1&pageSize=2');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ page: 1, pageSize: 2, total: 3, totalPages: 2 });
    expect(res.body.items.map((o: { id: string }) => o.id)).toEqual([ids[2], ids[1]]);
    expect(res.body.items[0].user).toMatchObject({ name: 'Ada', surname: 'Author' });
  });

  it('when the table holds thousands of orders, then a page still reads only its own rows', async () => {
    const { token } = await t.signup();
    const { value } = (await t.db('counters').where({ name: 'orders' }).first()) as {
      value: number;
    };
    const rows = Array.from({ length: 5000 }, (_, i) => ({
      seq: Number(value) + i + 1,
      id: `bulk-${i.toString().padStart(8, '0')}`,
      user_id: null,
      card_brand: 'visa',
      card_last4: '1111',
      store_code: 'ST-1',
      product_code: 'PR-1',
      quantity: 1,
      order_date: '2026-01-10',
      shipping_date: '2026-01-11',
      created_at: now,
    }));
    for (let i = 0; i < rows.length; i += 500) await t.db('orders').insert(rows.slice(i, i + 500));
    await t
      .db('counters')
      .where({ name: 'orders' })
      .update({ value: Number(value) + rows.length });

    if (dialect === 'mysql') {
      // MariaDB's handler counters: rows the statement really touched, on one connection.
      const reads = async (trx: Executor) => {
        const [status] = (await trx.raw("SHOW SESSION STATUS LIKE 'Handler_read%'")) as [
          { Value: string }[],
        ];
        return status.reduce((sum, row) => sum + Number(row.Value), 0);
      };
      await t.db.transaction(async (trx) => {
        const repository = createOrdersRepository(trx);
        const { callerOf } = createSessionAuthenticator({
          sessions: createSessionsRepository(trx),
          clock: () => now,
        });
        for (const page of [1, 100, 199]) {
          const before = await reads(trx);
          const found = await repository.page(callerOf(`Bearer ${token}`), page, 25);
          expect(found.items).toHaveLength(25);
          // 25 orders, their authors, the counter and the session: nowhere near 5,000.
          expect((await reads(trx)) - before).toBeLessThan(150);
        }
      });
    } else {
      // SQLite keeps no such counters: its plan must search the orders, not scan them.
      const plan = (await t.db.raw(`EXPLAIN QUERY PLAN ${ORDERS_PAGE.sql}`, [
        'orders',
        25,
        0,
        'any token hash',
      ])) as { detail: string }[];
      expect(plan.some((row) => /^SEARCH o\b/.test(row.detail))).toBe(true);
      expect(plan.filter((row) => /^SCAN (o|TABLE orders)\b/.test(row.detail))).toEqual([]);
    }
  });
});
