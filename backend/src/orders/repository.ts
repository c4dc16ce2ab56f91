import type { Caller } from '../actor';
import { sessionRead } from '../auth/session';
import type { Knex } from 'knex';
import { type Executor, dialectOf, run, select } from '../db/knex';
import { type KeyClaim, insertClaim } from '../idempotency/repository';
import type { CardBrand } from './card';

export type OrderState = 'placed' | 'shipped' | 'delivered' | 'cancelled';

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
  state: string;
  shipped_on: string | null;
  version: number | string;
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
  state: OrderState;
  shippedOn: string | null;
  version: number;
  createdAt: number;
}

/** What the list is narrowed to; every field optional, all of them combine. */
export interface OrderFilter {
  storeCode?: string | undefined;
  productCode?: string | undefined;
  userId?: number | undefined;
  /** Order dates from and to, both inclusive. */
  from?: string | undefined;
  to?: string | undefined;
  /** not_shipped: placed; shipped: shipped or delivered; overdue: placed and past its shipping date. */
  shipping?: 'not_shipped' | 'shipped' | 'overdue' | undefined;
}

export interface OrderSort {
  key: 'orderDate' | 'shippingDate';
  dir: 'asc' | 'desc';
}

/** A keyset position: the sort key's date and the order's position, of the last row seen. */
export interface OrderKey {
  date: string;
  seq: number;
}

export interface OrderFind {
  filter: OrderFilter;
  sort: OrderSort;
  after: OrderKey | undefined;
}

export interface OrderEventRecord {
  id: number;
  user: { id: number; name: string; surname: string } | null;
  from: OrderState;
  to: OrderState;
  shippedOn: string | null;
  version: number;
  at: number;
}

export interface OrderMove {
  seq: number;
  /** The version the change was made on; the write happens only if it is still current. */
  version: number;
  from: OrderState;
  to: OrderState;
  /** The day it shipped, for a move to shipped; null leaves the order's as it is. */
  shippedOn: string | null;
  userId: number;
  at: number;
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
    o.quantity, o.order_date, o.shipping_date, o.state, o.shipped_on, o.version, o.created_at,
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
    state: row.state as OrderState,
    shippedOn: row.shipped_on === null ? null : String(row.shipped_on).slice(0, 10),
    version: Number(row.version),
    createdAt: Number(row.created_at),
  };
}

const LIST_COLUMNS = `o.seq, o.id, o.user_id, o.card_brand, o.card_last4, o.store_code,
  o.product_code, o.quantity, o.order_date, o.shipping_date, o.state, o.shipped_on, o.version,
  o.created_at, u.name AS user_name, u.surname AS user_surname`;

const SORT_COLUMNS = { orderDate: 'o.order_date', shippingDate: 'o.shipping_date' } as const;

/** Counting stops here: past it the list says "more than" this many. */
export const COUNT_BOUND = 10_000;

/**
 * The WHERE clause of a filter, as parameterised SQL. Each filter is an equality or a
 * range on an indexed column (migration 202612050001), so the database reads one index
 * range and checks the rest on the rows it finds.
 */
function whereOf(filter: OrderFilter, today: string): { sql: string[]; bindings: Knex.Value[] } {
  const sql: string[] = [];
  const bindings: Knex.Value[] = [];
  const add = (clause: string, ...values: Knex.Value[]) => {
    sql.push(clause);
    bindings.push(...values);
  };
  if (filter.storeCode !== undefined) add('o.store_code = ?', filter.storeCode);
  if (filter.productCode !== undefined) add('o.product_code = ?', filter.productCode);
  if (filter.userId !== undefined) add('o.user_id = ?', filter.userId);
  if (filter.from !== undefined) add('o.order_date >= ?', filter.from);
  if (filter.to !== undefined) add('o.order_date <= ?', filter.to);
  if (filter.shipping === 'not_shipped') add("o.state = 'placed'");
  if (filter.shipping === 'shipped') add("o.state IN ('shipped', 'delivered')");
  if (filter.shipping === 'overdue') add("o.state = 'placed' AND o.shipping_date < ?", today);
  return { sql, bindings };
}

/**
 * Rows after a keyset position. The key's bound comes first on its own (`<=` or `>=`),
 * so both planners read one index range starting at the cursor rather than filtering
 * every row before it; the position breaks ties between orders of the same day.
 */
function afterOf(sort: OrderSort, after: OrderKey): { sql: string; bindings: Knex.Value[] } {
  const column = SORT_COLUMNS[sort.key];
  const [bound, strict] = sort.dir === 'desc' ? ['<=', '<'] : ['>=', '>'];
  return {
    sql: `${column} ${bound} ? AND (${column} ${strict} ? OR o.seq ${strict} ?)`,
    bindings: [after.date, after.date, after.seq],
  };
}

function eventOf(row: EventRow): OrderEventRecord {
  return {
    id: Number(row.id),
    user:
      row.user_id !== null && row.user_name !== null
        ? { id: row.user_id, name: row.user_name, surname: row.user_surname ?? '' }
        : null,
    from: row.from_state as OrderState,
    to: row.to_state as OrderState,
    shippedOn: row.shipped_on === null ? null : String(row.shipped_on).slice(0, 10),
    version: Number(row.version),
    at: Number(row.created_at),
  };
}

