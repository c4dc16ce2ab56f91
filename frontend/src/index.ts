import http from 'node:http';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { createApp } from './app';
import { createBackendClient } from './backend/client';
import { loadConfig, type Config, type Env } from './config';
import { loadAssets } from './http/assets';
import { createLogger, type Logger } from './logger';
import { createMetrics } from './metrics';
import type { Lifecycle } from './routes/ops';

export { createApp } from './app';
export { loadConfig, ConfigError, type Config } from './config';

export interface RunningFrontend {
  url: string;
  server: http.Server;
  config: Config;
  logger: Logger;
  /**
   * Graceful stop (RELIABILITY F4): readiness turns 503 and every response says
   * `Connection: close` for `drainMs` (default SHUTDOWN_DRAIN_MS); then the server
   * closes, in-flight requests get until SHUTDOWN_TIMEOUT_MS, stragglers are cut.
   */
  close(options?: { drainMs?: number }): Promise<void>;
}

function listen(server: http.Server, port: number, host: string): Promise<AddressInfo> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve(server.address() as AddressInfo);
    });
  });
}

/** The composition root: config → logger, metrics → backend client → app → HTTP server. */
export async function startFrontend({ env }: { env: Env }): Promise<RunningFrontend> {
  const config = loadConfig(env);
  const logger = createLogger(config.LOG_LEVEL);
  if (config.cookieSecretGenerated) {
    logger.warn(
      'COOKIE_SECRET is not set: using a random one (sessions end at restart and do not span replicas)',
    );
  }
  const metrics = createMetrics();
  const client = createBackendClient({
    baseUrl: config.BACKEND_URL,
    attemptTimeoutMs: config.BACKEND_TIMEOUT_MS,
    keepAliveMs: config.BACKEND_KEEP_ALIVE_MS,
    maxSockets: config.BACKEND_MAX_SOCKETS,
    breakerFailureThreshold: config.BREAKER_FAILURE_THRESHOLD,
    breakerCooldownMs: config.BREAKER_COOLDOWN_MS,
    metrics,
  });
  const lifecycle: Lifecycle = { draining: false };
  const app = createApp({ config, logger, metrics, client, assets: loadAssets(), lifecycle });

  const server = http.createServer(app);
  // Inner idle timeouts must stay above nginx's upstream keepalive_timeout (4 s).
  server.keepAliveTimeout = config.KEEP_ALIVE_TIMEOUT_MS;
  server.headersTimeout = config.KEEP_ALIVE_TIMEOUT_MS + 1000;
  server.requestTimeout = 30_000;
  const address = await listen(server, config.PORT, config.HOST);
  const host = ['0.0.0.0', '::'].includes(config.HOST) ? '127.0.0.1' : config.HOST;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${address.port}`;
  logger.info({ url, backend: config.BACKEND_URL }, 'frontend listening');

  let closing: Promise<void> | undefined;
  /**
   * RELIABILITY F4, in this order: stop accepting (nginx gets "connection refused",
   * which it safely passes on to another replica, even for a POST); keep answering
   * on open connections with `Connection: close` for the drain, longer than nginx's
   * 4 s upstream keepalive so no pooled socket is still idle at the end; then close
   * what is idle and give in-flight requests until the shutdown timeout.
   */
  async function shutdown(drainMs: number): Promise<void> {
    lifecycle.draining = true;
    logger.info({ drainMs }, 'draining');
    const closed = new Promise<void>((resolve) =>
      net.Server.prototype.close.call(server, () => resolve()),
    );
    if (drainMs > 0) await sleep(drainMs);
    server.closeIdleConnections();
    const grace = Math.max(0, config.SHUTDOWN_TIMEOUT_MS - drainMs - 500);
    const force = setTimeout(() => server.closeAllConnections(), grace);
    await closed;
    clearTimeout(force);
    client.close();
    logger.info('frontend stopped');
  }

  return {
    url,
    server,
    config,
    logger,
    close(options = {}) {
      closing ??= shutdown(options.drainMs ?? config.SHUTDOWN_DRAIN_MS);
      return closing;
    },
  };
}
