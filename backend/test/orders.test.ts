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
  beforeAll(async () => {
    t = await startTestBackend(dialect);
    ({ token } = await t.signup({ name: 'Olive', surname: 'Order' }));
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
});
