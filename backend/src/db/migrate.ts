import type { Logger } from '../logger';
import type { Db } from './knex';
import { migrationSource } from './migrations';

const config = { migrationSource, tableName: 'knex_migrations' };

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
const isRaceOnLockTable = (error: unknown) =>
  /already exists|ER_TABLE_EXISTS_ERROR|Duplicate entry/i.test(
    String((error as Error | undefined)?.message),
  );

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
  for (let attempt = 0; ; attempt++) {
    try {
      const [, applied] = (await db.migrate.latest(config)) as [number, string[]];
      if (applied.length > 0) logger.info({ applied }, 'migrations applied');
      else logger.info('schema already up to date');
      return { applied };
    } catch (error) {
      const retriable = isLockedError(error) || (attempt < 3 && isRaceOnLockTable(error));
      if (!retriable) throw error;
      if (Date.now() > deadline) throw new MigrationLockedError(waitLockMs);
      logger.info('another process holds the migration lock; waiting');
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
}

export async function forceUnlock(db: Db): Promise<void> {
  await db.migrate.forceFreeMigrationsLock(config);
}

/** True when every migration this build knows has been applied. */
export async function isSchemaCurrent(db: Db): Promise<boolean> {
  const [, pending] = (await db.migrate.list(config)) as [unknown[], unknown[]];
  return pending.length === 0;
}
