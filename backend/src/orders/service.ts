import { randomUUID } from 'node:crypto';
import type { Actor, Caller } from '../actor';
import type { Clock } from '../clock';
import type { Db } from '../db/knex';
import { AppError, forbidden, invalid, notFound } from '../errors';
import type { KeyClaim } from '../idempotency/repository';
import { type Idempotency, requestHash } from '../idempotency/service';
import { truncateCard } from './card';
import {
  COUNT_BOUND,
  type NewOrder,
  type OrderFilter,
  type OrderFind,
  type OrderRecord,
  type OrderSort,
  type OrderState,
  type OrdersRepository,
} from './repository';
import { toEventDto, toOrderDto } from './schemas';

type OrderDto = ReturnType<typeof toOrderDto>;

/** The moves an order may make: shipped once it leaves, delivered once it arrives, or cancelled before it ships. */
export const MOVES: Readonly<Record<OrderState, readonly OrderState[]>> = {
  placed: ['shipped', 'cancelled'],
  shipped: ['delivered'],
  delivered: [],
  cancelled: [],
};

export interface MoveInput {
  state: 'shipped' | 'delivered' | 'cancelled';
  shippedOn?: string | undefined;
  version: number;
}

/** Rows per read while exporting: each read a keyset range, the connection returned between them. */
export const EXPORT_BATCH = 1000;

/** The UTC calendar day of an instant. */
const dayOf = (ms: number) => new Date(ms).toISOString().slice(0, 10);

const isEmpty = (filter: OrderFilter) =>
  Object.values(filter).every((value) => value === undefined);

/** Where a page ended, as the next page's cursor: the sort key's date and the position. */
const keyOf = (order: OrderRecord, sort: OrderSort) => ({
  date: sort.key === 'orderDate' ? order.orderDate : order.shippingDate,
  seq: order.seq,
});

const who = (user: { name: string; surname: string } | null) =>
  user ? `${user.name} ${user.surname}`.trim() : 'a deleted user';

export interface OrderInput {
  storeCode: string;
  productCode: string;
  quantity: number;
  cardNumber: string;
  orderDate: string;
  shippingDate: string;
}

