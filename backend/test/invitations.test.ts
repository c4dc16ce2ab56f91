import {
  bearer,
  dialects,
  PASSWORD,
  startTestBackend,
  uniqueEmail,
  type TestContext,
} from './support/harness';

const DAY = 24 * 60 * 60 * 1000;

describe.each(dialects)('sign-up policy and invitations (%s)', (dialect) => {
  let closed: TestContext;
  let now = Date.now();
  beforeAll(async () => {
    closed = await startTestBackend(dialect, {
      env: { NODE_ENV: 'production' },
      clock: () => now,
    });
  });
  afterAll(() => closed.close());
  beforeEach(() => {
    now = Date.now();
  });

  const signup = (t: TestContext, email: string) =>
    t.api
      .post('/api/v1/auth/signup')
      .send({ name: 'Sam', surname: 'Stranger', email, password: PASSWORD });

  const invite = async (email: string, role = 'member') => {
    const { token } = await closed.admin();
    const res = await closed.api
      .post('/api/v1/invitations')
      .set(bearer(token))
      .send({ email, role });
    expect(res.status).toBe(201);
    return res.body as { token: string; email: string; expiresAt: string };
  };

  const accept = (token: string, overrides: Record<string, string> = {}) =>
    closed.api
      .post('/api/v1/auth/invitations/accept')
      .send({ token, name: 'Ivy', surname: 'Invited', password: PASSWORD, ...overrides });

  it('when NODE_ENV is production and no policy is set, then a stranger cannot sign up and no account is made', async () => {
    const email = uniqueEmail('stranger');
    const res = await signup(closed, email);
    expect(res.status).toBe(403);
    expect(res.body.code).toBe('signup_closed');
    expect(await closed.db('users').where({ email }).first()).toBeUndefined();
  });

  it('when the policy is domains, then only addresses at a listed domain may sign up', async () => {
    const t = await startTestBackend(dialect, {
      env: { SIGNUP_POLICY: 'domains', SIGNUP_DOMAINS: 'staff.example, Partner.example' },
    });
    try {
      expect((await signup(t, `ann.${Date.now()}@Staff.Example`)).status).toBe(201);
      expect((await signup(t, `bo.${Date.now()}@partner.example`)).status).toBe(201);
      const refused = [
        `eve.${Date.now()}@example.com`,
        `eve.${Date.now()}@evil-staff.example`,
        `eve.${Date.now()}@staff.example.evil.com`,
      ];
      for (const email of refused) expect((await signup(t, email)).status).toBe(403);
    } finally {
      await t.close();
    }
  });

  it('when the policy is open, then anyone may sign up (the local default)', async () => {
    const t = await startTestBackend(dialect, { env: { SIGNUP_POLICY: 'open' } });
    try {
      expect((await signup(t, uniqueEmail('open'))).status).toBe(201);
    } finally {
      await t.close();
    }
  });

  it('when an admin invites an address, then the link makes that account once, with the invited role, and the token is stored hashed', async () => {
    const email = uniqueEmail('invitee');
    const invitation = await invite(email);
    expect(invitation.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(Date.parse(invitation.expiresAt) - now).toBe(7 * DAY);
    const row = (await closed.db('invitations').where({ email }).first()) as { token_hash: string };
    expect(row.token_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(await closed.db('invitations').select())).not.toContain(invitation.token);

    const shown = await closed.api.get(`/api/v1/invitations/${invitation.token}`);
    expect(shown.status).toBe(200);
    expect(shown.body).toMatchObject({ email, role: 'member' });

    const first = await accept(invitation.token, { email: 'ignored@evil.example' });
    expect(first.status).toBe(201);
    expect(first.body.user).toMatchObject({ email, role: 'member', name: 'Ivy' });
    expect((await closed.api.get('/api/v1/me').set(bearer(first.body.token))).status).toBe(200);

    const again = await accept(invitation.token);
    expect(again.status).toBe(404);
    expect((await closed.api.get(`/api/v1/invitations/${invitation.token}`)).status).toBe(404);
  });

  it('when one invitation is accepted ten times at once, then exactly one account is made', async () => {
    const email = uniqueEmail('race');
    const { token } = await invite(email);
    const answers = await Promise.all(
      Array.from({ length: 10 }, (_, i) => accept(token, { name: `Racer${i}` })),
    );
    const statuses = answers.map((r) => r.status).sort();
    expect(statuses.filter((s) => s === 201)).toHaveLength(1);
    expect(statuses.filter((s) => s !== 201).every((s) => s === 404)).toBe(true);
    expect(await closed.db('users').where({ email_normalized: email.toLowerCase() })).toHaveLength(
      1,
    );
  });

  it('when an invitation is seven days old, then it no longer works', async () => {
    const { token } = await invite(uniqueEmail('late'));
    now += 7 * DAY;
    expect((await accept(token)).status).toBe(404);
  });

  it('when a member tries to invite, then it is refused with 403 and nothing is stored', async () => {
    const { token: admin } = await closed.admin();
    const email = uniqueEmail('member');
    const created = await closed.api
      .post('/api/v1/users')
      .set(bearer(admin))
      .send({ name: 'M', surname: 'M', email, password: PASSWORD });
    expect(created.status).toBe(201);
    const login = await closed.api.post('/api/v1/auth/login').send({ email, password: PASSWORD });
    const target = uniqueEmail('friend');
    const res = await closed.api
      .post('/api/v1/invitations')
      .set(bearer(login.body.token))
      .send({ email: target });
    expect(res.status).toBe(403);
    expect(await closed.db('invitations').where({ email: target }).first()).toBeUndefined();
  });

  it('when a token is made up, then it is refused with 404', async () => {
    expect((await accept('A'.repeat(43))).status).toBe(404);
    expect((await closed.api.get(`/api/v1/invitations/${'B'.repeat(43)}`)).status).toBe(404);
  });

  it('when the invited address already has an account, then the invitation is refused with 409', async () => {
    const { token } = await closed.admin();
    const res = await closed.api
      .post('/api/v1/invitations')
      .set(bearer(token))
      .send({ email: 'ADMIN@tradepost.test' });
    expect(res.status).toBe(409);
  });
});
