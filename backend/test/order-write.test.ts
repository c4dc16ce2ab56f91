import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { databaseFromUrl } from '../src/config';
import { createDb, type Db } from '../src/db/knex';
import { migrateLatest } from '../src/db/migrate';
import type { KeyClaim } from '../src/idempotency/repository';
import { createLogger } from '../src/logger';
import { createOrdersRepository, type NewOrder } from '../src/orders/repository';
import { createTestDatabase, dialects, type Dialect } from './support/harness';

// An order is written by the create_order procedure on MySQL and by the same statements
// in a transaction elsewhere (orders/service.ts says why). These tests hold the two to
// one behaviour: the rows they leave, and the writes they refuse.

type Write = (order: NewOrder, now: number, claim: KeyClaim | undefined) => Promise<void>;

const USER_ID = 1;

/** A fresh, migrated database with one user to own the orders and keys. */
async function openDatabase(dialect: Dialect) {
  const database = await createTestDatabase(dialect);
  const db = createDb(databaseFromUrl(database.url));
  await migrateLatest(db, createLogger('silent'));
  await db('users').insert({
    id: USER_ID,
    name: 'Olive',
    surname: 'Order',
    email: 'olive@example.com',
    email_normalized: 'olive@example.com',
    password_hash: 'not-a-real-hash',
    role: 'member',
    created_at: 0,
    updated_at: 0,
  });
  return {
    db,
    close: async () => {
      await db.destroy();
      await database.drop();
    },
  };
}

/** The order write each way a database offers it. */
function writersOf(db: Db): Record<string, Write> {
  const orders = createOrdersRepository(db);
  const writers: Record<string, Write> = {
    statements: (order, now, claim) =>
      db.transaction((trx) => orders.create(order, now, claim, trx)),
  };
  if (orders.createByProcedure) writers.procedure = orders.createByProcedure;
  return writers;
}

const claimOf = (key: string, now: number): KeyClaim => ({
  userId: USER_ID,
  key,
  requestHash: 'h'.repeat(64),
  status: 201,
  responseBody: `{"key":"${key}"}`,
  createdAt: now,
});

/** What a write did: done, or the error code it was refused with. */
const outcome = (write: Promise<void>) =>
  write.then(
    () => 'done',
    (error: { code?: string }) =>
      /^(ER_DUP_ENTRY|SQLITE_CONSTRAINT)/.test(error.code ?? '') ? 'duplicate' : String(error.code),
  );

async function tables(db: Db) {
  return {
    orders: (await db('orders').orderBy('seq')) as unknown[],
    keys: (await db('idempotency_keys').orderBy('idem_key')) as unknown[],
    counters: (await db('counters').orderBy('name')) as unknown[],
  };
}

const mysqlOnly = dialects.includes('mysql') ? (['mysql'] as const) : [];

