import { parseArgs } from 'node:util';
/**
 * `npm run db:migrate -w backend` — the explicit migration step for production
 * (a Kubernetes Job or pipeline stage runs it once per release).
 *   --unlock   release a lock left behind by a killed migration, then exit
 */
import { describeDatabase, loadConfig } from '../config';
import { createLogger } from '../logger';
import { createDb } from './knex';
import { forceUnlock, migrateLatest, MigrationLockedError } from './migrate';

async function main(): Promise<number> {
  const config = loadConfig(process.env);
  const logger = createLogger(config.logLevel, 'migrate');
  const db = createDb(config.database, 2, logger);
  logger.info({ database: describeDatabase(config.database) }, 'migrating');
  try {
    const { values } = parseArgs({ options: { unlock: { type: 'boolean', default: false } } });
    if (values.unlock) {
      await forceUnlock(db);
      logger.info('migration lock released');
      return 0;
    }
    const started = Date.now();
    const { applied } = await migrateLatest(
      db,
      logger,
      Number(process.env.MIGRATION_LOCK_WAIT_MS ?? 4000),
    );
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    logger.info({ applied: applied.length, seconds }, `migrated in ${seconds} s`);
    return 0;
  } catch (error) {
    if (error instanceof MigrationLockedError) logger.error(error.message);
    else logger.error({ err: error }, 'migration failed');
    return 1;
  } finally {
    await db.destroy();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`${(error as Error).message}\n`);
    process.exit(1);
  },
);
