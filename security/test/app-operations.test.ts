/**
 * Replays the operational attacks: the published example secrets accepted in
 * production, and tables that only grew.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { createHousekeeping } from '../../backend/src/auth/housekeeping';
import { startBackend } from '../../backend/src/main';
import { loadConfig as loadFrontendConfig } from '../../frontend/src/config';
import { dialects, startTestBackend, uniqueEmail } from '../../backend/test/support/harness';

const EXAMPLES = path.join(__dirname, '..', '..', 'compose', 'secrets.example');

describe('placeholder secrets', () => {
  it('the backend refuses to start in production on the example admin password, naming it', async () => {
    await expect(
      startBackend({
        env: {
          NODE_ENV: 'production',
          DATABASE_URL: 'sqlite::memory:',
          ADMIN_EMAIL: 'admin@tradepost.local',
          ADMIN_PASSWORD_FILE: path.join(EXAMPLES, 'admin_password'),
          LOG_LEVEL: 'silent',
        },
      }),
    ).rejects.toThrow(/ADMIN_PASSWORD/);
  });

  it('the backend refuses the example database URL in production, naming it', async () => {
    await expect(
      startBackend({
        env: {
          NODE_ENV: 'production',
          DATABASE_URL_FILE: path.join(EXAMPLES, 'database_url'),
          LOG_LEVEL: 'silent',
        },
      }),
    ).rejects.toThrow(/DATABASE_URL/);
  });

  it('the frontend refuses the example and short cookie secrets in production, naming the variable', () => {
    const example = readFileSync(path.join(EXAMPLES, 'cookie_secret'), 'utf8').trim();
    for (const secret of [example, 'short-secret'])
      expect(() => loadFrontendConfig({ NODE_ENV: 'production', COOKIE_SECRET: secret })).toThrow(
        /COOKIE_SECRET/,
      );
  });
});

describe.each(dialects)('tables that only grow (%s)', (dialect) => {
  it('expired sessions and throttle rows from many tried addresses are gone after a purge', async () => {
    let now = Date.now();
    const t = await startTestBackend(dialect, {
      env: { HOUSEKEEPING_INTERVAL_MS: '0' },
      clock: () => now,
    });
    try {
      const { token } = await t.signup();
      for (let i = 0; i < 60; i++)
        await t.api
          .post('/api/v1/auth/login')
          .set('X-Forwarded-For', `203.0.113.${i}`)
          .send({ email: uniqueEmail(`tried${i}`), password: 'a guessed password' });
      const count = async (table: string) =>
        Number(((await t.db(table).count({ n: '*' }).first()) as { n: number | string }).n);
      expect(await count('login_throttle')).toBeGreaterThanOrEqual(60);
      now += 2 * 24 * 60 * 60 * 1000;
      const removed = await createHousekeeping({ db: t.db, clock: () => now }).purge();
      expect(removed.sessions).toBeGreaterThanOrEqual(1);
      expect(await count('login_throttle')).toBe(0);
      expect(await count('sessions')).toBe(0);
      expect((await t.api.get('/api/v1/me').set('Authorization', `Bearer ${token}`)).status).toBe(
        401,
      );
    } finally {
      await t.close();
    }
  });
});
