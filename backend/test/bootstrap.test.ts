import { spawnSync } from 'node:child_process';
import path from 'node:path';
import {
  ADMIN,
  bearer,
  createTestDatabase,
  dialects,
  PASSWORD,
  startTestBackend,
  type TestContext,
} from './support/harness';

const NO_ADMIN = { ADMIN_EMAIL: '', ADMIN_PASSWORD: '' };
const login = (t: TestContext, email: string, password: string) =>
  t.api.post('/api/v1/auth/login').send({ email, password });

describe.each(dialects)('the first admin (%s)', (dialect) => {
  let database: { url: string; drop(): Promise<void> };
  beforeEach(async () => {
    database = await createTestDatabase(dialect);
  });
  afterEach(() => database.drop());

  const start = (env: Record<string, string> = {}) =>
    startTestBackend(dialect, { databaseUrl: database.url, env });

  it('when a stranger signed up with ADMIN_EMAIL before the admin existed, then the start does not promote them', async () => {
    const before = await start(NO_ADMIN);
    const stranger = await before.signup({ email: ADMIN.email, password: PASSWORD });
    await before.backend.close();

    const after = await start();
    try {
      expect((await login(after, ADMIN.email, PASSWORD)).body.user.role).toBe('member');
      expect((await login(after, ADMIN.email, ADMIN.password)).status).toBe(401);
      const admins = await after.db('users').where({ role: 'admin' });
      expect(admins).toHaveLength(0);
      expect((await after.db('users').where({ id: stranger.user.id }).first()).role).toBe('member');
    } finally {
      await after.backend.close();
    }
  });

  it('when the admin deleted their account and a stranger took the address, then a restart promotes nobody', async () => {
    const first = await start();
    const admin = await first.admin();
    expect(
      (await first.api.delete(`/api/v1/users/${admin.user.id}`).set(bearer(admin.token))).status,
    ).toBe(204);
    await first.signup({ email: ADMIN.email.toUpperCase(), password: PASSWORD });
    await first.backend.close();

    const second = await start();
    try {
      const res = await login(second, ADMIN.email, PASSWORD);
      expect(res.status).toBe(200);
      expect(res.body.user.role).toBe('member');
      expect(await second.db('users').where({ role: 'admin' })).toHaveLength(0);
    } finally {
      await second.backend.close();
    }
  });

  it('when no admin exists and the address is free, then the admin is created and recorded as the bootstrap admin', async () => {
    const t = await start();
    try {
      const row = await t.db('users').where({ email_normalized: ADMIN.email }).first();
      expect(row).toMatchObject({ role: 'admin' });
      expect(Boolean(row.bootstrap_admin)).toBe(true);
    } finally {
      await t.backend.close();
    }
  });

  it('when another admin exists, then a new ADMIN_EMAIL creates nothing', async () => {
    const first = await start();
    await first.backend.close();
    const second = await start({ ADMIN_EMAIL: 'someone-else@tradepost.test' });
    try {
      expect(await second.db('users').where({ role: 'admin' })).toHaveLength(1);
    } finally {
      await second.backend.close();
    }
  });

  it("when ADMIN_PASSWORD is rotated, then the bootstrap admin's password is reset and its sessions end", async () => {
    const first = await start();
    const { token } = await first.admin();
    await first.backend.close();

    const rotated = 'a brand new admin password';
    const second = await start({ ADMIN_PASSWORD: rotated });
    try {
      expect((await second.api.get('/api/v1/me').set(bearer(token))).status).toBe(401);
      expect((await login(second, ADMIN.email, ADMIN.password)).status).toBe(401);
      const res = await login(second, ADMIN.email, rotated);
      expect(res.status).toBe(200);
      expect(res.body.user.role).toBe('admin');
    } finally {
      await second.backend.close();
    }
    // Unchanged configuration at the next start: the session made since survives.
    const third = await start({ ADMIN_PASSWORD: rotated });
    try {
      const again = await login(third, ADMIN.email, rotated);
      await third.backend.close();
      const fourth = await start({ ADMIN_PASSWORD: rotated });
      expect((await fourth.api.get('/api/v1/me').set(bearer(again.body.token))).status).toBe(200);
      await fourth.backend.close();
    } finally {
      await third.backend.close();
    }
  });
});

describe('npm run admin:create', () => {
  const cli = path.join(__dirname, '..', 'dist', 'auth', 'cli-admin.js');
  const run = (url: string, args: string[], env: Record<string, string> = {}) =>
    spawnSync(process.execPath, [cli, ...args], {
      env: { PATH: process.env.PATH, DATABASE_URL: url, MIGRATE_ON_START: 'true', ...env },
      encoding: 'utf8',
    });

  it('when no admin exists, then it creates one once; a second run and an existing address change nothing', async () => {
    const database = await createTestDatabase('sqlite');
    try {
      const taken = await startTestBackend('sqlite', { databaseUrl: database.url, env: NO_ADMIN });
      await taken.signup({ email: 'taken@tradepost.test' });
      await taken.backend.close();

      const refused = run(database.url, ['--email', 'taken@tradepost.test']);
      expect(refused.status).toBe(1);
      expect(refused.stderr).toMatch(/not promoted/);

      const made = run(database.url, ['--email', 'boss@tradepost.test']);
      expect(made.status).toBe(0);
      const password = /password \(shown once\): (\S+)/.exec(made.stdout)?.[1];
      expect(password).toBeDefined();

      const again = run(database.url, ['--email', 'other@tradepost.test'], {
        ADMIN_PASSWORD: 'another admin password',
      });
      expect(again.status).toBe(1);
      expect(again.stderr).toMatch(/already has an admin/);

      const t = await startTestBackend('sqlite', { databaseUrl: database.url, env: NO_ADMIN });
      try {
        const res = await login(t, 'boss@tradepost.test', password!);
        expect(res.body.user.role).toBe('admin');
        expect((await login(t, 'taken@tradepost.test', PASSWORD)).body.user.role).toBe('member');
        expect(await t.db('users').where({ role: 'admin' })).toHaveLength(1);
      } finally {
        await t.backend.close();
      }
    } finally {
      await database.drop();
    }
  });
});
