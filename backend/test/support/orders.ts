import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';

/** An order row as a test states it; the rest is filled in. */
export interface OrderSpec {
  store?: string;
  product?: string;
  userId?: number | null;
  orderDate?: string;
  shippingDate?: string;
  state?: 'placed' | 'shipped' | 'delivered' | 'cancelled';
}

export interface InsertedOrder {
  seq: number;
  id: string;
  store: string;
  product: string;
  userId: number | null;
  orderDate: string;
  shippingDate: string;
  state: string;
}

/**
 * Orders written straight to the tables, at the next positions, as the seeder does:
 * many orders with exactly the columns a test needs, in a moment.
 */
export async function insertOrders(db: Knex, specs: OrderSpec[]): Promise<InsertedOrder[]> {
  return db.transaction(async (trx) => {
    const counter = (await trx('counters')
      .where({ name: 'orders' })
      .forUpdate()
      .first('value')) as {
      value: number | string;
    };
    const start = Number(counter.value);
    const rows = specs.map((s, i) => {
      const state = s.state ?? 'placed';
      const shippingDate = s.shippingDate ?? s.orderDate ?? '2026-01-12';
      return {
        seq: start + i + 1,
        id: randomUUID(),
        user_id: s.userId ?? null,
        card_brand: 'visa',
        card_last4: '1111',
        store_code: s.store ?? 'ST-1',
        product_code: s.product ?? 'PR-1',
        quantity: 1,
        order_date: s.orderDate ?? '2026-01-10',
        shipping_date: shippingDate,
        state,
        shipped_on: state === 'shipped' || state === 'delivered' ? shippingDate : null,
        version: 1,
        created_at: Date.UTC(2026, 0, 1) + i,
      };
    });
    for (let i = 0; i < rows.length; i += 500) await trx('orders').insert(rows.slice(i, i + 500));
    await trx('counters')
      .where({ name: 'orders' })
      .update({ value: start + rows.length });
    return rows.map((r) => ({
      seq: r.seq,
      id: r.id,
      store: r.store_code,
      product: r.product_code,
      userId: r.user_id,
      orderDate: r.order_date,
      shippingDate: r.shipping_date,
      state: r.state,
    }));
  });
}
