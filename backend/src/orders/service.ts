import { randomUUID } from 'node:crypto';
import { notFound } from '../errors';
import type { Clock } from '../clock';
import type { SessionWithUser } from '../auth/repository';
import type { AuthenticatedUser } from '../auth/session';
import type { Idempotency } from '../idempotency/service';
import { requestHash } from '../idempotency/service';
import { truncateCard } from './card';
import type { OrdersRepository } from './repository';
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
  orders: OrdersRepository;
  idempotency: Idempotency;
  clock: Clock;
  onCreated?: () => void;
}) {
  const { orders } = deps;

  return {
    async create(actor: AuthenticatedUser, input: OrderInput, key: string | undefined) {
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
        (claim) => orders.create(order, now, claim),
      );
      if (!result.replayed) deps.onCreated?.();
      return result;
    },

    /**
     * Page P of the newest-first list, with the exact total, at constant cost. It
     * is read in one statement with the caller's session (one round trip instead
     * of two), and nothing is returned unless `accept` passes that session.
     */
    async pageWithSession(
      tokenHash: string,
      accept: (session: SessionWithUser | null) => Promise<AuthenticatedUser>,
      page: number,
      pageSize: number,
    ) {
      const { session, items, total } = await orders.pageWithSession(tokenHash, page, pageSize);
      await accept(session);
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
