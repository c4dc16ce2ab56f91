/**
 * `npm run db:seed -w backend -- --users 50 --orders 1000 --messages 500`
 * Loads deterministic demo data (migrating first) and prints the accounts to sign in with.
 */
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { describeDatabase, loadConfig } from '../config';
import { createDb } from '../db/knex';
import { migrateLatest } from '../db/migrate';
import { createLogger } from '../logger';
import { seed } from './seed';

function count(value: string | undefined, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 50_000_000)
    throw new Error(`--${name} must be a whole number from 0 to 50000000`);
  return n;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      users: { type: 'string' },
      orders: { type: 'string' },
      messages: { type: 'string' },
      'admin-email': { type: 'string' },
    },
  });
  const config = loadConfig(process.env);
  const db = createDb(config.database, 4);
  const out = (line: string) => process.stdout.write(`${line}\n`);
  const tty = process.stderr.isTTY;
  let lastReport = 0;
  const phaseStarted = new Map<string, number>();
  try {
    await migrateLatest(db, createLogger('warn', 'seed'));
    const options = {
      users: count(values.users, 'users', 20),
      orders: count(values.orders, 'orders', 500),
      messages: count(values.messages, 'messages', 200),
      adminEmail: values['admin-email'] ?? 'admin@tradepost.test',
      adminPassword: process.env.SEED_ADMIN_PASSWORD ?? randomBytes(12).toString('base64url'),
      demoPassword: process.env.SEED_DEMO_PASSWORD ?? 'tradepost-demo-password',
    };
    out(
      `Seeding ${describeDatabase(config.database)}: ${options.users} users, ${options.orders} orders, ${options.messages} messages`,
    );
    const started = Date.now();
    await seed(db, {
      ...options,
      progress(what, done, total) {
        const now = Date.now();
        if (done === 0) {
          phaseStarted.set(what, now);
          return;
        }
        if (done < total && now - lastReport < 1000) return;
        lastReport = now;
        const elapsed = (now - (phaseStarted.get(what) ?? started)) / 1000;
        const rate = elapsed > 0 ? `, ${Math.round(done / elapsed)} rows/s` : '';
        const line = `  ${what}: ${done}/${total} (${Math.floor((done / total) * 100)}%${rate})`;
        if (tty) process.stderr.write(`\r${line}${done === total ? '\n' : ''}`);
        else process.stderr.write(`${line}\n`);
      },
    });
    out(`Done in ${((Date.now() - started) / 1000).toFixed(1)} s.`);
    out(`Admin:      ${options.adminEmail} / ${options.adminPassword}`);
    out(
      `Demo users: demo1@tradepost.test … demo${options.users}@tradepost.test / ${options.demoPassword}`,
    );
  } finally {
    await db.destroy();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`seed failed: ${(error as Error).message}\n`);
  process.exit(1);
});
