import { createHousekeeping } from '../src/auth/housekeeping';
import { dialects, startTestBackend, type TestContext } from './support/harness';

const HOUR = 60 * 60 * 1000;

describe.each(dialects)('housekeeping (%s)', (dialect) => {
  let t: TestContext;
  beforeAll(async () => {
    t = await startTestBackend(dialect, { env: { HOUSEKEEPING_INTERVAL_MS: '0' } });
  });
  afterAll(() => t.close());

  async function fill(now: number, userId: number) {
    const sessions = (expired: boolean, i: number) => ({
      user_id: userId,
      token_hash: `${expired ? 'e' : 'l'}${String(i).padStart(63, '0')}`,
      created_at: now - 13 * HOUR,
      last_seen_at: now - HOUR,
      expires_at: expired ? now - HOUR : now + HOUR,
    });
    const throttle = (stale: boolean, i: number) => ({
      throttle_key: `${stale ? 's' : 'f'}${String(i).padStart(63, '0')}`,
      failures: 3,
      window_started_at: now - 30 * HOUR,
      blocked_until: 0,
      lockouts: 0,
      updated_at: stale ? now - 30 * HOUR : now,
    });
    const keys = (old: boolean, i: number) => ({
      user_id: userId,
      idem_key: `${old ? 'old' : 'new'}-${i}`,
      request_hash: 'x'.repeat(64),
      status: 201,
      response_body: '{}',
      created_at: old ? now - 25 * HOUR : now,
    });
    const rows = <T>(n: number, make: (flag: boolean, i: number) => T, flag: boolean) =>
      Array.from({ length: n }, (_, i) => make(flag, i));
    for (const [table, make] of [
      ['sessions', sessions],
      ['login_throttle', throttle],
      ['idempotency_keys', keys],
    ] as const) {
      const old = rows(2500, make as (f: boolean, i: number) => object, true);
      for (let i = 0; i < old.length; i += 250) await t.db(table).insert(old.slice(i, i + 250));
      await t.db(table).insert(rows(20, make as (f: boolean, i: number) => object, false));
    }
  }

  it('when thousands of rows have expired, then purges by two replicas at once leave only the live rows', async () => {
    const now = Date.now();
    const { user } = await t.signup();
    await t.db('sessions').delete();
    await t.db('login_throttle').delete();
    await fill(now, user.id);
    const replica = () =>
      createHousekeeping({ db: t.db, clock: () => now, batchSize: 400, maxBatches: 50 });
    const [a, b] = await Promise.all([replica().purge(), replica().purge()]);
    expect(a.sessions + b.sessions).toBe(2500);
    expect(a.login_throttle + b.login_throttle).toBe(2500);
    expect(a.idempotency_keys + b.idempotency_keys).toBe(2500);
    const count = async (table: string) =>
      Number(((await t.db(table).count({ n: '*' }).first()) as { n: number | string }).n);
    expect(await count('sessions')).toBe(20);
    expect(await count('login_throttle')).toBe(20);
    expect(await count('idempotency_keys')).toBe(20);
  });

  it('when a run may take only a few batches, then it stops there and the next run continues', async () => {
    const now = Date.now();
    const { user } = await t.signup();
    for (const table of ['sessions', 'login_throttle', 'idempotency_keys'])
      await t.db(table).delete();
    await fill(now + 1, user.id);
    const housekeeping = createHousekeeping({
      db: t.db,
      clock: () => now + 2,
      batchSize: 500,
      maxBatches: 2,
    });
    expect((await housekeeping.purge()).sessions).toBe(1000);
    expect((await housekeeping.purge()).sessions).toBe(1000);
    expect((await housekeeping.purge()).sessions).toBe(500);
  });
});
