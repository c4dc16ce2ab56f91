import { ConfigError } from './config';
import { startFrontend } from './main';

/** Process entry: start, then stop cleanly on SIGTERM (drain) or SIGINT (at once). */
async function main(): Promise<void> {
  const service = await startFrontend({ env: process.env });
  const { logger } = service;
  // An un-awaited rejection is a bug: exit, and the supervisor starts a clean process
  // (docs/reliability.md, "Errors").
  process.on('unhandledRejection', (err) => {
    logger.fatal({ err }, 'unhandled promise rejection');
    process.exit(1);
  });
  const stop = (signal: NodeJS.Signals) => {
    logger.info({ signal }, 'shutting down');
    const backstop = setTimeout(() => {
      logger.error('shutdown took too long');
      process.exit(1);
    }, service.config.shutdownTimeoutMs + 2000);
    backstop.unref();
    service.close(signal === 'SIGINT' ? { drainMs: 0 } : {}).then(
      () => process.exit(0),
      (err: unknown) => {
        logger.error({ err }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

main().catch((error: unknown) => {
  const known = error instanceof ConfigError;
  process.stderr.write(
    `frontend failed to start: ${known ? error.message : String((error as Error)?.stack ?? error)}\n`,
  );
  process.exit(1);
});