describe.each(mysqlOnly)('the order write, procedure and statements side by side (%s)', () => {
  let byProcedure: Awaited<ReturnType<typeof openDatabase>>;
  let byStatements: Awaited<ReturnType<typeof openDatabase>>;
  beforeAll(async () => {
    [byProcedure, byStatements] = await Promise.all([openDatabase('mysql'), openDatabase('mysql')]);
  });
  afterAll(async () => {
    await byProcedure?.close();
    await byStatements?.close();
  });

  const step = fc.record({
    storeCode: fc.stringMatching(/^[A-Za-z0-9-]{1,32}$/),
    productCode: fc.stringMatching(/^[A-Za-z0-9-]{1,32}$/),
    quantity: fc.integer({ min: 1, max: 1000 }),
    cardBrand: fc.constantFrom('visa', 'mastercard', 'amex', 'unknown' as const),
    cardLast4: fc.stringMatching(/^[0-9]{4}$/),
    orderDay: fc.integer({ min: 0, max: 3000 }),
    shippingDays: fc.integer({ min: 0, max: 30 }),
    // A few keys and ids only, so that sequences reuse them and get refused.
    key: fc.option(fc.constantFrom('key-1', 'key-2', 'key-3')),
    id: fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f'),
  });

  it('when both are given the same writes, then they refuse the same ones and leave the same rows', async () => {
    const { procedure: writeProcedure } = writersOf(byProcedure.db);
    const { statements: writeStatements } = writersOf(byStatements.db);
    if (!writeProcedure) throw new Error('MariaDB has no create_order procedure');
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 8 }), async (steps) => {
        for (const { db } of [byProcedure, byStatements]) {
          await db('orders').delete();
          await db('idempotency_keys').delete();
          await db('counters').where({ name: 'orders' }).update({ value: 0 });
        }
        const outcomes: [string, string][] = [];
        for (const [i, s] of steps.entries()) {
          const day = Date.UTC(2024, 0, 1) + s.orderDay * 86_400_000;
          const order: NewOrder = {
            id: `00000000-0000-4000-8000-00000000000${s.id}`,
            userId: USER_ID,
            cardBrand: s.cardBrand,
            cardLast4: s.cardLast4,
            storeCode: s.storeCode,
            productCode: s.productCode,
            quantity: s.quantity,
            orderDate: new Date(day).toISOString().slice(0, 10),
            shippingDate: new Date(day + s.shippingDays * 86_400_000).toISOString().slice(0, 10),
          };
          const now = 1_767_225_600_000 + i;
          const claim = s.key === null ? undefined : claimOf(s.key, now);
          outcomes.push([
            await outcome(writeProcedure(order, now, claim)),
            await outcome(writeStatements(order, now, claim)),
          ]);
        }
        expect(outcomes.map(([procedure]) => procedure)).toEqual(outcomes.map(([, s]) => s));
        expect(await tables(byProcedure.db)).toEqual(await tables(byStatements.db));
      }),
      { numRuns: 25, seed: 18 },
    );
  });
});

describe.each(dialects)('an order write that fails (%s)', (dialect) => {
  let database: Awaited<ReturnType<typeof openDatabase>>;
  beforeAll(async () => {
    database = await openDatabase(dialect);
  });
  afterAll(() => database.close());

  it('when the insert fails after the key and the position were taken, then neither stays taken and positions stay dense', async () => {
    const { db } = database;
    for (const [name, write] of Object.entries(writersOf(db))) {
      const counter = async () =>
        Number(
          ((await db('counters').where({ name: 'orders' }).first()) as { value: number }).value,
        );
      const order: NewOrder = {
        id: randomUUID(),
        userId: USER_ID,
        cardBrand: 'visa',
        cardLast4: '1111',
        storeCode: `ST-${name}`,
        productCode: 'PR-ATOMIC',
        quantity: 1,
        orderDate: '2026-01-10',
        shippingDate: '2026-01-12',
      };
      const before = await counter();
      await write(order, Date.now(), claimOf(`${name}-1`, Date.now()));
      // The same order id again under a new key: the insert fails after the claim and the
      // counter's update have run (on MySQL, inside the stored procedure).
      expect(await outcome(write(order, Date.now(), claimOf(`${name}-2`, Date.now())))).toBe(
        'duplicate',
      );
      expect(await counter()).toBe(before + 1);
      expect(await db('idempotency_keys').where({ idem_key: `${name}-2` })).toHaveLength(0);
      // Nothing of the failed write lingers on a pooled connection: the next orders take
      // the next positions, and the counter still equals the number of orders.
      for (let i = 0; i < 12; i++)
        await write({ ...order, id: randomUUID() }, Date.now(), undefined);
      const rows = (await db('orders')
        .where({ store_code: `ST-${name}` })
        .orderBy('seq')) as {
        seq: number | string;
      }[];
      expect(rows.map((r) => Number(r.seq))).toEqual(
        Array.from({ length: 13 }, (_, i) => before + 1 + i),
      );
      const total = (await db('orders').count({ n: '*' }).first()) as { n: number | string };
      expect(Number(total.n)).toBe(await counter());
    }
  });
});
