import { ConfigError } from './config';
import { startBackend } from './main';
import { MigrationLockedError } from './db/migrate';

/** Process entry: start, then stop cleanly on SIGTERM/SIGINT within the orchestrator's grace period. */
async function main(): Promise<void> {
  const backend = await startBackend({ env: process.env });
  const stop = (signal: string) => {
    backend.logger.info({ signal }, 'shutting down');
    backend.close().then(
      () => process.exit(0),
      (error: unknown) => {
        backend.logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
  // An un-awaited rejection is a bug; exit and let the supervisor restart us (RELIABILITY F7).
  process.on('unhandledRejection', (reason) => {
    backend.logger.fatal({ err: reason }, 'unhandled promise rejection');
    process.exit(1);
  });
}

main().catch((error: unknown) => {
  const known = error instanceof ConfigError || error instanceof MigrationLockedError;
  process.stderr.write(`${known ? error.message : String((error as Error).stack ?? error)}\n`);
  process.exit(1);
});