interface EventRow {
  id: number | string;
  user_id: number | null;
  user_name: string | null;
  user_surname: string | null;
  from_state: string;
  to_state: string;
  shipped_on: string | null;
  version: number | string;
  created_at: number | string;
}

/**
 * The statement `find` runs: the filter, the keyset position when there is one, the
 * sort and the limit, with `extra` appended to the selected columns.
 */
function findSql(
  find: OrderFind,
  limit: number,
  today: string,
  extra: string,
): [string, Knex.Value[]] {
  const where = whereOf(find.filter, today);
  if (find.after) {
    const after = afterOf(find.sort, find.after);
    where.sql.push(after.sql);
    where.bindings.push(...after.bindings);
  }
  const column = SORT_COLUMNS[find.sort.key];
  const dir = find.sort.dir === 'desc' ? 'DESC' : 'ASC';
  return [
    `SELECT ${LIST_COLUMNS}${extra} FROM ${TABLE} o LEFT JOIN users u ON u.id = o.user_id
     ${where.sql.length ? `WHERE ${where.sql.join(' AND ')}` : ''}
     ORDER BY ${column} ${dir}, o.seq ${dir} LIMIT ?`,
    [...where.bindings, limit],
  ];
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

    /**
     * Up to `limit` orders matching the filter, in the sort's order, after the keyset
     * position when there is one. `today` (YYYY-MM-DD) decides what is overdue.
     */
    async find(
      find: OrderFind,
      limit: number,
      today: string,
      trx: Executor = db,
    ): Promise<OrderRecord[]> {
      const rows = await select<Row>(trx, ...findSql(find, limit, today, ''));
      return rows.map(toOrder);
    },

    /**
     * The first `limit` orders matching the filter, as `find` reads them, and how many
     * orders match, counted up to COUNT_BOUND + 1 and no further: the count reads at
     * most that many index entries, however large the table. One statement, so the
     * count costs no second round trip; with no order matching, no row answers and the
     * count is 0.
     */
    async findCounted(
      find: Omit<OrderFind, 'after'>,
      limit: number,
      today: string,
    ): Promise<{ items: OrderRecord[]; matched: number }> {
      const where = whereOf(find.filter, today);
      const counted = `(SELECT COUNT(*) FROM (SELECT 1 AS one FROM ${TABLE} o
           ${where.sql.length ? `WHERE ${where.sql.join(' AND ')}` : ''}
           LIMIT ${COUNT_BOUND + 1}) AS bounded) AS matched`;
      const [sql, bindings] = findSql({ ...find, after: undefined }, limit, today, `, ${counted}`);
      const rows = await select<Row & { matched: number | string }>(db, sql, [
        ...where.bindings,
        ...bindings,
      ]);
      return { items: rows.map(toOrder), matched: Number(rows[0]?.matched ?? 0) };
    },

    /** The exact number of orders: the counter's value, kept with every write. */
    async total(): Promise<number> {
      const rows = await select<{ value: number | string }>(
        db,
        `SELECT value FROM ${COUNTERS} WHERE name = ?`,
        [COUNTER],
      );
      return Number(rows[0]?.value ?? 0);
    },

    /** The order by id, its row locked on MySQL until the transaction ends. */
    async findForUpdate(id: string, trx: Executor): Promise<OrderRecord | null> {
      const query = selectWithUser(trx).where('o.id', id);
      if (dialectOf(trx) === 'mysql') void query.forUpdate('o');
      const row = (await query.first()) as Row | undefined;
      return row ? toOrder(row) : null;
    },

    /**
     * Moves an order and records the change, in the caller's transaction. False when the
     * order is no longer at `move.version` (someone saved first); then nothing is written.
     */
    async move(move: OrderMove, trx: Executor): Promise<boolean> {
      const updated = await trx(TABLE)
        .where({ seq: move.seq, version: move.version, state: move.from })
        .update({
          state: move.to,
          ...(move.shippedOn === null ? {} : { shipped_on: move.shippedOn }),
          version: move.version + 1,
        });
      if (updated !== 1) return false;
      await trx('order_events').insert({
        order_seq: move.seq,
        user_id: move.userId,
        from_state: move.from,
        to_state: move.to,
        shipped_on: move.shippedOn,
        version: move.version + 1,
        created_at: move.at,
      });
      return true;
    },

    /** An order's changes, oldest first; those after `sinceVersion` when given. */
    async history(seq: number, sinceVersion = 0, trx: Executor = db): Promise<OrderEventRecord[]> {
      const rows = (await trx('order_events as e')
        .leftJoin('users as u', 'u.id', 'e.user_id')
        .where('e.order_seq', seq)
        .andWhere('e.version', '>', sinceVersion)
        .orderBy('e.id', 'asc')
        .select('e.*', 'u.name as user_name', 'u.surname as user_surname')) as EventRow[];
      return rows.map(eventOf);
    },
  };
}

export type OrdersRepository = ReturnType<typeof createOrdersRepository>;
