import { ConfigError } from './config';
import { startFrontend } from './index';

/** Process entry: start, then stop cleanly on SIGTERM (drain) or SIGINT (at once). */
async function main(): Promise<void> {
  const frontend = await startFrontend({ env: process.env });
  const { logger } = frontend;

  process.on('unhandledRejection', (err) => {
    logger.fatal({ err }, 'unhandled rejection');
    process.exit(1);
  });

  const stop = (signal: NodeJS.Signals) => {
    logger.info({ signal }, 'shutting down');
    const backstop = setTimeout(() => {
      logger.error('shutdown took too long');
      process.exit(1);
    }, frontend.config.SHUTDOWN_TIMEOUT_MS + 2000);
    backstop.unref();
    frontend
      .close(signal === 'SIGINT' ? { drainMs: 0 } : {})
      .then(() => process.exit(0))
      .catch((err: unknown) => {
        logger.error({ err }, 'shutdown failed');
        process.exit(1);
      });
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

main().catch((err: unknown) => {
  const message = err instanceof ConfigError ? err.message : String((err as Error)?.stack ?? err);
  process.stderr.write(`frontend failed to start: ${message}\n`);
  process.exit(1);
});
