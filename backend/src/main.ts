import { createApp } from './app';
import { systemClock, type Clock } from './clock';
import { describeDatabase, loadConfig, type Config, type Env } from './config';
import { createDb, type Db } from './db/knex';
import { migrateLatest } from './db/migrate';
import { createLifecycle, drain, listen, type Lifecycle } from './lifecycle';
import { createLogger, type Logger } from './logger';
import { createMetrics } from './metrics';
import { createServices } from './services';

export { loadConfig, ConfigError, type Config } from './config';

export interface RunningBackend {
  url: string;
  port: number;
  config: Config;
  db: Db;
  lifecycle: Lifecycle;
  logger: Logger;
  /**
   * Graceful stop: drain for `drainMs` (default SHUTDOWN_DRAIN_MS), finish what is in
   * flight within SHUTDOWN_TIMEOUT_MS, then close the database pool.
   */
  close(options?: { drainMs?: number }): Promise<void>;
}

/**
 * The composition root: config → logger → database (→ migrations on the embedded
 * default) → repositories and services → app → listening server.
 */
export async function startBackend(options: { env: Env; clock?: Clock }): Promise<RunningBackend> {
  const config = loadConfig(options.env);
  const logger = createLogger(config.logLevel);
  const clock = options.clock ?? systemClock;
  const db = createDb(config.database, config.poolMax, logger);
  logger.info({ database: describeDatabase(config.database) }, 'database configured');
  try {
    if (config.migrateOnStart) await migrateLatest(db, logger);
    const metrics = createMetrics(db);
    const services = createServices(db, clock, metrics, { signup: config.signup });
    if (config.admin) {
      const outcome = await services.bootstrap.ensure(config.admin.email, config.admin.password);
      const level = outcome === 'refused_existing_account' ? 'warn' : 'info';
      logger[level]({ email: config.admin.email, outcome }, 'configured admin account');
    }
    services.housekeeping.start(config.housekeepingIntervalMs);
    const lifecycle = createLifecycle();
    const app = createApp({
      db,
      logger,
      metrics,
      lifecycle,
      clock,
      services,
      limits: { maxInFlight: config.maxInFlight, requestTimeoutMs: config.requestTimeoutMs },
      trustProxy: config.trustProxy,
    });
    const listening = await listen(app, config);
    logger.info({ url: listening.url }, 'backend listening');

    let closing: Promise<void> | undefined;
    const stop = async (drainMs: number) => {
      await drain(listening, lifecycle, { drainMs, timeoutMs: config.shutdownTimeoutMs, logger });
      await services.housekeeping.stop();
      await db.destroy();
      logger.info('backend stopped');
    };
    return {
      url: listening.url,
      port: listening.port,
      config,
      db,
      lifecycle,
      logger,
      close: (stopOptions = {}) =>
        (closing ??= stop(stopOptions.drainMs ?? config.shutdownDrainMs)),
    };
  } catch (error) {
    await db.destroy();
    throw error;
  }
}
