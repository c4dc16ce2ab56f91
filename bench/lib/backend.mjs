// The backend on its own over a seeded private MariaDB, as the API benchmark runs it.
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const knex = require('knex');

/** The backend workspace, whose dist/ the benchmarks run. */
export const BACKEND_DIR = path.join(
  path.dirname(fileURLToPath(import.meta.url)),
  '..',
  '..',
  'backend',
);

/**
 * Create the `tradepost` database on a private MariaDB and seed it with the built
 * backend's seed tool. Returns its URL.
 * @param {{ url: string }} mariadb
 * @param {{ orders: number | string, messages: number | string }} counts
 */
export async function seedDatabase(mariadb, { orders, messages }) {
  const admin = knex({ client: 'mysql2', connection: mariadb.url });
  await admin.raw('CREATE DATABASE tradepost');
  await admin.destroy();
  const url = `${mariadb.url}/tradepost`;
  execFileSync(
    process.execPath,
    [
      'dist/seed/cli-seed.js',
      '--users',
      '200',
      '--orders',
      `${orders}`,
      '--messages',
      `${messages}`,
    ],
    {
      cwd: BACKEND_DIR,
      env: { ...process.env, DATABASE_URL: url, SEED_ADMIN_PASSWORD: 'bench-admin-password' },
      stdio: ['ignore', 'ignore', 'inherit'],
    },
  );
  return url;
}

/** The backend's environment on loopback, quiet. */
export const backendEnv = (url, port) => ({
  ...process.env,
  DATABASE_URL: url,
  PORT: String(port),
  HOST: '127.0.0.1',
  LOG_LEVEL: 'warn',
  MIGRATE_ON_START: 'true',
});
