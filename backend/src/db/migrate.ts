import type { Knex } from 'knex';
import type { Logger } from '../logger';
import type { Db } from './knex';
import { migrationSource } from './migrations';

const MIGRATIONS_TABLE = 'knex_migrations';
const LOCK_TABLE = `${MIGRATIONS_TABLE}_lock`;
const config = { migrationSource, tableName: MIGRATIONS_TABLE };

export class MigrationLockedError extends Error {
  constructor(waitedMs: number) {
    super(
      `The migration lock has been held for more than ${waitedMs} ms (knex_migrations_lock.is_locked = 1). ` +
        'If no other migration is running, an earlier one was killed mid-run: check the schema, then ' +
        'release the lock with `npm run db:migrate -w backend -- --unlock` and migrate again.',
    );
    this.name = 'MigrationLockedError';
  }
}

const isLockedError = (error: unknown) => (error as Error | undefined)?.name === 'MigrationLocked';
const isCreateRace = (error: unknown) =>
  /already exists/i.test(String((error as Error | undefined)?.message));

/**
 * Bring the schema to the latest version. Safe to run from several processes at
 * once: a process that finds the lock taken waits for it, then finds nothing to do.
 * A lock that stays taken longer than `waitLockMs` is reported, not waited on forever.
 */
export async function migrateLatest(
  db: Db,
  logger: Logger,
  waitLockMs = 4000,
): Promise<{ applied: string[] }> {
  const deadline = Date.now() + waitLockMs;
  await ensureLockRow(db);
  for (;;) {
    try {
      const [, applied] = (await db.migrate.latest(config)) as [number, string[]];
      if (applied.length > 0) logger.info({ applied }, 'migrations applied');
      else logger.info('schema already up to date');
      return { applied };
    } catch (error) {
      if (!isLockedError(error)) throw error;
      if (Date.now() > deadline) throw new MigrationLockedError(waitLockMs);
      logger.info('another process holds the migration lock; waiting');
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
}

/**
 * knex creates its lock table on first use and inserts the lock row when it finds
 * the table empty: check-then-insert. Two migrators starting together on an empty
 * database can both insert, and with two rows knex never takes the lock again
 * (its UPDATE must touch exactly one row), so every later run waits and fails.
 * Creating the tables first, with the one row under a fixed key, makes the
 * second insert a no-op.
 */
async function ensureLockRow(db: Db): Promise<void> {
  await createTableOnce(db, MIGRATIONS_TABLE, (t) => {
    // The columns knex itself would create.
    t.increments();
    t.string('name');
    t.integer('batch');
    t.timestamp('migration_time');
  });
  await createTableOnce(db, LOCK_TABLE, (t) => {
    t.increments('index').primary();
    t.integer('is_locked');
  });
  const [{ rows }] = (await db(LOCK_TABLE).count({ rows: '*' })) as [{ rows: number | string }];
  if (Number(rows) === 0) {
    await db(LOCK_TABLE).insert({ index: 1, is_locked: 0 }).onConflict('index').ignore();
  }
}

async function createTableOnce(
  db: Db,
  name: string,
  columns: (table: Knex.CreateTableBuilder) => void,
): Promise<void> {
  if (await db.schema.hasTable(name)) return;
  try {
    await db.schema.createTable(name, columns);
  } catch (error) {
    // Another migrator created it between the check and the CREATE.
    if (!isCreateRace(error)) throw error;
  }
}

/**
 * Release a lock left by a killed migration. Also repairs a lock table that
 * holds more than one row: it leaves exactly the row `ensureLockRow` expects.
 */
export async function forceUnlock(db: Db): Promise<void> {
  await ensureLockRow(db);
  await db.transaction(async (trx) => {
    await trx(LOCK_TABLE).del();
    await trx(LOCK_TABLE).insert({ index: 1, is_locked: 0 });
  });
}

/** True when every migration this build knows has been applied. */
export async function isSchemaCurrent(db: Db): Promise<boolean> {
  const [, pending] = (await db.migrate.list(config)) as [unknown[], unknown[]];
  return pending.length === 0;
}
