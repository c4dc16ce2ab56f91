/**
 * Decides once per run which MySQL-compatible server the MySQL half of the
 * suites uses: TEST_DATABASE_URL when given (e.g. the test RDS), else a private
 * mariadbd on a free port in a temp dir. Without either, the MySQL suites are
 * reported as not run — and in CI (CI=true) that is a failure, not a skip.
 */
import { startMariaDB, type MariaDB } from '../../../scripts/lib/mariadb';

declare global {
  var tradepostMariaDB: MariaDB | undefined;
}

export default async function globalSetup(): Promise<void> {
  if (process.env.TEST_DATABASE_URL) {
    process.env.TRADEPOST_TEST_MYSQL_URL = process.env.TEST_DATABASE_URL;
    return;
  }
  try {
    globalThis.tradepostMariaDB = await startMariaDB();
    process.env.TRADEPOST_TEST_MYSQL_URL = globalThis.tradepostMariaDB.url;
  } catch (error) {
    const message = `MySQL suites cannot run: ${(error as Error).message}`;
    if (process.env.CI) throw new Error(message);
    process.stderr.write(`\n*** ${message}\n*** Running the SQLite half only.\n\n`);
  }
}
