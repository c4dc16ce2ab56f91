import { type Db, dialectOf } from '../db/knex';
import { rebuildConversations } from '../messages/repository';
import { hashPassword } from '../users/password';
import { normalizeEmail } from '../users/repository';

export interface SeedOptions {
  users: number;
  orders: number;
  messages: number;
  adminEmail: string;
  adminPassword: string;
  demoPassword: string;
  progress?: (what: string, done: number, total: number) => void;
}

/** mulberry32: small, fast and deterministic, so every run loads the same demo data. */
function prng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const FIRST = [
  'Ada',
  'Alan',
  'Grace',
  'Linus',
  'Barbara',
  'Ken',
  'Margaret',
  'Dennis',
  'Frances',
  'Edsger',
  'Radia',
  'Donald',
];
const LAST = [
  'Lovelace',
  'Turing',
  'Hopper',
  'Torvalds',
  'Liskov',
  'Thompson',
  'Hamilton',
  'Ritchie',
  'Allen',
  'Dijkstra',
  'Perlman',
  'Knuth',
];
const CARDS = [
  ['visa', '1111'],
  ['mastercard', '4444'],
  ['amex', '0005'],
  ['discover', '1117'],
  ['visa', '0002'],
] as const;
const LINES = [
  'Can you check order status for the north store?',
  'Shipment left the warehouse this morning.',
  'Customer asked to change the delivery date.',
  'Thanks, all sorted.',
  'Stock count for PR-1001 looks off.',
  'Call me when you have a minute.',
];
const DAY = 86_400_000;
const BASE_DATE = Date.UTC(2024, 0, 1);
const BASE_CREATED = Date.UTC(2024, 0, 1, 8);

const uuidFrom = (random: () => number) => {
  const hex = Array.from({ length: 32 }, () => Math.floor(random() * 16).toString(16));
  hex[12] = '4';
  hex[16] = ((parseInt(hex[16]!, 16) & 0x3) | 0x8).toString(16);
  const s = hex.join('');
  return `${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(16, 20)}-${s.slice(20)}`;
};

const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** Days of order dates the demo data spans, from BASE_DATE. */
const ORDER_DAYS = 1000;

/**
 * A demo order's state, as a team's list looks: the last weeks' orders still placed or
 * on their way, older ones delivered, a few cancelled and a few never shipped (overdue).
 * Demo orders are created in their state, at version 1, without a history.
 */
function stateOf(day: number, draw: number): 'placed' | 'shipped' | 'delivered' | 'cancelled' {
  if (day >= ORDER_DAYS - 40)
    return draw < 0.5 ? 'placed' : draw < 0.8 ? 'shipped' : draw < 0.98 ? 'delivered' : 'cancelled';
  return draw < 0.01 ? 'placed' : draw < 0.03 ? 'cancelled' : 'delivered';
}

async function insertInChunks(
  db: Db,
  table: string,
  rows: Record<string, unknown>[],
  size: number,
) {
  for (let i = 0; i < rows.length; i += size) await db(table).insert(rows.slice(i, i + size));
}

/** Demo accounts first (idempotent by e-mail), then orders and messages in large batches. */
async function seedUsers(db: Db, options: SeedOptions): Promise<number[]> {
  const [adminHash, demoHash] = await Promise.all([
    hashPassword(options.adminPassword),
    hashPassword(options.demoPassword),
  ]);
  const now = Date.now();
  const rows = [
    {
      name: 'Admin',
      surname: 'User',
      email: options.adminEmail,
      password_hash: adminHash,
      role: 'admin',
    },
    ...Array.from({ length: options.users }, (_, i) => ({
      name: FIRST[i % FIRST.length]!,
      surname: LAST[Math.floor(i / FIRST.length) % LAST.length]!,
      email: `demo${i + 1}@tradepost.test`,
      password_hash: demoHash,
      role: 'member',
    })),
  ].map((u) => ({
    ...u,
    email_normalized: normalizeEmail(u.email),
    created_at: now,
    updated_at: now,
  }));
  for (let i = 0; i < rows.length; i += 1000) {
    await db('users')
      .insert(rows.slice(i, i + 1000))
      .onConflict('email_normalized')
      .ignore();
  }
  const demo = (await db('users')
    .whereIn(
      'email_normalized',
      rows.slice(1).map((r) => r.email_normalized),
    )
    .orderBy('id')
    .select('id')) as { id: number }[];
  return demo.map((r) => r.id);
}

