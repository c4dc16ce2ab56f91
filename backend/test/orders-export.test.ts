import http from 'node:http';
import { parse } from 'csv-parse/sync';
import { poolStats } from '../src/db/knex';
import { EXPORT_BATCH } from '../src/orders/service';
import {
  bearer,
  dialects,
  startTestBackend,
  validOrder,
  type TestContext,
} from './support/harness';
import { insertOrders } from './support/orders';

describe.each(dialects)('orders export as CSV (%s)', (dialect) => {
  let t: TestContext;
  let token: string;
  beforeAll(async () => {
    t = await startTestBackend(dialect);
    ({ token } = await t.signup({ name: '=HYPERLINK("http://x")', surname: 'O"Neil, Jr' }));
  });
  afterAll(() => t.close());

  const exportCsv = (query: Record<string, string> = {}) =>
    t.api.get('/api/v1/orders/export.csv').query(query).set(bearer(token)).buffer(true);

  it('when orders are exported, then it is RFC 4180 CSV of the filter, with formulas neutralised and the card as brand and last four', async () => {
    for (const storeCode of ['-EXP', 'EXP-2'])
      expect(
        (
          await t.api
            .post('/api/v1/orders')
            .set(bearer(token))
            .send(validOrder({ storeCode, cardNumber: '5555 5555 5555 4444' }))
        ).status,
      ).toBe(201);
    const res = await exportCsv({ productCode: 'PR-0042', sort: 'orderDate', dir: 'asc' });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).toBe('attachment; filename="orders.csv"');
    const text = res.text;
    expect(text).not.toContain('5555555555554444');
    expect(text.split('\r\n').length).toBe(4); // header, two rows, the final CRLF
    const rows = parse(text, { columns: true }) as Record<string, string>[];
    expect(rows.map((r) => r.store_code)).toEqual(["'-EXP", 'EXP-2']);
    expect(rows[0]).toMatchObject({
      placed_by: `'=HYPERLINK("http://x") O"Neil, Jr`,
      card_brand: 'mastercard',
      card_last4: '4444',
      state: 'placed',
      quantity: '3',
    });
    // The quote in the name is doubled inside a quoted field.
    expect(text).toContain(`"'=HYPERLINK(""http://x"") O""Neil, Jr"`);
  });

  it('when the filter matches nothing, then the header alone', async () => {
    const res = await exportCsv({ storeCode: 'NOWHERE' });
    expect(res.status).toBe(200);
    expect(res.text.split('\r\n')).toEqual([expect.stringMatching(/^id,state,/), '']);
  });

  it('when a filter is invalid, then 400 names it before any CSV', async () => {
    const res = await exportCsv({ shipping: 'lost' });
    expect(res.status).toBe(400);
    expect(res.body.errors.map((e: { field: string }) => e.field)).toEqual(['shipping']);
  });

  it('when no session is presented, then 401 and no rows', async () => {
    const res = await t.api.get('/api/v1/orders/export.csv');
    expect(res.status).toBe(401);
    expect(res.text).not.toContain('store_code');
  });

  it('when more orders than one read match, then every one is written once, in order', async () => {
    const n = EXPORT_BATCH * 2 + 7;
    const inserted = await insertOrders(
      t.db,
      Array.from({ length: n }, (_, i) => ({
        store: 'ST-MANY',
        orderDate: `2026-01-${String(1 + (i % 28)).padStart(2, '0')}`,
      })),
    );
    const res = await exportCsv({ storeCode: 'ST-MANY' });
    const rows = parse(res.text, { columns: true }) as Record<string, string>[];
    expect(rows).toHaveLength(n);
    expect(new Set(rows.map((r) => r.id)).size).toBe(n);
    const want = [...inserted]
      .sort((a, b) =>
        a.orderDate === b.orderDate ? b.seq - a.seq : a.orderDate < b.orderDate ? 1 : -1,
      )
      .map((o) => o.id);
    expect(rows.map((r) => r.id)).toEqual(want);
  });

  it('when the client goes away mid-export, then the reads stop and the connection is returned', async () => {
    // About 12 MB of CSV: more than the loopback socket buffers take, so the backend
    // must wait for a client that has stopped reading.
    const total = 80_000;
    await insertOrders(
      t.db,
      Array.from({ length: total }, () => ({ store: 'ST-GONE' })),
    );
    let reads = 0;
    const count = (q: { sql?: string }) => {
      if (/FROM orders o LEFT JOIN users/.test(q.sql ?? '')) reads += 1;
    };
    t.db.on('query', count);
    try {
      const url = new URL('/api/v1/orders/export.csv?storeCode=ST-GONE', t.backend.url);
      await new Promise<void>((resolve, reject) => {
        const req = http.get(url, { headers: bearer(token) }, (res) => {
          expect(res.statusCode).toBe(200);
          // One chunk, then stop reading and hang up.
          res.once('data', () => {
            res.pause();
            setTimeout(() => {
              req.destroy();
              resolve();
            }, 200);
          });
        });
        req.on('error', (error) => {
          if ((error as NodeJS.ErrnoException).code !== 'ECONNRESET') reject(error);
        });
      });
      // Give a read in flight time to finish, then check nothing more is read.
      await new Promise((resolve) => setTimeout(resolve, 500));
      const after = reads;
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(reads).toBe(after);
      expect(reads).toBeLessThan(total / EXPORT_BATCH);
    } finally {
      t.db.off('query', count);
    }
    expect(poolStats(t.db).used).toBe(0);
    // And the service answers at once.
    const res = await t.api
      .get('/api/v1/orders')
      .query({ storeCode: 'ST-GONE' })
      .set(bearer(token));
    expect(res.status).toBe(200);
  });
});
