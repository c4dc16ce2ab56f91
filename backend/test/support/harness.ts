import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Knex } from 'knex';
import request from 'supertest';
import { startBackend, type RunningBackend } from '../../src/main';
import type { Clock } from '../../src/clock';
import { createDatabase, dropDatabase, withDatabase } from './test-database';

export type Dialect = 'sqlite' | 'mysql';

/** SQLite always; MySQL when the global setup found or started a server. */
export const dialects: Dialect[] = process.env.TRADEPOST_TEST_MYSQL_URL
  ? ['sqlite', 'mysql']
  : ['sqlite'];

/**
 * Whether suites may start, stop and reconfigure MySQL servers of their own. Not
 * when TEST_DATABASE_URL names the server: then the run is about that server (the
 * test RDS, compose's test database), reached as its least-privileged user, and a
 * suite that needs a server of its own says so and is skipped there — only there.
 */
export const ownsServers = dialects.includes('mysql') && !process.env.TEST_DATABASE_URL;

/** `describe` for a suite that needs MySQL servers of its own (see `ownsServers`). */
export function describeWithOwnServer(title: string, suite: () => void): void {
  if (ownsServers) return describe(title, suite);
  const why = process.env.TEST_DATABASE_URL
    ? 'needs a MySQL server of its own; TEST_DATABASE_URL names one this run may only use'
    : 'needs MariaDB or MySQL installed';
  describe.skip(`${title} [skipped: ${why}]`, suite);
}

/** A fresh, empty database for one suite: a temp SQLite file, or a new `tp_test_…` MySQL database. */
export async function createTestDatabase(
  dialect: Dialect,
): Promise<{ url: string; drop(): Promise<void> }> {
  if (dialect === 'sqlite') {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'tradepost-test-'));
    return {
      url: `sqlite:${path.join(dir, 'test.db')}`,
      drop: () => Promise.resolve(rmSync(dir, { recursive: true, force: true })),
    };
  }
  const server = process.env.TRADEPOST_TEST_MYSQL_URL!;
  const name = await createDatabase(server);
  return { url: withDatabase(server, name), drop: () => dropDatabase(server, name) };
}

export interface TestContext {
  backend: RunningBackend;
  databaseUrl: string;
  api: ReturnType<typeof request>;
  db: Knex;
  /** Sign up a fresh user; returns its token and user. */
  signup(
    overrides?: Partial<{ name: string; surname: string; email: string; password: string }>,
  ): Promise<{
    token: string;
    user: { id: number; email: string; role: string; name: string };
  }>;
  /** Create an admin through ADMIN_EMAIL/ADMIN_PASSWORD and sign in as it. */
  admin(): Promise<{ token: string; user: { id: number } }>;
  close(): Promise<void>;
}

export const ADMIN = { email: 'admin@tradepost.test', password: 'admin-password-123' };
export const PASSWORD = 'correct horse battery staple';

let counter = 0;
export const uniqueEmail = (prefix = 'user') =>
  `${prefix}.${Date.now().toString(36)}.${(counter++).toString(36)}.${randomBytes(3).toString('hex')}@example.com`;

/** A real backend on a free port over a fresh database of the given dialect. */
export async function startTestBackend(
  dialect: Dialect,
  options: { env?: Record<string, string>; clock?: Clock; databaseUrl?: string } = {},
): Promise<TestContext> {
  const database = options.databaseUrl ? null : await createTestDatabase(dialect);
  const databaseUrl = options.databaseUrl ?? database!.url;
  const backend = await startBackend({
    env: {
      DATABASE_URL: databaseUrl,
      PORT: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'silent',
      MIGRATE_ON_START: 'true',
      SHUTDOWN_DRAIN_MS: '0',
      ADMIN_EMAIL: ADMIN.email,
      ADMIN_PASSWORD: ADMIN.password,
      ...options.env,
    },
    ...(options.clock ? { clock: options.clock } : {}),
  });
  const api = request(backend.url);
  return {
    backend,
    api,
    db: backend.db,
    databaseUrl,
    async signup(overrides = {}) {
      const res = await api.post('/api/v1/auth/signup').send({
        name: 'Test',
        surname: 'User',
        email: uniqueEmail(),
        password: PASSWORD,
        ...overrides,
      });
      if (res.status !== 201)
        throw new Error(`signup failed: ${res.status} ${JSON.stringify(res.body)}`);
      return res.body as {
        token: string;
        user: { id: number; email: string; role: string; name: string };
      };
    },
    async admin() {
      const res = await api.post('/api/v1/auth/login').send(ADMIN);
      if (res.status !== 200) throw new Error(`admin login failed: ${res.status}`);
      return res.body as { token: string; user: { id: number } };
    },
    async close() {
      await backend.close();
      await database?.drop();
    },
  };
}

export const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

/** A card order body that passes validation. */
export const validOrder = (overrides: Record<string, unknown> = {}) => ({
  storeCode: 'ST-001',
  productCode: 'PR-0042',
  quantity: 3,
  cardNumber: '4111 1111 1111 1111',
  orderDate: '2026-01-10',
  shippingDate: '2026-01-12',
  ...overrides,
});
