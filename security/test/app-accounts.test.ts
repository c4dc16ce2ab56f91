/**
 * Replays the account attacks against real backends (both dialects): each of these
 * succeeded before sign-up was closed, visibility shaped, the bootstrap made safe
 * and the throttle made atomic.
 */
import {
  ADMIN,
  bearer,
  createTestDatabase,
  dialects,
  PASSWORD,
  startTestBackend,
  uniqueEmail,
  type TestContext,
} from '../../backend/test/support/harness';

const PRODUCTION = { NODE_ENV: 'production' };

describe.each(dialects)('account attacks (%s)', (dialect) => {
  let t: TestContext;
  beforeAll(async () => {
    t = await startTestBackend(dialect, { env: PRODUCTION });
  });
  afterAll(() => t.close());

  const login = (email: string, password: string, from: string) =>
    t.api.post('/api/v1/auth/login').set('X-Forwarded-For', from).send({ email, password });

  async function member(): Promise<{ token: string; email: string }> {
    const { token: admin } = await t.admin();
    const email = uniqueEmail('member');
    const made = await t.api
      .post('/api/v1/users')
      .set(bearer(admin))
      .send({ name: 'Mem', surname: 'Ber', email, password: PASSWORD });
    expect(made.status).toBe(201);
    const res = await login(email, PASSWORD, '192.0.2.1');
    return { token: res.body.token as string, email };
  }

  it('open door: a stranger cannot sign up under the production default', async () => {
    const res = await t.api
      .post('/api/v1/auth/signup')
      .send({ name: 'Sam', surname: 'Stranger', email: uniqueEmail('sam'), password: PASSWORD });
    expect(res.status).toBe(403);
    expect(res.body.token).toBeUndefined();
  });

  it("open door: a member's directory holds no colleague's email or role, and orders need a session", async () => {
    const colleague = await member();
    const { token, email } = await member();
    const users = await t.api.get('/api/v1/users?pageSize=100').set(bearer(token));
    expect(users.status).toBe(200);
    const text = JSON.stringify(users.body);
    expect(text).not.toContain(colleague.email);
    expect(text).not.toContain(ADMIN.email);
    const others = (users.body.items as Record<string, unknown>[]).filter((u) => u.email !== email);
    for (const user of others) expect(Object.keys(user).sort()).toEqual(['id', 'name', 'surname']);
    expect((await t.api.get('/api/v1/orders')).status).toBe(401);
    expect((await t.api.get('/api/v1/users?pageSize=100')).status).toBe(401);
  });

  it('guessing in parallel: 40 concurrent wrong passwords for one account are held to the limit', async () => {
    const victim = await member();
    const answers = await Promise.all(
      Array.from({ length: 40 }, (_, i) => login(victim.email, `guess number ${i}`, '203.0.113.9')),
    );
    const checked = answers.filter((r) => r.status === 401).length;
    expect(checked).toBeLessThanOrEqual(10);
    expect(answers.every((r) => [401, 429, 503].includes(r.status))).toBe(true);
  });

  it("locking anyone out: the owner signs in from elsewhere during a stranger's burst", async () => {
    const owner = await member();
    const burst = Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        login(owner.email, `stranger ${i} guess`, '198.51.100.5'),
      ),
    );
    await new Promise((resolve) => setTimeout(resolve, 50));
    const during = await login(owner.email, PASSWORD, '192.0.2.77');
    await burst;
    const after = await login(owner.email, PASSWORD, '192.0.2.77');
    expect([during.status, after.status]).toEqual([200, 200]);
  });

  it("locking anyone out: the admin's account cannot be locked from a stranger's address", async () => {
    for (let i = 0; i < 15; i++) await login(ADMIN.email, `admin guess ${i}!`, '198.51.100.200');
    expect((await login(ADMIN.email, ADMIN.password, '192.0.2.200')).status).toBe(200);
  });
});

describe.each(dialects)('taking the admin place (%s)', (dialect) => {
  it('a stranger who signed up with ADMIN_EMAIL is never promoted by a start', async () => {
    const database = await createTestDatabase(dialect);
    try {
      const open = await startTestBackend(dialect, {
        databaseUrl: database.url,
        env: { ADMIN_EMAIL: '', ADMIN_PASSWORD: '', SIGNUP_POLICY: 'open' },
      });
      await open.signup({ email: ADMIN.email, password: PASSWORD });
      await open.backend.close();
      const configured = await startTestBackend(dialect, {
        databaseUrl: database.url,
        env: PRODUCTION,
      });
      try {
        const res = await configured.api
          .post('/api/v1/auth/login')
          .send({ email: ADMIN.email, password: PASSWORD });
        expect(res.status).toBe(200);
        expect(res.body.user.role).toBe('member');
        expect(await configured.db('users').where({ role: 'admin' })).toHaveLength(0);
      } finally {
        await configured.backend.close();
      }
    } finally {
      await database.drop();
    }
  });
});
