import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { CSV_OPTIONS, csvOf } from './csv';
import type { OrderRecord } from './repository';

const order = (overrides: Partial<OrderRecord> = {}): OrderRecord => ({
  seq: 1,
  id: '00000000-0000-4000-8000-000000000001',
  user: { id: 7, name: 'Ann', surname: 'Able' },
  cardBrand: 'visa',
  cardLast4: '1111',
  storeCode: 'ST-1',
  productCode: 'PR-1',
  quantity: 2,
  orderDate: '2026-01-10',
  shippingDate: '2026-01-12',
  state: 'placed',
  shippedOn: null,
  version: 1,
  createdAt: Date.UTC(2026, 0, 10),
  ...overrides,
});

async function text(batches: OrderRecord[][]): Promise<string> {
  let out = '';
  for await (const chunk of csvOf(batches)) out += String(chunk);
  return out;
}

describe('orders as CSV', () => {
  it('when a cell holds a comma, a quote or a line break of any kind, then it is quoted, quotes doubled, and reads back the same', () => {
    for (const value of ['a,b', 'say "hi"', 'one\ntwo', 'one\rtwo', 'one\r\ntwo']) {
      const csv = stringify([[value, 'x']], CSV_OPTIONS);
      expect(csv.startsWith('"')).toBe(true);
      expect(parse(csv)).toEqual([[value, 'x']]);
    }
    expect(stringify([['a"b']], CSV_OPTIONS)).toBe('"a""b"\r\n');
  });

  it.each(['=1+1', '+1', '-1', '@SUM(A1)', '\tx', '\rx', '＝1'])(
    'when a text cell starts like a formula (%j), then it gets an apostrophe in front',
    (value) => {
      const [[cell]] = parse(stringify([[value]], CSV_OPTIONS)) as string[][];
      expect(cell).toBe(`'${value}`);
    },
  );

  it('when orders are written, then a CRLF header comes first, then one row per order, the card as brand and last four', async () => {
    const csv = await text([
      [order(), order({ id: 'b', user: { id: 8, name: '=cmd', surname: 'O"Neil, Jr' } })],
      [order({ id: 'c', user: null, state: 'shipped', shippedOn: '2026-01-11' })],
    ]);
    expect(csv.split('\r\n')[0]).toBe(
      'id,state,store_code,product_code,quantity,order_date,shipping_date,shipped_on,card_brand,card_last4,user_id,placed_by,created_at',
    );
    const rows = parse(csv, { columns: true }) as Record<string, string>[];
    expect(rows.map((r) => r.id)).toEqual([order().id, 'b', 'c']);
    expect(rows[1]).toMatchObject({ placed_by: `'=cmd O"Neil, Jr`, card_brand: 'visa' });
    expect(rows[1]!.card_last4).toBe('1111');
    expect(rows[2]).toMatchObject({ state: 'shipped', shipped_on: '2026-01-11', placed_by: '' });
    expect(rows[0]!.created_at).toBe('2026-01-10T00:00:00.000Z');
  });

  it('when there are no orders, then the header alone is written', async () => {
    expect((await text([])).split('\r\n').filter(Boolean)).toHaveLength(1);
  });
});
