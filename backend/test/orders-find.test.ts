import { COUNT_BOUND } from '../src/orders/repository';
import { bearer, dialects, startTestBackend, type TestContext } from './support/harness';
import { insertOrders, type InsertedOrder, type OrderSpec } from './support/orders';

/** "Today" for these tests: orders shipping before it and still placed are overdue. */
const NOW = Date.UTC(2026, 2, 1, 12);
const TODAY = '2026-03-01';

type Query = Record<string, string>;

/** What the list should hold for a query: the test's own reading of the filters. */
function expected(orders: InsertedOrder[], q: Query): string[] {
  const key = q.sort === 'shippingDate' ? 'shippingDate' : 'orderDate';
  const dir = q.dir === 'asc' ? 1 : -1;
  return orders
    .filter(
      (o) =>
        (q.storeCode === undefined || o.store === q.storeCode) &&
        (q.productCode === undefined || o.product === q.productCode) &&
        (q.userId === undefined || o.userId === Number(q.userId)) &&
        (q.from === undefined || o.orderDate >= q.from) &&
        (q.to === undefined || o.orderDate <= q.to) &&
        (q.shipping === undefined ||
          (q.shipping === 'not_shipped' && o.state === 'placed') ||
          (q.shipping === 'shipped' && ['shipped', 'delivered'].includes(o.state)) ||
          (q.shipping === 'overdue' && o.state === 'placed' && o.shippingDate < TODAY)),
    )
    .sort((a, b) => (a[key] === b[key] ? dir * (a.seq - b.seq) : a[key] < b[key] ? -dir : dir))
    .map((o) => o.id);
}

