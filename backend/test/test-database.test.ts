import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Knex } from 'knex';
import { describeWithOwnServer, dialects } from './support/harness';
import {
  adminConnection,
  createDatabase,
  dropDatabase,
  dropStaleDatabases,
  newDatabaseName,
  TEST_USER,
} from './support/test-database';

const server = () => process.env.TRADEPOST_TEST_MYSQL_URL!;
const mysqlOnly = dialects.includes('mysql') ? (['mysql'] as const) : [];

const databases = async (db: Knex) =>
  ((await db.raw("SHOW DATABASES LIKE 'tp\\_test\\_%'")) as [Record<string, string>[]])[0].map(
    (row) => Object.values(row)[0],
  );

describe('the test database permission model', () => {
  it('when a suite runs per dialect, then its title carries "(%s)", which the integration stage selects "(mysql)" by', () => {
    const untitled = readdirSync(__dirname)
      .filter((file) => file.endsWith('.test.ts'))
      .flatMap((file) =>
        [
          ...readFileSync(path.join(__dirname, file), 'utf8').matchAll(
            /describe\.each\((?:dialects|mysqlOnly)\)\(\s*(['`])(.*?)\1/g,
          ),
        ]
          .filter((m) => !m[2]!.endsWith('(%s)'))
          .map((m) => `${file}: ${m[2]}`),
      );
    expect(untitled).toEqual([]);
  });
});

describe.each(mysqlOnly)('per-suite databases on the test server (%s)', () => {
  it('when a suite creates its database, then it is named tp_test_…, usable for tables and procedures, and dropped afterwards', async () => {
    const name = await createDatabase(server());
    expect(name).toMatch(/^tp_test_[0-9a-z]+_[0-9a-f]{12}$/);
    const admin = adminConnection(server());
    try {
      await admin.raw(`CREATE TABLE \`${name}\`.t (id INT PRIMARY KEY)`);
      await admin.raw(`CREATE PROCEDURE \`${name}\`.p() SELECT 1`);
      expect(await databases(admin)).toContain(name);
      await dropDatabase(server(), name);
      expect(await databases(admin)).not.toContain(name);
    } finally {
      await admin.destroy();
    }
  });

  it('when a killed run left databases behind, then only those older than six hours are dropped', async () => {
    const old = await createDatabase(server(), newDatabaseName(Date.now() - 7 * 3600_000));
    const recent = await createDatabase(server(), newDatabaseName(Date.now() - 3600_000));
    const admin = adminConnection(server());
    try {
      expect(await dropStaleDatabases(server())).toContain(old);
      const left = await databases(admin);
      expect(left).not.toContain(old);
      expect(left).toContain(recent);
    } finally {
      await dropDatabase(server(), recent);
      await admin.destroy();
    }
  });
});

describeWithOwnServer('the user the suites run as on the private server', () => {
  let db: Knex;
  beforeAll(() => {
    db = adminConnection(server());
  });
  afterAll(() => db.destroy());

  it('when the suites connect, then it is the documented user, holding exactly the documented grants, over TLS only', async () => {
    const [[user]] = (await db.raw('SELECT CURRENT_USER() AS user')) as [{ user: string }[]];
    expect(user?.user).toBe(`${TEST_USER}@%`);
    const [rows] = (await db.raw('SHOW GRANTS')) as [Record<string, string>[]];
    const grants = rows.map((row) => Object.values(row)[0]!);
    expect(grants.filter((g) => !g.startsWith('GRANT USAGE ON *.*')).sort()).toEqual([
      `GRANT ALL PRIVILEGES ON \`tp\\_test\\_%\`.* TO \`${TEST_USER}\`@\`%\``,
      `GRANT ALL PRIVILEGES ON \`tradepost\`.* TO \`${TEST_USER}\`@\`%\``,
    ]);
    expect(grants.find((g) => g.startsWith('GRANT USAGE ON *.*'))).toMatch(/REQUIRE SSL$/);
  });

  it.each([
    ['a name the escaped pattern leaves out', 'tpxtestxother'],
    ['a name outside the prefix', 'tradepost_other'],
  ])('when it creates a database with %s, then the server refuses', async (_, name) => {
    await expect(db.raw(`CREATE DATABASE ${name}`)).rejects.toMatchObject({
      code: 'ER_DBACCESS_DENIED_ERROR',
    });
  });
});
