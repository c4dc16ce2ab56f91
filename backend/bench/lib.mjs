// What the backend benchmarks share: a seeded database in a private MariaDB, the
// backend's environment, waiting for it, and signing in as the demo user.
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const knex = require('knex');

/**
 * Create the `tradepost` database on a private MariaDB and seed it with the build in
 * `target` (a backend directory with dist/). Returns its URL.
 * @param {{ url: string }} mariadb
 * @param {string} target
 * @param {{ orders: number | string, messages: number | string }} counts
 */
export async function seedDatabase(mariadb, target, { orders, messages }) {
  const admin = knex({ client: 'mysql2', connection: mariadb.url });
  await admin.raw('CREATE DATABASE tradepost');
  await admin.destroy();
  const url = `${mariadb.url}/tradepost`;
  execFileSync(
    process.execPath,
    ['dist/db/cli-seed.js', '--users', '200', '--orders', `${orders}`, '--messages', `${messages}`],
    {
      cwd: target,
      env: { ...process.env, DATABASE_URL: url, SEED_ADMIN_PASSWORD: 'bench-admin-password' },
      stdio: ['ignore', 'ignore', 'inherit'],
    },
  );
  return url;
}

/**
 * Whether the build in `target` has the one-statement orders page the floor server
 * runs (older builds, measured through `--backend`, do not).
 * @param {string} target a backend directory with dist/
 */
export function floorRuns(target) {
  try {
    return typeof require(`${target}/dist/orders/repository.js`).PAGE_WITH_SESSION === 'string';
  } catch {
    return false;
  }
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

/**
 * Poll `/readyz` until it answers 200.
 * @param {string} base
 * @param {{ timeoutMs: number, detail?: () => string }} options  detail: added to the error
 */
export async function waitReady(base, { timeoutMs, detail = () => '' }) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      if ((await fetch(`${base}/readyz`)).ok) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      throw new Error(`backend did not become ready within ${timeoutMs} ms\n${detail()}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

/**
 * Sign in as the seed's first demo user; also finds someone they have a conversation with.
 * @param {string} base
 */
export async function signIn(base) {
  const login = await fetch(`${base}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: 'demo1@tradepost.test', password: 'tradepost-demo-password' }),
  });
  const { token, user } = await login.json();
  const auth = { authorization: `Bearer ${token}` };
  const conversations = await (
    await fetch(`${base}/api/v1/conversations?limit=1`, { headers: auth })
  ).json();
  return { auth, user, peer: conversations.items[0]?.peer.id ?? 2 };
}