describe.each(dialects)('orders found by filters (%s)', (dialect) => {
  let t: TestContext;
  let token: string;
  let ann: number;
  let bob: number;
  let orders: InsertedOrder[];
  beforeAll(async () => {
    t = await startTestBackend(dialect, { clock: () => NOW });
    const a = await t.signup({ name: 'Ann', surname: 'Able' });
    token = a.token;
    ann = a.user.id;
    bob = (await t.signup({ name: 'Bob', surname: 'Baker' })).user.id;
    // Every combination of store, product, placer, state and a spread of dates, with
    // several orders on the same day so the position has to break ties.
    const specs: OrderSpec[] = [];
    const states = ['placed', 'shipped', 'delivered', 'cancelled'] as const;
    for (let i = 0; i < 48; i++) {
      const day = 1 + ((i * 7) % 20);
      specs.push({
        store: i % 2 ? 'ST-A' : 'ST-B',
        product: i % 3 ? 'PR-X' : 'PR-Y',
        userId: i % 4 < 2 ? ann : bob,
        orderDate: `2026-02-${String(day).padStart(2, '0')}`,
        shippingDate: `2026-02-${String(day + (i % 9)).padStart(2, '0')}`,
        state: states[Math.floor(i / 3) % 4],
      });
    }
    orders = await insertOrders(t.db, specs);
  });
  afterAll(() => t.close());

  const get = (q: Query) => t.api.get('/api/v1/orders').query(q).set(bearer(token));

  /** Every page of a query, by its cursors. */
  async function walk(q: Query, pageSize: number): Promise<{ ids: string[]; pages: number }> {
    const ids: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const res = await get({ ...q, pageSize: String(pageSize), ...(cursor ? { cursor } : {}) });
      expect(res.status).toBe(200);
      expect(res.body.items.length).toBeLessThanOrEqual(pageSize);
      ids.push(...res.body.items.map((o: { id: string }) => o.id));
      cursor = res.body.nextCursor;
      pages += 1;
    } while (cursor && pages < 100);
    return { ids, pages };
  }

  const filters = (): Query[] => [
    { storeCode: 'ST-A' },
    { productCode: 'PR-Y' },
    { userId: 'BOB' },
    { from: '2026-02-05' },
    { to: '2026-02-08' },
    { from: '2026-02-05', to: '2026-02-08' },
    { shipping: 'not_shipped' },
    { shipping: 'shipped' },
    { shipping: 'overdue' },
    { sort: 'shippingDate' },
    { sort: 'orderDate', dir: 'asc' },
    { sort: 'shippingDate', dir: 'asc', storeCode: 'ST-B' },
    { storeCode: 'ST-A', shipping: 'not_shipped' },
    { storeCode: 'ST-B', productCode: 'PR-X', userId: 'ANN' },
    { productCode: 'PR-X', shipping: 'shipped', from: '2026-02-03', to: '2026-02-15' },
    { userId: 'ANN', shipping: 'overdue', sort: 'shippingDate', dir: 'desc' },
  ];

  it.each(filters().map((q) => [JSON.stringify(q), q]))(
    'when the list is filtered by %s, then every page together is exactly the matching orders in order',
    async (_, named) => {
      // The users exist only once the suite has started.
      const q = { ...(named as Query) };
      if (q.userId) q.userId = String(q.userId === 'ANN' ? ann : bob);
      const want = expected(orders, q);
      expect(want.length).toBeGreaterThan(0);
      const { ids } = await walk(q, 5);
      expect(ids).toEqual(want);
      const first = await get({ ...q, pageSize: '5' });
      expect(first.body).toMatchObject({ total: want.length, totalExact: true });
    },
  );

  it('when the filter matches nothing, then an empty page, a total of 0 and no next cursor', async () => {
    const res = await get({ storeCode: 'NOWHERE' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ items: [], total: 0, totalExact: true, nextCursor: null });
  });

  it('when the filter matches one order, then one page of one and no next cursor', async () => {
    const [only] = await insertOrders(t.db, [{ store: 'ST-ONE', userId: ann }]);
    const res = await get({ storeCode: 'ST-ONE', pageSize: '5' });
    expect(res.body.items.map((o: { id: string }) => o.id)).toEqual([only!.id]);
    expect(res.body).toMatchObject({ total: 1, nextCursor: null });
  });

  it('when the matches are an exact multiple of the page size, then the last full page has no next cursor', async () => {
    const q = { storeCode: 'ST-A', productCode: 'PR-Y' };
    const n = expected(orders, q).length;
    expect(n % 4).toBe(0);
    const { ids, pages } = await walk(q, 4);
    expect(ids).toEqual(expected(orders, q));
    expect(pages).toBe(n / 4);
  });

  it('when rows of a page change state after it was read, then its cursor still leads on without repeats or gaps', async () => {
    const q = { shipping: 'not_shipped', pageSize: '4' };
    const first = await get(q);
    const seen: string[] = first.body.items.map((o: { id: string; version: number }) => o.id);
    // Ship every order of the first page: none of them matches the filter any more.
    for (const o of first.body.items as { id: string; version: number }[]) {
      const res = await t.api
        .post(`/api/v1/orders/${o.id}/moves`)
        .set(bearer(token))
        .send({ state: 'shipped', shippedOn: '2026-02-28', version: o.version });
      expect(res.status).toBe(200);
    }
    const rest = await walk({ shipping: 'not_shipped', cursor: first.body.nextCursor }, 4);
    const now = await walk({ shipping: 'not_shipped' }, 100);
    expect(rest.ids).toEqual(now.ids);
    expect(rest.ids.filter((id) => seen.includes(id))).toEqual([]);
  });

  it.each([
    ['storeCode', { storeCode: 'bad code!' }],
    ['productCode', { productCode: 'x'.repeat(33) }],
    ['userId', { userId: 'abc' }],
    ['userId', { userId: '0' }],
    ['from', { from: '2026-02-30' }],
    ['to', { to: '01/02/2026' }],
    ['to', { from: '2026-02-10', to: '2026-02-01' }],
    ['shipping', { shipping: 'lost' }],
    ['sort', { sort: 'price' }],
    ['dir', { dir: 'sideways' }],
    ['cursor', { storeCode: 'ST-A', cursor: '12' }],
    ['cursor', { storeCode: 'ST-A', cursor: '2026-02-01.x' }],
    ['page', { storeCode: 'ST-A', page: '2' }],
  ])('when %s is invalid (%j), then 400 names that field', async (field, q) => {
    const res = await get(q as Query);
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('validation_failed');
    expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
  });

  it('when several filters are invalid at once, then each is named', async () => {
    const res = await get({ storeCode: '!', shipping: 'x', from: 'y' });
    expect(res.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(
      ['from', 'shipping', 'storeCode'].sort(),
    );
  });

  it('when a filter field is sent empty, as a form sends it, then it filters nothing', async () => {
    const res = await get({ storeCode: '', productCode: 'PR-Y', pageSize: '100' });
    expect(res.status).toBe(200);
    expect(res.body.items.map((o: { id: string }) => o.id)).toEqual(
      expected(orders, { productCode: 'PR-Y' }),
    );
  });

  it('when no session is presented, then 401 and no orders', async () => {
    const res = await t.api.get('/api/v1/orders').query({ storeCode: 'ST-A' });
    expect(res.status).toBe(401);
    expect(res.body.items).toBeUndefined();
  });

  it('when more than the bound match, then the total is the bound, marked inexact, and no query counts without a limit', async () => {
    await insertOrders(
      t.db,
      Array.from({ length: COUNT_BOUND + 5 }, () => ({ store: 'ST-BIG', userId: bob })),
    );
    const statements: string[] = [];
    const listen = (q: { sql?: string }) => statements.push(q.sql ?? '');
    t.db.on('query', listen);
    try {
      const res = await get({ storeCode: 'ST-BIG' });
      expect(res.body).toMatchObject({ total: COUNT_BOUND, totalExact: false });
      expect(res.body.items).toHaveLength(25);
      const next = await get({ storeCode: 'ST-BIG', cursor: res.body.nextCursor });
      expect(next.body.items).toHaveLength(25);
      expect(next.body.total).toBeUndefined();
    } finally {
      t.db.off('query', listen);
    }
    const counts = statements.filter((s) => /count\s*\(/i.test(s));
    expect(counts.length).toBeGreaterThan(0);
    for (const s of counts) expect(s).toMatch(/LIMIT \d+/);
  });
});

describe.each(dialects)('orders filter plans (%s)', (dialect) => {
  let t: TestContext;
  beforeAll(async () => {
    t = await startTestBackend(dialect);
    await insertOrders(
      t.db,
      Array.from({ length: 400 }, (_, i) => ({
        store: `ST-${i % 20}`,
        product: `PR-${i % 37}`,
        orderDate: `2026-01-${String(1 + (i % 28)).padStart(2, '0')}`,
        state: i % 5 ? 'delivered' : 'placed',
      })),
    );
    if (dialect === 'mysql') await t.db.raw('ANALYZE TABLE orders');
    else await t.db.raw('ANALYZE');
  });
  afterAll(() => t.close());

  /** The plan of the list's read for a store's unshipped orders after a cursor. */
  async function plan(where: string, bindings: string[]): Promise<string> {
    const sql = `SELECT o.seq FROM orders o WHERE ${where} AND o.order_date <= ? AND (o.order_date < ? OR o.seq < ?) ORDER BY o.order_date DESC, o.seq DESC LIMIT 26`;
    const all = [...bindings, '2026-01-15', '2026-01-15', '200'];
    if (dialect === 'sqlite') {
      const rows = (await t.db.raw(`EXPLAIN QUERY PLAN ${sql}`, all)) as { detail: string }[];
      return rows.map((r) => r.detail).join('\n');
    }
    const [rows] = (await t.db.raw(`EXPLAIN ${sql}`, all)) as [Record<string, unknown>[]];
    return JSON.stringify(rows);
  }

  it.each([
    ["o.store_code = ? AND o.state = 'placed'", ['ST-3'], 'orders_store_state_date'],
    ['o.product_code = ?', ['PR-5'], 'orders_product_date'],
    ["o.state = 'placed'", [], 'orders_state_date'],
  ])(
    'when the list is read for %s after a cursor, then one index range is read and nothing is sorted',
    async (where, bindings, index) => {
      const text = await plan(where, bindings);
      expect(text).toContain(index);
      expect(text).not.toMatch(/TEMP B-TREE|filesort|"type":"ALL"/i);
    },
  );
});
