import { randomUUID } from 'node:crypto';
import { hashToken } from '../src/auth/session';
import type { Executor } from '../src/db/knex';
import { PAGE_WITH_SESSION, createOrdersRepository } from '../src/orders/repository';
import {
  bearer,
  dialects,
  startTestBackend,
  validOrder,
  type TestContext,
} from './support/harness';

const PANS = ['4111111111111111', '5555555555554444', '378282246310005'];

describe.each(dialects)('orders (%s)', (dialect) => {
  let t: TestContext;
  let token: string;
  let userId: number;
  beforeAll(async () => {
    t = await startTestBackend(dialect);
    ({
      token,
      user: { id: userId },
    } = await t.signup({ name: 'Olive', surname: 'Order' }));
  });
  afterAll(() => t.close());

  const create = (body: Record<string, unknown>, key?: string) => {
    const req = t.api.post('/api/v1/orders').set(bearer(token));
    if (key) void req.set('Idempotency-Key', key);
    return req.send(body);
  };

  it('when a valid order is added, then it is stored with brand and last four only, and can be read back', async () => {
    const res = await create(validOrder({ cardNumber: '5555-5555-5555-4444' }));
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      user: { name: 'Olive', surname: 'Order' },
      cardBrand: 'mastercard',
      cardLast4: '4444',
      storeCode: 'ST-001',
      productCode: 'PR-0042',
      quantity: 3,
      orderDate: '2026-01-10',
      shippingDate: '2026-01-12',
    });
    expect(res.body.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(JSON.stringify(res.body)).not.toContain('5555555555554444');
    const read = await t.api.get(`/api/v1/orders/${res.body.id}`).set(bearer(token));
    expect(read.body).toEqual(res.body);
  });

  it('when orders with real test card numbers are stored, then no table holds the number or its middle digits', async () => {
    for (const pan of PANS)
      expect((await create(validOrder({ cardNumber: pan, cvv: '123' }))).status).toBe(201);
    const tables = ['orders', 'idempotency_keys', 'users', 'messages', 'sessions'];
    const dump = JSON.stringify(await Promise.all(tables.map((name) => t.db(name).select())));
    for (const pan of PANS) {
      expect(dump).not.toContain(pan);
      expect(dump).not.toContain(pan.slice(6, 12));
    }
    expect(dump).not.toContain('cvv');
  });

  it.each([
    ['storeCode', { storeCode: '' }],
    ['storeCode', { storeCode: 'bad code!' }],
    ['productCode', { productCode: 'x'.repeat(33) }],
    ['quantity', { quantity: 0 }],
    ['quantity', { quantity: 1001 }],
    ['quantity', { quantity: 2.5 }],
    ['quantity', { quantity: '3' }],
    ['cardNumber', { cardNumber: '4111111111111112' }],
    ['cardNumber', { cardNumber: '41111111111' }],
    ['cardNumber', { cardNumber: '4111 1111 1111 1111 1111' }],
    ['cardNumber', { cardNumber: '4111-abcd-1111-1111' }],
    ['orderDate', { orderDate: '2026-02-30' }],
    ['orderDate', { orderDate: '10/01/2026' }],
    ['orderDate', { orderDate: '2999-01-01', shippingDate: '2999-01-02' }],
    ['shippingDate', { shippingDate: '2026-01-09' }],
  ])('when %s is %j, then 400 names that field and nothing is stored', async (field, override) => {
    const before = await t.api.get('/api/v1/orders').set(bearer(token));
    const res = await create(validOrder(override));
    expect(res.status).toBe(400);
    expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
    const after = await t.api.get('/api/v1/orders').set(bearer(token));
    expect(after.body.total).toBe(before.body.total);
  });

  it('when required fields are missing, then every one is listed', async () => {
    const res = await create({});
    expect(res.status).toBe(400);
    expect(res.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(
      ['cardNumber', 'orderDate', 'productCode', 'quantity', 'shippingDate', 'storeCode'].sort(),
    );
  });

  it('when the order date is today and shipping the same day, then it is accepted', async () => {
    const today = new Date().toISOString().slice(0, 10);
    expect((await create(validOrder({ orderDate: today, shippingDate: today }))).status).toBe(201);
  });

  it('when orders are paged, then page X of Y is exact, newest first, and every order appears once', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 7; i++)
      ids.push((await create(validOrder({ productCode: `PAGE-${i}` }))).body.id);
    const first = await t.api.get('/api/v1/orders?page=1&pageSize=3').set(bearer(token));
    expect(first.status).toBe(200);
    const total = first.body.total as number;
    const rows = await t.db('orders').count({ n: '*' });
    expect(total).toBe(Number(rows[0].n));
    expect(first.body.totalPages).toBe(Math.ceil(total / 3));
    expect(first.body.items.map((o: { id: string }) => o.id)).toEqual(ids.slice(-3).reverse());
    const seen = new Set<string>();
    for (let page = 1; page <= first.body.totalPages; page++) {
      const res = await t.api.get(`/api/v1/orders?page=${page}&pageSize=3`).set(bearer(token));
      for (const o of res.body.items as { id: string }[]) seen.add(o.id);
    }
    expect(seen.size).toBe(total);
    const beyond = await t.api
      .get(`/api/v1/orders?page=${first.body.totalPages + 1}&pageSize=3`)
      .set(bearer(token));
    expect(beyond.body.items).toEqual([]);
  });

  it('when a client follows the cursor, then it walks the whole list without repeats', async () => {
    const total = (await t.api.get('/api/v1/orders').set(bearer(token))).body.total as number;
    const seen: string[] = [];
    let cursor: string | null = (await t.api.get('/api/v1/orders?pageSize=4').set(bearer(token)))
      .body.nextCursor;
    seen.push(
      ...(await t.api.get('/api/v1/orders?pageSize=4').set(bearer(token))).body.items.map(
        (o: { id: string }) => o.id,
      ),
    );
    while (cursor) {
      const res = await t.api.get(`/api/v1/orders?pageSize=4&cursor=${cursor}`).set(bearer(token));
      expect(res.status).toBe(200);
      seen.push(...res.body.items.map((o: { id: string }) => o.id));
      cursor = res.body.nextCursor;
    }
    expect(seen).toHaveLength(total);
    expect(new Set(seen).size).toBe(total);
    expect((await t.api.get('/api/v1/orders?page=1&cursor=5').set(bearer(token))).status).toBe(400);
  });

  it('when an unknown or malformed order id is asked for, then 404 or 400', async () => {
    expect(
      (await t.api.get('/api/v1/orders/00000000-0000-4000-8000-000000000000').set(bearer(token)))
        .status,
    ).toBe(404);
    expect((await t.api.get("/api/v1/orders/1' OR '1'='1").set(bearer(token))).status).toBe(400);
  });

  it('when 20 identical POSTs share one Idempotency-Key concurrently, then exactly one order exists', async () => {
    const before = (await t.api.get('/api/v1/orders').set(bearer(token))).body.total as number;
    const body = validOrder({ productCode: 'IDEMP-1' });
    const responses = await Promise.all(
      Array.from({ length: 20 }, () => create(body, 'order-key-0001')),
    );
    const ok = responses.filter((r) => r.status === 201);
    expect(responses.every((r) => r.status === 201 || r.status === 409)).toBe(true);
    expect(ok.length).toBeGreaterThan(0);
    expect(new Set(ok.map((r) => r.body.id)).size).toBe(1);
    const replay = await create(body, 'order-key-0001');
    expect(replay.status).toBe(201);
    expect(replay.body).toEqual(ok[0].body);
    expect(await t.db('orders').where({ product_code: 'IDEMP-1' })).toHaveLength(1);
    expect((await t.api.get('/api/v1/orders').set(bearer(token))).body.total).toBe(before + 1);
  });

  it('when a key is reused with a different body, then 422 and nothing is created', async () => {
    expect((await create(validOrder({ quantity: 1 }), 'order-key-0002')).status).toBe(201);
    const res = await create(validOrder({ quantity: 2 }), 'order-key-0002');
    expect(res.status).toBe(422);
    expect(res.body.code).toBe('idempotency_key_reused');
    expect((await create(validOrder(), 'bad key with spaces')).status).toBe(400);
  });

  it('when another user sends the same key, then it is their own, separate order', async () => {
    const other = await t.signup();
    const mine = await create(validOrder(), 'shared-key-0003');
    const theirs = await t.api
      .post('/api/v1/orders')
      .set(bearer(other.token))
      .set('Idempotency-Key', 'shared-key-0003')
      .send(validOrder());
    expect(theirs.status).toBe(201);
    expect(theirs.body.id).not.toBe(mine.body.id);
  });

  it('when an order fails after its key and position were taken, then neither stays taken and positions stay dense', async () => {
    const orders = createOrdersRepository(t.db);
    const counter = async () =>
      Number((await t.db('counters').where({ name: 'orders' }).first()).value);
    const order = {
      id: randomUUID(),
      userId,
      cardBrand: 'visa' as const,
      cardLast4: '1111',
      storeCode: 'ST-ATOMIC',
      productCode: 'PR-ATOMIC',
      quantity: 1,
      orderDate: '2026-01-10',
      shippingDate: '2026-01-12',
    };
    const claim = (key: string) => ({
      userId,
      key,
      requestHash: 'h'.repeat(64),
      status: 201,
      responseBody: '{}',
      createdAt: Date.now(),
    });
    const before = await counter();
    await orders.create(order, Date.now(), claim('atomic-key-1'));
    // The same order id again under a new key: the insert fails after the claim and the
    // counter's update have run, on MySQL inside the stored procedure.
    await expect(orders.create(order, Date.now(), claim('atomic-key-2'))).rejects.toMatchObject({
      code: dialect === 'mysql' ? 'ER_DUP_ENTRY' : expect.stringMatching(/^SQLITE_CONSTRAINT/),
    });
    expect(await counter()).toBe(before + 1);
    expect(await t.db('idempotency_keys').where({ idem_key: 'atomic-key-2' })).toHaveLength(0);
    // Nothing of the failed call lingers on a pooled connection: the next orders take the
    // next positions, and the counter still equals the number of orders.
    for (let i = 0; i < 12; i++) {
      await orders.create({ ...order, id: randomUUID() }, Date.now(), undefined);
    }
    const rows = await t.db('orders').where({ store_code: 'ST-ATOMIC' }).orderBy('seq');
    expect(rows).toHaveLength(13);
    expect(rows.map((r: { seq: number | string }) => Number(r.seq))).toEqual(
      Array.from({ length: 13 }, (_, i) => before + 1 + i),
    );
    expect(await counter()).toBe(before + 13);
    const total = await t.db('orders').count({ n: '*' }).first();
    expect(Number(total?.n)).toBe(await counter());
  });
});

// The orders page reads the caller's session in the same statement as the page:
// every way a session can be missing or over must still end in 401, with no orders.
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
    const hash = hashToken(token);

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
        for (const page of [1, 100, 199]) {
          const before = await reads(trx);
          const found = await repository.pageWithSession(hash, page, 25);
          expect(found.items).toHaveLength(25);
          expect(found.session).not.toBeNull();
          // 25 orders, their authors, the counter and the session: nowhere near 5,000.
          expect((await reads(trx)) - before).toBeLessThan(150);
        }
      });
    } else {
      // SQLite keeps no such counters: its plan must search the orders, not scan them.
      const plan = (await t.db.raw(`EXPLAIN QUERY PLAN ${PAGE_WITH_SESSION}`, [
        'orders',
        25,
        0,
        hash,
      ])) as { detail: string }[];
      expect(plan.some((row) => /^SEARCH o\b/.test(row.detail))).toBe(true);
      expect(plan.filter((row) => /^SCAN (o|TABLE orders)\b/.test(row.detail))).toEqual([]);
    }
  });
});
