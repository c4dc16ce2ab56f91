import { Readable } from 'node:stream';
import { stringify } from 'csv-stringify/sync';
import { toIso } from '../http/iso';
import type { OrderRecord } from './repository';

/** The export's columns, in order: the header's names and each order's cell. */
const COLUMNS: ReadonlyArray<readonly [string, (o: OrderRecord) => string | number]> = [
  ['id', (o) => o.id],
  ['state', (o) => o.state],
  ['store_code', (o) => o.storeCode],
  ['product_code', (o) => o.productCode],
  ['quantity', (o) => o.quantity],
  ['order_date', (o) => o.orderDate],
  ['shipping_date', (o) => o.shippingDate],
  ['shipped_on', (o) => o.shippedOn ?? ''],
  ['card_brand', (o) => o.cardBrand],
  ['card_last4', (o) => o.cardLast4],
  ['user_id', (o) => o.user?.id ?? ''],
  ['placed_by', (o) => (o.user ? `${o.user.name} ${o.user.surname}` : '')],
  ['created_at', (o) => toIso(o.createdAt)],
];

/**
 * csv-stringify 6.9's options. RFC 4180: CRLF between records, and a field is quoted
 * when it holds a comma, a quote (doubled) or any line break; `quote_record_delimiter`
 * must be said, because with a record delimiter given it defaults to quoting only that
 * delimiter, not a lone LF or CR. `escape_formulas` puts an apostrophe before a text
 * cell starting with =, +, -, @, a tab or a carriage return (or their full-width forms),
 * which a spreadsheet would otherwise read as a formula. backend/src/orders/csv.test.ts
 * holds the library to all of it.
 */
export const CSV_OPTIONS = {
  record_delimiter: 'windows',
  quote_record_delimiter: true,
  escape_formulas: true,
} as const;

export const rowOf = (o: OrderRecord) => COLUMNS.map(([, cell]) => cell(o));

/**
 * Orders as CSV text, a batch at a time as `batches` yields them: the header first
 * (also when there are no orders), then each batch's rows. Pulled, so a consumer that
 * stops reading stops the batches; destroyed, it ends them.
 */
export function csvOf(batches: AsyncIterable<OrderRecord[]> | Iterable<OrderRecord[]>): Readable {
  async function* text(): AsyncGenerator<string> {
    yield stringify([COLUMNS.map(([name]) => name)], CSV_OPTIONS);
    for await (const batch of batches) yield stringify(batch.map(rowOf), CSV_OPTIONS);
  }
  // Not in object mode: a batch's text is bigger than the buffer, so one is made at a time.
  return Readable.from(text(), { objectMode: false });
}
