import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { createDb } from '../src/db/knex';
import { MIGRATIONS } from '../src/db/migrations';
import { createTestDatabase, dialects } from './support/harness';

const run = promisify(execFile);
const CLI = path.join(__dirname, '..', 'dist', 'db', 'cli-migrate.js');

const migrate = (url: string, args: string[] = []) =>
  run(process.execPath, [CLI, ...args], {
    env: { ...process.env, DATABASE_URL: url, LOG_LEVEL: 'info', MIGRATION_LOCK_WAIT_MS: '3000' },
  }).then(
    (r) => ({ code: 0, out: r.stdout + r.stderr }),
    (e: { code: number; stdout: string; stderr: string }) => ({
      code: e.code,
      out: e.stdout + e.stderr,
    }),
  );

const mysqlOnly = dialects.includes('mysql') ? (['mysql'] as const) : [];

describe.each(dialects)('migrations (%s)', (dialect) => {
  it('when three migrators start at once on an empty database, then each migration is applied exactly once', async () => {
    const database = await createTestDatabase(dialect);
    try {
      const results = await Promise.all([
        migrate(database.url),
        migrate(database.url),
        migrate(database.url),
      ]);
      expect(results.map((r) => r.code)).toEqual([0, 0, 0]);
      expect(results.filter((r) => r.out.includes('migrations applied'))).toHaveLength(1);
      const db = createDb(
        database.url.startsWith('mysql')
          ? { client: 'mysql', url: database.url }
          : { client: 'sqlite', filename: database.url.slice('sqlite:'.length) },
      );
      const names = (await db('knex_migrations').select('name')) as { name: string }[];
      expect(names.map((n) => n.name)).toEqual(MIGRATIONS.map(([n]) => n));
      const lock = (await db('knex_migrations_lock').select('is_locked')) as {
        is_locked: number;
      }[];
      expect(lock.map((l) => Number(l.is_locked))).toEqual([0]);
      await db.destroy();
    } finally {
      await database.drop();
    }
  });
});

describe.each(mysqlOnly)('a stale migration lock (%s)', (dialect) => {
  it('when a killed migrator left the lock taken, then the next run fails fast with the unlock command, and --unlock recovers', async () => {
    const database = await createTestDatabase(dialect);
    try {
      expect((await migrate(database.url)).code).toBe(0);
      const db = createDb({ client: 'mysql', url: database.url });
      await db('knex_migrations_lock').update({ is_locked: 1 });
      await db.destroy();
      const started = Date.now();
      const stuck = await migrate(database.url);
      expect(stuck.code).toBe(1);
      expect(Date.now() - started).toBeLessThan(8000);
      expect(stuck.out).toContain('--unlock');
      expect((await migrate(database.url, ['--unlock'])).code).toBe(0);
      expect((await migrate(database.url)).code).toBe(0);
    } finally {
      await database.drop();
    }
  });
});
