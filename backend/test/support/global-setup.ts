/**
 * Decides once per run which MySQL-compatible server the MySQL half of the suites
 * uses. With TEST_DATABASE_URL (the test RDS, compose's test database) it is that
 * server, as the user the URL names; per-suite databases a killed run left there are
 * dropped first. Otherwise a private mariadbd on a free port in a temp dir, shaped
 * like the test RDS: TLS required, and the suites connect as a user holding exactly
 * the documented grants (./test-database.ts). Without either, the MySQL suites are
 * reported as not run — and in CI (CI=true) that is a failure, not a skip.
 */
import { randomBytes } from 'node:crypto';
import { startMariaDB, type MariaDB } from '../../../scripts/lib/mariadb';
import {
  adminConnection,
  APP_SCHEMA,
  dropStaleDatabases,
  TEST_USER,
  TEST_USER_STATEMENTS,
  withDatabase,
} from './test-database';

declare global {
  var tradepostMariaDB: MariaDB | undefined;
}

async function useGivenServer(url: string): Promise<void> {
  try {
    const dropped = await dropStaleDatabases(url);
    if (dropped.length > 0)
      process.stderr.write(`\nDropped per-suite databases left behind: ${dropped.join(', ')}\n`);
  } catch (error) {
    throw new Error(`TEST_DATABASE_URL: ${(error as Error).message}`);
  }
  process.env.TRADEPOST_TEST_MYSQL_URL = url;
}

/** A private server requiring TLS, and the suites' URL for the least-privileged user. */
async function startPrivateServer(): Promise<string> {
  const mariadb = await startMariaDB({ tls: true });
  globalThis.tradepostMariaDB = mariadb;
  const password = randomBytes(18).toString('hex');
  const admin = adminConnection(mariadb.url);
  try {
    for (const statement of TEST_USER_STATEMENTS)
      await admin.raw(statement.replace('<pw>', password));
    await admin.raw(`CREATE DATABASE ${APP_SCHEMA}`);
  } finally {
    await admin.destroy();
  }
  const url = new URL(withDatabase(mariadb.url, APP_SCHEMA));
  url.username = TEST_USER;
  url.password = password;
  return url.toString();
}

export default async function globalSetup(): Promise<void> {
  if (process.env.TEST_DATABASE_URL) return useGivenServer(process.env.TEST_DATABASE_URL);
  try {
    process.env.TRADEPOST_TEST_MYSQL_URL = await startPrivateServer();
  } catch (error) {
    await globalThis.tradepostMariaDB?.stop();
    globalThis.tradepostMariaDB = undefined;
    const message = `MySQL suites cannot run: ${(error as Error).message}`;
    if (process.env.CI) throw new Error(message);
    process.stderr.write(`\n*** ${message}\n*** Running the SQLite half only.\n\n`);
  }
}
