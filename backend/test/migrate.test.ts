import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import type { Knex } from 'knex';
import { databaseFromUrl } from '../src/config';
import { createDb } from '../src/db/knex';
import { forceUnlock, migrateLatest, MigrationLockedError } from '../src/db/migrate';
import { MIGRATIONS } from '../src/db/migrations';
import { createLogger } from '../src/logger';
import { createTestDatabase, dialects } from './support/harness';

const run = promisify(execFile);
const CLI = path.join(__dirname, '..', 'dist', 'db', 'cli-migrate.js');

const migrate = (url: string, args: string[] = [], lockWaitMs = 3000) =>
  run(process.execPath, [CLI, ...args], {
    env: {
      ...process.env,
      DATABASE_URL: url,
      LOG_LEVEL: 'info',
      MIGRATION_LOCK_WAIT_MS: String(lockWaitMs),
    },
  }).then(
    (r) => ({ code: 0, out: r.stdout + r.stderr }),
    (e: { code: number; stdout: string; stderr: string }) => ({
      code: e.code,
      out: e.stdout + e.stderr,
    }),
  );

const mysqlOnly = dialects.includes('mysql') ? (['mysql'] as const) : [];

describe.each(dialects)('migrations (%s)', (dialect) => {
  it('when three migrators start at once on an empty database, then each migration is applied exactly once', async () => {
    const database = await createTestDatabase(dialect);
    try {
      // The waiting two must outwait a whole run, which takes seconds on a busy machine.
      const results = await Promise.all([
        migrate(database.url, [], 20_000),
        migrate(database.url, [], 20_000),
        migrate(database.url, [], 20_000),
      ]);
      // Compared with their output so a failure shows what each migrator said.
      expect(results.filter((r) => r.code !== 0)).toEqual([]);
      expect(results.filter((r) => r.out.includes('migrations applied'))).toHaveLength(1);
      const db = createDb(databaseFromUrl(database.url));
      const names = (await db('knex_migrations').select('name')) as { name: string }[];
      expect(names.map((n) => n.name)).toEqual(MIGRATIONS.map(([n]) => n));
      const lock = (await db('knex_migrations_lock').select('is_locked')) as {
        is_locked: number;
      }[];
      expect(lock.map((l) => Number(l.is_locked))).toEqual([0]);
      await db.destroy();
    } finally {
      await database.drop();
    }
  });
});

const quiet = createLogger('silent');
const open = (url: string) => createDb(databaseFromUrl(url), 2);
const lockRows = async (db: Knex) =>
  ((await db('knex_migrations_lock').select('is_locked')) as { is_locked: number }[]).map((r) =>
    Number(r.is_locked),
  );

/** The tables knex creates on first use, as a migrator leaves them just before inserting the lock row. */
async function createEmptyLockTable(db: Knex): Promise<void> {
  await db.schema.createTable('knex_migrations', (t) => {
    t.increments();
    t.string('name');
    t.integer('batch');
    t.timestamp('migration_time');
  });
  await db.schema.createTable('knex_migrations_lock', (t) => {
    t.increments('index').primary();
    t.integer('is_locked');
  });
}

// In one process only over MySQL: better-sqlite3 is synchronous, so a SQLite
// connection waiting on its busy timeout would stall the migrator holding the lock.
describe.each(mysqlOnly)('racing migrators (%s)', (dialect) => {
  it('when six migrators race over an empty lock table, then there is one lock row and every migrator succeeds', async () => {
    // Several rounds: a check-then-insert race does not lose every time.
    for (let round = 0; round < 4; round++) {
      const database = await createTestDatabase(dialect);
      const dbs = Array.from({ length: 6 }, () => open(database.url));
      try {
        await createEmptyLockTable(dbs[0]);
        // Each waits out the others' whole runs, which take seconds on a busy machine.
        const results = await Promise.allSettled(dbs.map((db) => migrateLatest(db, quiet, 20_000)));
        expect(results.filter((r) => r.status === 'rejected')).toEqual([]);
        expect(await lockRows(dbs[0])).toEqual([0]);
      } finally {
        await Promise.all(dbs.map((db) => db.destroy()));
        await database.drop();
      }
    }
  }, 60_000);
});

describe.each(dialects)('a lock table with two rows (%s)', (dialect) => {
  it('when a lock table holds two rows, then migrating reports the lock and --unlock repairs it', async () => {
    const database = await createTestDatabase(dialect);
    const db = open(database.url);
    try {
      await createEmptyLockTable(db);
      await db('knex_migrations_lock').insert([{ is_locked: 0 }, { is_locked: 0 }]);
      await expect(migrateLatest(db, quiet, 500)).rejects.toBeInstanceOf(MigrationLockedError);
      await forceUnlock(db);
      expect(await lockRows(db)).toEqual([0]);
      expect((await migrateLatest(db, quiet, 500)).applied).toEqual(MIGRATIONS.map(([n]) => n));
      expect(await lockRows(db)).toEqual([0]);
    } finally {
      await db.destroy();
      await database.drop();
    }
  });
});

describe.each(mysqlOnly)('a stale migration lock (%s)', (dialect) => {
  it('when a killed migrator left the lock taken, then the next run fails fast with the unlock command, and --unlock recovers', async () => {
    const database = await createTestDatabase(dialect);
    try {
      expect((await migrate(database.url)).code).toBe(0);
      const db = createDb(databaseFromUrl(database.url));
      await db('knex_migrations_lock').update({ is_locked: 1 });
      await db.destroy();
      const started = Date.now();
      const stuck = await migrate(database.url);
      expect(stuck.code).toBe(1);
      expect(Date.now() - started).toBeLessThan(8000);
      expect(stuck.out).toContain('--unlock');
      expect((await migrate(database.url, ['--unlock'])).code).toBe(0);
      expect((await migrate(database.url)).code).toBe(0);
    } finally {
      await database.drop();
    }
  });
});