export function createOrdersService(deps: {
  db: Db;
  orders: OrdersRepository;
  idempotency: Idempotency;
  clock: Clock;
  onCreated?: () => void;
}) {
  const { orders } = deps;

  /**
   * An order, its position and its key's claim are written together or not at all.
   * The order write exists twice on purpose. Where the database has the create_order
   * procedure (MySQL, migration 202612020001), one CALL writes all three: one round
   * trip instead of five, and the counter's row lock, which every order takes, is held
   * for the commit alone rather than across round trips to this process (about 640
   * order POSTs a second became about 1,100; docs/performance.md). SQLite has no
   * procedures, so there the same statements run in a transaction opened here.
   * backend/test/order-write.test.ts runs both on MariaDB with the same inputs and
   * finds the same rows and the same refusals.
   */
  function write(order: NewOrder, now: number, claim: KeyClaim | undefined): Promise<void> {
    const { createByProcedure } = orders;
    if (createByProcedure) return createByProcedure(order, now, claim);
    return deps.db.transaction((trx) => orders.create(order, now, claim, trx));
  }

  return {
    async create(actor: Actor, input: OrderInput, key: string | undefined) {
      const { cardNumber, ...rest } = input;
      const card = truncateCard(cardNumber);
      // A retry is recognised by what is stored of the card, never by a hash of the full number.
      const hash = requestHash('create-order', { ...rest, card: `${card.brand}:${card.last4}` });
      const order = {
        id: randomUUID(),
        userId: actor.id,
        cardBrand: card.brand,
        cardLast4: card.last4,
        ...rest,
      };
      const now = deps.clock();
      const user = { id: actor.id, name: actor.name, surname: actor.surname };
      const result = await deps.idempotency.write(
        actor.id,
        key,
        hash,
        {
          status: 201,
          body: toOrderDto({
            ...order,
            seq: 0,
            user,
            state: 'placed',
            shippedOn: null,
            version: 1,
            createdAt: now,
          }),
        },
        (claim) => write(order, now, claim),
      );
      if (!result.replayed) deps.onCreated?.();
      return result;
    },

    /**
     * Page P of the newest-first list, with the exact total, at constant cost. The
     * caller's session is checked in the same read (orders/repository.ts).
     */
    async page(caller: Caller, page: number, pageSize: number) {
      const { items, total } = await orders.page(caller, page, pageSize);
      const last = items[items.length - 1];
      return {
        items,
        page,
        pageSize,
        total,
        totalPages: Math.max(1, Math.ceil(total / pageSize)),
        nextCursor: last && last.seq > 1 ? String(last.seq) : null,
      };
    },

    /** Cursor paging for API clients: the cursor is the position of the last order seen. */
    async after(cursor: number, pageSize: number) {
      const items = await orders.range(Math.max(0, cursor - 1 - pageSize), cursor - 1);
      const last = items[items.length - 1];
      return { items, pageSize, nextCursor: last && last.seq > 1 ? String(last.seq) : null };
    },

    /**
     * A page of the filtered, sorted list after a keyset position: one index range
     * read whatever the depth. The first page also says how many orders match: exact
     * when nothing is filtered (the counter), else counted up to COUNT_BOUND.
     */
    async find(find: OrderFind, pageSize: number) {
      const today = dayOf(deps.clock());
      let rows: OrderRecord[];
      let count: { total: number; totalExact: boolean } | undefined;
      if (find.after) rows = await orders.find(find, pageSize + 1, today);
      else if (isEmpty(find.filter)) {
        [rows, count] = await Promise.all([
          orders.find(find, pageSize + 1, today),
          orders.total().then((total) => ({ total, totalExact: true })),
        ]);
      } else {
        const found = await orders.findCounted(find, pageSize + 1, today);
        rows = found.items;
        count = {
          total: Math.min(found.matched, COUNT_BOUND),
          totalExact: found.matched <= COUNT_BOUND,
        };
      }
      const items = rows.slice(0, pageSize);
      const last = items[items.length - 1];
      const next = rows.length > pageSize && last ? keyOf(last, find.sort) : null;
      return {
        items,
        pageSize,
        ...count,
        nextCursor: next ? `${next.date}.${next.seq}` : null,
      };
    },

    /**
     * Every order matching the filter, in batches read as they are wanted: a consumer
     * that stops asking (a client gone) stops the reads, and no connection is held
     * between batches.
     */
    async *batches(find: Omit<OrderFind, 'after'>): AsyncGenerator<OrderRecord[]> {
      const today = dayOf(deps.clock());
      let after: OrderFind['after'];
      for (;;) {
        const rows = await orders.find({ ...find, after }, EXPORT_BATCH, today);
        if (rows.length > 0) yield rows;
        if (rows.length < EXPORT_BATCH) return;
        after = keyOf(rows[rows.length - 1]!, find.sort);
      }
    },

    /**
     * Moves an order to another state, if that move is allowed, the caller may make it
     * and the order is still at the version they saw; records who and when. Under an
     * Idempotency-Key a retry gets the first answer; without one, a retry of a move
     * already made finds a newer version and hears 409 with the change it made.
     */
    async move(actor: Actor, id: string, input: MoveInput, key: string | undefined) {
      const shipping = input.state === 'shipped' ? (input.shippedOn ?? null) : null;
      const hash = requestHash('move-order', { id, ...input, shippedOn: shipping });
      const previous = () =>
        key === undefined ? null : deps.idempotency.previous<OrderDto>(actor.id, key, hash);
      const replay = await previous();
      if (replay) return replay;
      const moving = deps.idempotency.inTransaction(actor.id, key, hash, async (trx) => {
        const order = await orders.findForUpdate(id, trx);
        if (!order) throw notFound('Order');
        if (input.state === 'cancelled' && actor.role !== 'admin' && order.user?.id !== actor.id)
          throw forbidden('Only an admin or the member who placed it may cancel an order');
        if (order.version !== input.version) {
          const changes = await orders.history(order.seq, input.version, trx);
          const said = changes
            .map((c) => `${c.to}${c.shippedOn ? ` on ${c.shippedOn}` : ''} by ${who(c.user)}`)
            .join(', then ');
          throw new AppError(
            'order_changed',
            409,
            `This order changed since you opened it${said ? `: ${said}` : ''}. Reload it and try again.`,
            undefined,
            undefined,
            { current: toOrderDto(order), changes: changes.map(toEventDto) },
          );
        }
        if (!MOVES[order.state].includes(input.state))
          throw new AppError(
            'move_not_allowed',
            409,
            `A ${order.state} order cannot become ${input.state}`,
          );
        if (shipping !== null && shipping < order.orderDate)
          throw invalid([
            { field: 'shippedOn', message: 'Shipped on must be on or after the order date' },
          ]);
        const now = deps.clock();
        const moved = await orders.move(
          {
            seq: order.seq,
            version: order.version,
            from: order.state,
            to: input.state,
            shippedOn: shipping,
            userId: actor.id,
            at: now,
          },
          trx,
        );
        // Only where the row could not be locked first: another save won the race.
        if (!moved)
          throw new AppError('order_changed', 409, 'This order changed while you saved it');
        return {
          status: 200,
          body: toOrderDto({
            ...order,
            state: input.state,
            // Delivered keeps the day it shipped.
            shippedOn: shipping ?? order.shippedOn,
            version: order.version + 1,
          }),
        };
      });
      try {
        return await moving;
      } catch (error) {
        // A twin of this keyed request committed while this one checked the order.
        const twin =
          error instanceof AppError && error.code === 'order_changed' && (await previous());
        if (twin) return twin;
        throw error;
      }
    },

    /** An order's changes, oldest first. */
    async history(id: string) {
      const order = await orders.findById(id);
      if (!order) throw notFound('Order');
      return orders.history(order.seq);
    },

    async get(id: string) {
      const order = await orders.findById(id);
      if (!order) throw notFound('Order');
      return order;
    },
  };
}

export type OrdersService = ReturnType<typeof createOrdersService>;
