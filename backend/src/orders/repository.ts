import { type Executor, dialectOf, run, select } from '../db/knex';
import { type KeyClaim, insertClaim } from '../idempotency/repository';
import {
  type SessionColumns,
  type SessionWithUser,
  sessionFromRow,
  withSessionSql,
} from '../auth/repository';
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

/**
 * Every page is a primary-key range read under the counter's current value, read
 * with the caller's session. Exported for the test that checks its plan.
 */
export const PAGE_WITH_SESSION = withSessionSql({
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

type PageRow = Row & { total: number | string };

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
     * together with the Idempotency-Key's claim when there is one: all of it or none.
     * On MySQL one CALL does it on the server (migration 202612020001); elsewhere the
     * same statements run in a transaction, the counter last to hold its lock briefly.
     */
    async create(order: NewOrder, now: number, claim: KeyClaim | undefined): Promise<void> {
      const values = [
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
      if (dialectOf(db) === 'mysql') {
        await run(db, CREATE_ORDER, [
          claim?.userId ?? null,
          claim?.key ?? null,
          claim?.requestHash ?? null,
          claim?.status ?? null,
          claim?.responseBody ?? null,
          ...values,
        ]);
        return;
      }
      await db.transaction(async (trx) => {
        if (claim) await insertClaim(trx, claim);
        await run(trx, `UPDATE ${COUNTERS} SET value = value + 1 WHERE name = ?`, [COUNTER]);
        await run(
          trx,
          `INSERT INTO ${TABLE} (seq, id, user_id, card_brand, card_last4, store_code, product_code,
             quantity, order_date, shipping_date, created_at)
           SELECT value, ?, ?, ?, ?, ?, ?, ?, ?, ?, ? FROM ${COUNTERS} WHERE name = ?`,
          [...values, COUNTER],
        );
      });
    },

    /**
     * Page `page` of the newest-first list and the total, with the session whose
     * token hashes to `tokenHash`, in one statement: positions
     * (total - page*size, total - (page-1)*size] are a primary-key range, so every
     * page costs the same. The caller must accept the session before it uses the page.
     */
    async pageWithSession(
      tokenHash: string,
      page: number,
      pageSize: number,
    ): Promise<{ session: SessionWithUser | null; items: OrderRecord[]; total: number }> {
      const rows = await select<SessionColumns & Nullable<PageRow>>(db, PAGE_WITH_SESSION, [
        COUNTER,
        page * pageSize,
        (page - 1) * pageSize,
        tokenHash,
      ]);
      const first = rows[0];
      if (!first) return { session: null, items: [], total: 0 };
      return {
        session: sessionFromRow(first),
        // Past the end, the order columns come back as one row of NULLs beside the total.
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