async function seedOrders(db: Db, userIds: number[], options: SeedOptions): Promise<void> {
  const random = prng(42);
  // States draw from their own sequence, so the other columns stay as they always were.
  const states = prng(43);
  const chunk = dialectOf(db) === 'mysql' ? 20_000 : 10_000;
  options.progress?.('orders', 0, options.orders);
  for (let done = 0; done < options.orders;) {
    const n = Math.min(chunk, options.orders - done);
    await db.transaction(async (trx) => {
      const counter = (await trx('counters')
        .where({ name: 'orders' })
        .forUpdate()
        .first('value')) as { value: number | string };
      const start = Number(counter.value);
      const rows = Array.from({ length: n }, (_, i) => {
        const seq = start + i + 1;
        const day = Math.floor(random() * ORDER_DAYS);
        const orderDay = BASE_DATE + day * DAY;
        const [brand, last4] = CARDS[Math.floor(random() * CARDS.length)]!;
        const state = stateOf(day, states());
        const id = uuidFrom(random);
        const userId = userIds.length ? userIds[Math.floor(random() * userIds.length)]! : null;
        const storeCode = `ST-${String(1 + Math.floor(random() * 40)).padStart(3, '0')}`;
        const productCode = `PR-${String(1000 + Math.floor(random() * 9000))}`;
        const quantity = 1 + Math.floor(random() * 50);
        const shippingDate = isoDay(orderDay + Math.floor(random() * 10) * DAY);
        return {
          seq,
          id,
          user_id: userId,
          card_brand: brand,
          card_last4: last4,
          store_code: storeCode,
          product_code: productCode,
          quantity,
          order_date: isoDay(orderDay),
          shipping_date: shippingDate,
          state,
          shipped_on: state === 'shipped' || state === 'delivered' ? shippingDate : null,
          version: 1,
          created_at: BASE_CREATED + seq * 1000,
        };
      });
      await insertInChunks(
        trx as unknown as Db,
        'orders',
        rows,
        dialectOf(db) === 'mysql' ? 5000 : 500,
      );
      await trx('counters')
        .where({ name: 'orders' })
        .update({ value: start + n });
    });
    done += n;
    options.progress?.('orders', done, options.orders);
  }
}

async function seedMessages(db: Db, userIds: number[], options: SeedOptions): Promise<void> {
  if (userIds.length < 2) return;
  const random = prng(7);
  const chunk = 20_000;
  options.progress?.('messages', 0, options.messages);
  for (let done = 0; done < options.messages;) {
    const n = Math.min(chunk, options.messages - done);
    const rows = Array.from({ length: n }, (_, i) => {
      const a = userIds[Math.floor(random() * userIds.length)]!;
      let b = userIds[Math.floor(random() * userIds.length)]!;
      if (b === a) b = userIds[(userIds.indexOf(a) + 1) % userIds.length]!;
      return {
        sender_id: a,
        recipient_id: b,
        user_low: Math.min(a, b),
        user_high: Math.max(a, b),
        body: LINES[Math.floor(random() * LINES.length)]!,
        created_at: BASE_CREATED + (done + i) * 1000,
      };
    });
    await db.transaction((trx) =>
      insertInChunks(
        trx as unknown as Db,
        'messages',
        rows,
        dialectOf(db) === 'mysql' ? 5000 : 500,
      ),
    );
    done += n;
    options.progress?.('messages', done, options.messages);
  }
  await rebuildConversations(db);
}

export async function seed(db: Db, options: SeedOptions): Promise<{ demoUsers: number }> {
  const userIds = await seedUsers(db, options);
  await seedOrders(db, userIds, options);
  await seedMessages(db, userIds, options);
  return { demoUsers: userIds.length };
}
