import type { Caller } from '../actor';
import { sessionRead } from '../auth/session';
import { type Executor, dialectOf, run } from '../db/knex';
import { type KeyClaim, insertClaim } from '../idempotency/repository';
import type { CardBrand } from './card';

type Nullable<T> = { [K in keyof T]: T[K] | null };

const TABLE = 'orders';
const COUNTERS = 'counters';
const COUNTER = 'orders';

interface Row {
  seq: number | string;
  id: string;
  user_id: number | null;
  user_name: string | null;
  user_surname: string | null;
  card_brand: string;
  card_last4: string;
  store_code: string;
  product_code: string;
  quantity: number;
  order_date: string;
  shipping_date: string;
  created_at: number | string;
}

export interface OrderRecord {
  seq: number;
  id: string;
  user: { id: number; name: string; surname: string } | null;
  cardBrand: CardBrand;
  cardLast4: string;
  storeCode: string;
  productCode: string;
  quantity: number;
  orderDate: string;
  shippingDate: string;
  createdAt: number;
}

export interface NewOrder {
  id: string;
  userId: number;
  cardBrand: CardBrand;
  cardLast4: string;
  storeCode: string;
  productCode: string;
  quantity: number;
  orderDate: string;
  shippingDate: string;
}

type PageRow = Row & { total: number | string };

/**
 * Page `page` of the newest-first list and the total, with the caller's session, in one
 * statement: positions (total - page*size, total - (page-1)*size] under the counter's
 * current value are a primary-key range, so every page costs the same. Exported for the
 * test that checks its plan.
 */
export const ORDERS_PAGE = sessionRead<Nullable<PageRow>>({
  // Listed, not o.*: a column must never shadow one of the session's in the row.
  columns: `o.seq, o.id, o.user_id, o.card_brand, o.card_last4, o.store_code, o.product_code,
    o.quantity, o.order_date, o.shipping_date, o.created_at,
    u.name AS user_name, u.surname AS user_surname, c.value AS total`,
  joins: `LEFT JOIN ${COUNTERS} c ON c.name = ?
  LEFT JOIN ${TABLE} o ON o.seq > c.value - ? AND o.seq <= c.value - ?
  LEFT JOIN users u ON u.id = o.user_id`,
  orderBy: 'o.seq DESC',
});

/** The stored procedure that writes an order and its key's claim on MySQL. */
const CREATE_ORDER = 'CALL create_order(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)';

const valuesOf = (order: NewOrder, now: number) => [
  order.id,
  order.userId,
  order.cardBrand,
  order.cardLast4,
  order.storeCode,
  order.productCode,
  order.quantity,
  order.orderDate,
  order.shippingDate,
  now,
];

function toOrder(row: Row): OrderRecord {
  return {
    seq: Number(row.seq),
    id: row.id,
    user:
      row.user_id !== null && row.user_name !== null
        ? { id: row.user_id, name: row.user_name, surname: row.user_surname ?? '' }
        : null,
    cardBrand: row.card_brand as CardBrand,
    cardLast4: row.card_last4,
    storeCode: row.store_code,
    productCode: row.product_code,
    quantity: row.quantity,
    orderDate: String(row.order_date).slice(0, 10),
    shippingDate: String(row.shipping_date).slice(0, 10),
    createdAt: Number(row.created_at),
  };
}

export function createOrdersRepository(db: Executor) {
  const selectWithUser = (trx: Executor) =>
    trx(`${TABLE} as o`)
      .leftJoin('users as u', 'u.id', 'o.user_id')
      .select('o.*', 'u.name as user_name', 'u.surname as user_surname');

  return {
    /**
     * Stores a new order at the next position, taken under the counter's row lock so
     * positions stay dense (1..total) and the total is exact without counting rows,
     * with the Idempotency-Key's claim when there is one, in the caller's transaction.
     */
    async create(order: NewOrder, now: number, claim: KeyClaim | undefined, trx: Executor) {
      if (claim) await insertClaim(trx, claim);
      await run(trx, `UPDATE ${COUNTERS} SET value = value + 1 WHERE name = ?`, [COUNTER]);
      await run(
        trx,
        `INSERT INTO ${TABLE} (seq, id, user_id, card_brand, card_last4, store_code, product_code,
           quantity, order_date, shipping_date, created_at)
         SELECT value, ?, ?, ?, ?, ?, ?, ?, ?, ?, ? FROM ${COUNTERS} WHERE name = ?`,
        [...valuesOf(order, now), COUNTER],
      );
    },

    /**
     * The same write as `create`, by one CALL of the create_order procedure, which is its
     * own transaction; null where the database has no such procedure (SQLite).
     */
    createByProcedure:
      dialectOf(db) === 'mysql'
        ? async (order: NewOrder, now: number, claim: KeyClaim | undefined): Promise<void> => {
            await run(db, CREATE_ORDER, [
              claim?.userId ?? null,
              claim?.key ?? null,
              claim?.requestHash ?? null,
              claim?.status ?? null,
              claim?.responseBody ?? null,
              ...valuesOf(order, now),
            ]);
          }
        : null,

    /** Page `page` of the newest-first list and the total, for a caller with a good session. */
    async page(
      caller: Caller,
      page: number,
      pageSize: number,
    ): Promise<{ items: OrderRecord[]; total: number }> {
      const rows = await ORDERS_PAGE.run(db, caller, [
        COUNTER,
        page * pageSize,
        (page - 1) * pageSize,
      ]);
      // At least one row: the session's. Past the end, its order columns are NULL.
      const first = rows[0];
      return {
        items: first.seq === null ? [] : (rows as PageRow[]).map(toOrder),
        // The counter row is created by the migrations; without it there are no orders.
        total: first.total === null ? 0 : Number(first.total),
      };
    },

    /** Positions (from, to], newest first. */
    async range(
      fromExclusive: number,
      toInclusive: number,
      trx: Executor = db,
    ): Promise<OrderRecord[]> {
      const rows = (await selectWithUser(trx)
        .where('o.seq', '>', fromExclusive)
        .andWhere('o.seq', '<=', toInclusive)
        .orderBy('o.seq', 'desc')) as Row[];
      return rows.map(toOrder);
    },

    async findById(id: string, trx: Executor = db): Promise<OrderRecord | null> {
      const row = (await selectWithUser(trx).where('o.id', id).first()) as Row | undefined;
      return row ? toOrder(row) : null;
    },
  };
}

export type OrdersRepository = ReturnType<typeof createOrdersRepository>;
