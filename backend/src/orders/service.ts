import { randomUUID } from 'node:crypto';
import type { Actor, Caller } from '../actor';
import type { Clock } from '../clock';
import type { Db } from '../db/knex';
import { notFound } from '../errors';
import type { KeyClaim } from '../idempotency/repository';
import { type Idempotency, requestHash } from '../idempotency/service';
import { truncateCard } from './card';
import type { NewOrder, OrdersRepository } from './repository';
import { toOrderDto } from './schemas';

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
        { status: 201, body: toOrderDto({ ...order, seq: 0, user, createdAt: now }) },
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

    async get(id: string) {
      const order = await orders.findById(id);
      if (!order) throw notFound('Order');
      return order;
    },
  };
}

export type OrdersService = ReturnType<typeof createOrdersService>;
