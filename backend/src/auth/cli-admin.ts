/**
 * `npm run admin:create -w backend -- --email you@example.com`
 * Makes the first admin, only while no admin exists (never promotes an account).
 * The password is ADMIN_PASSWORD (or ADMIN_PASSWORD_FILE) when set, else a random one
 * printed once. Exits 1, changing nothing, when an admin already exists.
 */
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { systemClock } from '../clock';
import { describeDatabase, loadConfig } from '../config';
import { createDb } from '../db/knex';
import { migrateLatest } from '../db/migrate';
import { createLogger } from '../logger';
import { createUsersRepository } from '../users/repository';
import { Email, Password } from '../users/schemas';
import { createBootstrap } from './bootstrap';
import { createSessionsRepository } from './repository';

async function main(): Promise<number> {
  const { values } = parseArgs({ options: { email: { type: 'string' } } });
  const email = Email.safeParse(values.email ?? '');
  if (!email.success) {
    process.stderr.write('admin:create: give --email <address of the first admin>\n');
    return 2;
  }
  const withPassword = Boolean(process.env.ADMIN_PASSWORD || process.env.ADMIN_PASSWORD_FILE);
  const config = loadConfig({
    ...process.env,
    ADMIN_EMAIL: withPassword ? email.data : undefined,
  });
  const given = config.admin?.password;
  const password = given ?? randomBytes(18).toString('base64url');
  if (!Password.safeParse(password).success) {
    process.stderr.write('admin:create: ADMIN_PASSWORD must be 12–128 characters\n');
    return 2;
  }
  const db = createDb(config.database, 2);
  try {
    if (config.migrateOnStart) await migrateLatest(db, createLogger('warn', 'admin'));
    const bootstrap = createBootstrap({
      db,
      users: createUsersRepository(db),
      sessions: createSessionsRepository(db),
      clock: systemClock,
    });
    const outcome = await bootstrap.create(email.data, password);
    const where = describeDatabase(config.database);
    if (outcome === 'admin_exists') {
      process.stderr.write(`admin:create: ${where} already has an admin; nothing changed\n`);
      return 1;
    }
    if (outcome === 'refused_existing_account') {
      process.stderr.write(
        `admin:create: ${email.data} already has an account; it is not promoted. Use another address.\n`,
      );
      return 1;
    }
    process.stdout.write(`admin ${email.data} created in ${where}\n`);
    if (!given) process.stdout.write(`password (shown once): ${password}\n`);
    return 0;
  } finally {
    await db.destroy();
  }
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`admin:create: ${(error as Error).message}\n`);
    process.exitCode = 1;
  },
);
