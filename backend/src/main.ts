import http from 'node:http';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { createApp } from './app';
import { systemClock, type Clock } from './clock';
import { describeDatabase, loadConfig, type Config, type Env } from './config';
import { createDb, type Db } from './db/knex';
import { migrateLatest } from './db/migrate';
import { createLifecycle, type Lifecycle } from './lifecycle';
import { createLogger, type Logger } from './logger';
import { createMetrics } from './metrics';
import { createServices } from './services';

export interface RunningBackend {
  url: string;
  port: number;
  config: Config;
  db: Db;
  lifecycle: Lifecycle;
  logger: Logger;
  /** Drain (readiness 503, `Connection: close`), stop accepting, finish in-flight, close the pool. */
  close(): Promise<void>;
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
    const services = createServices(db, clock, metrics);
    if (config.admin) {
      const outcome = await services.users.ensureAdmin(config.admin.email, config.admin.password);
      logger.info({ email: config.admin.email, outcome }, 'configured admin account');
    }
    const lifecycle = createLifecycle();
    const app = createApp({
      db,
      logger,
      metrics,
      lifecycle,
      clock,
      services,
      limits: { maxInFlight: config.maxInFlight, requestTimeoutMs: config.requestTimeoutMs },
    });
    const server = http.createServer(app);
    // nginx and the frontends keep idle sockets for less than this (RELIABILITY F2/F3).
    server.keepAliveTimeout = config.keepAliveTimeoutMs;
    server.headersTimeout = config.keepAliveTimeoutMs + 1000;
    server.requestTimeout = 30000;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(config.port, config.host, resolve);
    });
    const { port } = server.address() as AddressInfo;
    const host = config.host === '0.0.0.0' || config.host === '::' ? '127.0.0.1' : config.host;
    const url = `http://${host}:${port}`;
    logger.info({ url }, 'backend listening');

    let closing: Promise<void> | null = null;
    // RELIABILITY F4, in this order: stop accepting (a caller gets "connection
    // refused", which is safe to retry even for a POST); keep answering on open
    // connections with `Connection: close` for the drain, longer than the callers'
    // 4 s keep-alive idle time so no pooled socket is still idle at the end; then
    // close what is idle, let in-flight requests finish, and close the pool.
    const close = () =>
      (closing ??= (async () => {
        lifecycle.draining = true;
        logger.info({ drainMs: config.shutdownDrainMs }, 'draining');
        const closed = new Promise<void>((resolve) =>
          net.Server.prototype.close.call(server, () => resolve()),
        );
        await new Promise((resolve) => setTimeout(resolve, config.shutdownDrainMs));
        server.closeIdleConnections();
        const forced = setTimeout(() => server.closeAllConnections(), 3000);
        await closed;
        clearTimeout(forced);
        await db.destroy();
        logger.info('stopped');
      })());
    return { url, port, config, db, lifecycle, logger, close };
  } catch (error) {
    await db.destroy();
    throw error;
  }
}
