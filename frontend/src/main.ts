import { createApp } from './app';
import { createBackendClient } from './backend/client';
import { loadConfig, type Config, type Env } from './config';
import { loadAssets } from './http/assets';
import { createLifecycle, drain, listen, type Lifecycle } from './lifecycle';
import { createLogger, type Logger } from './logger';
import { createMetrics } from './metrics';

export { createApp } from './app';
export { loadConfig, ConfigError, type Config } from './config';

export interface RunningFrontend {
  url: string;
  port: number;
  config: Config;
  lifecycle: Lifecycle;
  logger: Logger;
  /**
   * Graceful stop: drain for `drainMs` (default SHUTDOWN_DRAIN_MS), finish what is in
   * flight within SHUTDOWN_TIMEOUT_MS, then close the backend client's sockets.
   */
  close(options?: { drainMs?: number }): Promise<void>;
}

/** The composition root: config → logger, metrics → backend client → app → listening server. */
export async function startFrontend(options: { env: Env }): Promise<RunningFrontend> {
  const config = loadConfig(options.env);
  const logger = createLogger(config.logLevel);
  if (config.cookieSecretGenerated) {
    logger.warn(
      'COOKIE_SECRET is not set: using a random one (sessions end at restart and do not span replicas)',
    );
  }
  const metrics = createMetrics();
  const client = createBackendClient({ ...config.backend, metrics });
  const lifecycle = createLifecycle();
  const app = createApp({ config, logger, metrics, lifecycle, client, assets: loadAssets() });
  const listening = await listen(app, config);
  logger.info({ url: listening.url, backend: config.backend.baseUrl }, 'frontend listening');

  let closing: Promise<void> | undefined;
  const stop = async (drainMs: number) => {
    await drain(listening, lifecycle, { drainMs, timeoutMs: config.shutdownTimeoutMs, logger });
    client.close();
    logger.info('frontend stopped');
  };
  return {
    url: listening.url,
    port: listening.port,
    config,
    lifecycle,
    logger,
    close: (stopOptions = {}) => (closing ??= stop(stopOptions.drainMs ?? config.shutdownDrainMs)),
  };
}
