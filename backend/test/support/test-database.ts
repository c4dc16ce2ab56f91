/**
 * The test database's permission model, in one place. The MySQL half of the suites
 * runs as a user holding exactly these grants — on the test RDS (infra/README.md,
 * step 6) and on the private server the global setup starts — so nothing in the
 * suites may need more: each suite creates its own database named `tp_test_…` and
 * drops it at the end.
 */
import { randomBytes } from 'node:crypto';
import knex, { type Knex } from 'knex';
import { databaseFromUrl } from '../../src/config';
import { mysqlConnection, type MysqlDatabase } from '../../src/db/knex';

export const TEST_USER = 'tradepost_test';
/** The application schema of the test environment, which the same user owns. */
export const APP_SCHEMA = 'tradepost';
export const PREFIX = 'tp_test_';

/**
 * The statements that create the user, as the operator runs them (`<pw>` is the
 * password). `\_` keeps `_` literal in a grant's pattern: only names starting
 * `tp_test_` match, not `tpXtestY…`.
 */
export const TEST_USER_STATEMENTS = [
  `CREATE USER '${TEST_USER}'@'%' IDENTIFIED BY '<pw>' REQUIRE SSL;`,
  `GRANT ALL PRIVILEGES ON \`${APP_SCHEMA}\`.* TO '${TEST_USER}'@'%';`,
  `GRANT ALL PRIVILEGES ON \`tp\\_test\\_%\`.* TO '${TEST_USER}'@'%';`,
];

/** Per-suite databases older than this are left over from a killed run (CI stops at 90 min). */
const STALE_AFTER_MS = 6 * 60 * 60 * 1000;
const NAME = /^tp_test_([0-9a-z]{6,9})_[0-9a-f]{12}$/;

/** `tp_test_<creation time, base 36 seconds>_<random>`: unique, and its age is readable. */
export const newDatabaseName = (now = Date.now()) =>
  `${PREFIX}${Math.floor(now / 1000).toString(36)}_${randomBytes(6).toString('hex')}`;

export function mysqlFromUrl(url: string, name = 'TEST_DATABASE_URL'): MysqlDatabase {
  const database = databaseFromUrl(url, name);
  if (database.client !== 'mysql') throw new Error(`${name} must be a mysql:// URL`);
  return database;
}

/** The same URL (user, TLS) naming another database. */
export function withDatabase(url: string, name: string): string {
  const next = new URL(url);
  next.pathname = `/${name}`;
  return next.toString();
}

/** One connection for administrative statements, with the URL's TLS settings. */
export function adminConnection(url: string): Knex {
  return knex({
    client: 'mysql2',
    connection: mysqlConnection(mysqlFromUrl(withDatabase(url, ''))),
    pool: { min: 0, max: 1 },
  });
}

/** Create one suite's database; the name is checked before it is put into SQL. */
export async function createDatabase(url: string, name = newDatabaseName()): Promise<string> {
  if (!NAME.test(name)) throw new Error(`not a per-suite database name: ${name}`);
  const admin = adminConnection(url);
  try {
    await admin.raw(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  } finally {
    await admin.destroy();
  }
  return name;
}

export async function dropDatabase(url: string, name: string): Promise<void> {
  if (!NAME.test(name)) throw new Error(`not a per-suite database name: ${name}`);
  const admin = adminConnection(url);
  try {
    await admin.raw(`DROP DATABASE IF EXISTS \`${name}\``);
  } finally {
    await admin.destroy();
  }
}

/**
 * Drop per-suite databases a killed run left behind on a shared server, once they
 * are old enough that no running suite can own them. Returns the names dropped.
 */
export async function dropStaleDatabases(url: string, now = Date.now()): Promise<string[]> {
  const admin = adminConnection(url);
  try {
    const [rows] = (await admin.raw(`SHOW DATABASES LIKE 'tp\\_test\\_%'`)) as [
      Record<string, string>[],
    ];
    const stale = rows
      .map((row) => Object.values(row)[0] ?? '')
      .filter((name) => {
        const created = NAME.exec(name)?.[1];
        return created !== undefined && now - parseInt(created, 36) * 1000 > STALE_AFTER_MS;
      });
    for (const name of stale) await admin.raw(`DROP DATABASE IF EXISTS \`${name}\``);
    return stale;
  } finally {
    await admin.destroy();
  }
}
