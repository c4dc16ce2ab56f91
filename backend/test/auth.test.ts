import {
  ADMIN,
  bearer,
  dialects,
  PASSWORD,
  startTestBackend,
  uniqueEmail,
  type TestContext,
} from './support/harness';

describe.each(dialects)('auth (%s)', (dialect) => {
  let t: TestContext;
  let now = Date.now();
  beforeAll(async () => {
    t = await startTestBackend(dialect, { clock: () => now });
  });
  afterAll(() => t.close());
  beforeEach(() => {
    now = Date.now();
  });

  it('when someone signs up, then they get a working session and a member account', async () => {
    const email = uniqueEmail('Ann');
    const res = await t.api
      .post('/api/v1/auth/signup')
      .send({ name: 'Ann', surname: 'Lee', email, password: PASSWORD });
    expect(res.status).toBe(201);
    expect(res.body.user).toMatchObject({ name: 'Ann', surname: 'Lee', email, role: 'member' });
    expect(res.body).not.toHaveProperty('user.passwordHash');
    const me = await t.api.get('/api/v1/me').set(bearer(res.body.token));
    expect(me.status).toBe(200);
    expect(me.body.id).toBe(res.body.user.id);
  });

  it('when the email is taken in another letter case, then signup is refused with 409 email_taken', async () => {
    const email = uniqueEmail('case');
    await t.signup({ email });
    const res = await t.api
      .post('/api/v1/auth/signup')
      .send({ name: 'B', surname: 'C', email: email.toUpperCase(), password: PASSWORD });
    expect(res.status).toBe(409);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(res.body).toMatchObject({ code: 'email_taken', errors: [{ field: 'email' }] });
  });

  it('when every field is wrong, then one 400 lists each field', async () => {
    const res = await t.api
      .post('/api/v1/auth/signup')
      .send({ name: '', surname: 'x'.repeat(101), email: 'not-an-email', password: 'short' });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('validation_failed');
    const fields = (res.body.errors as { field: string }[]).map((e) => e.field).sort();
    expect(fields).toEqual(['email', 'name', 'password', 'surname']);
  });

  it('when passwords are 11, 12, 128 and 129 characters, then only 12 and 128 are accepted, spaces and emoji kept', async () => {
    const attempt = (password: string) =>
      t.api
        .post('/api/v1/auth/signup')
        .send({ name: 'P', surname: 'W', email: uniqueEmail(), password });
    expect((await attempt('a'.repeat(11))).status).toBe(400);
    expect((await attempt('a'.repeat(129))).status).toBe(400);
    expect((await attempt('a'.repeat(128))).status).toBe(201);
    const email = uniqueEmail();
    const spaced = ' 🔑 twelve chars ';
    expect(
      (
        await t.api
          .post('/api/v1/auth/signup')
          .send({ name: 'P', surname: 'W', email, password: spaced })
      ).status,
    ).toBe(201);
    expect((await t.api.post('/api/v1/auth/login').send({ email, password: spaced })).status).toBe(
      200,
    );
    expect(
      (await t.api.post('/api/v1/auth/login').send({ email, password: spaced.trim() })).status,
    ).toBe(401);
  });

  it('when a password is stored, then it is an argon2id hash with at least OWASP parameters', async () => {
    const { user } = await t.signup();
    const row = (await t.db('users').where({ id: user.id }).first()) as { password_hash: string };
    const match = /^\$argon2id\$v=19\$([a-z0-9=,]+)\$/.exec(row.password_hash);
    expect(match).not.toBeNull();
    const params = Object.fromEntries(match![1].split(',').map((kv) => kv.split('=')));
    // The OWASP Password Storage Cheat Sheet's equal-defence settings: memory (KiB) and
    // passes, one lane. A hash must meet one of them.
    const owasp = [
      [47104, 1],
      [19456, 2],
      [12288, 3],
      [9216, 4],
      [7168, 5],
    ];
    const [memory, passes] = [Number(params.m), Number(params.t)];
    expect(owasp.some(([m, t]) => memory >= m! && passes >= t!)).toBe(true);
    expect(params.p).toBe('1');
    // Four checks run at once on the libuv pool: at most 7 MiB each keeps them under 30 MB.
    expect(memory).toBeLessThanOrEqual(7168);
  });

  it('when the password is wrong or the email unknown, then the answers are identical', async () => {
    const { user } = await t.signup();
    const wrong = await t.api
      .post('/api/v1/auth/login')
      .send({ email: user.email, password: 'wrong password!!' });
    const unknown = await t.api
      .post('/api/v1/auth/login')
      .send({ email: uniqueEmail('nobody'), password: 'wrong password!!' });
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    const strip = (b: Record<string, unknown>) => ({ ...b, requestId: undefined });
    expect(strip(wrong.body)).toEqual(strip(unknown.body));
  });

  it('when an account has 10 failed logins, then even the right password is throttled with 429 and Retry-After', async () => {
    const email = uniqueEmail('throttle');
    await t.signup({ email });
    for (let i = 0; i < 10; i++) {
      const res = await t.api
        .post('/api/v1/auth/login')
        .send({ email, password: `wrong password ${i}` });
      expect(res.status).toBe(401);
    }
    const res = await t.api.post('/api/v1/auth/login').send({ email, password: PASSWORD });
    expect(res.status).toBe(429);
    expect(res.body.code).toBe('too_many_attempts');
    expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
    now += 16 * 60 * 1000;
    expect(
      (await t.api.post('/api/v1/auth/login').send({ email, password: PASSWORD })).status,
    ).toBe(200);
  });

  it('when failures are spread over two replicas, then the limit still holds (it lives in the database)', async () => {
    if (dialect === 'sqlite') {
      // The embedded default is single-replica by design; the MySQL run checks this.
      expect(dialects).toContain('sqlite');
      return;
    }
    const second = await startTestBackend(dialect, {
      databaseUrl: t.databaseUrl,
      clock: () => now,
    });
    try {
      const email = uniqueEmail('replicas');
      await t.signup({ email });
      for (let i = 0; i < 10; i++) {
        const api = i % 2 === 0 ? t.api : second.api;
        expect(
          (await api.post('/api/v1/auth/login').send({ email, password: `nope nope ${i}` })).status,
        ).toBe(401);
      }
      expect(
        (await second.api.post('/api/v1/auth/login').send({ email, password: PASSWORD })).status,
      ).toBe(429);
    } finally {
      await second.backend.close();
    }
  });

  it('when a user logs out, then the token stops working', async () => {
    const { token } = await t.signup();
    expect((await t.api.post('/api/v1/auth/logout').set(bearer(token))).status).toBe(204);
    const res = await t.api.get('/api/v1/me').set(bearer(token));
    expect(res.status).toBe(401);
    expect(res.body.code).toBe('unauthenticated');
  });

  it('when a session is idle for 30 minutes, then it is closed; activity keeps it open', async () => {
    const { token } = await t.signup();
    now += 29 * 60 * 1000;
    expect((await t.api.get('/api/v1/me').set(bearer(token))).status).toBe(200);
    now += 29 * 60 * 1000;
    expect((await t.api.get('/api/v1/me').set(bearer(token))).status).toBe(200);
    now += 30 * 60 * 1000;
    expect((await t.api.get('/api/v1/me').set(bearer(token))).status).toBe(401);
  });

  it('when a session is 12 hours old, then it ends even if it was used all along', async () => {
    const { token } = await t.signup();
    const start = now;
    while (now + 25 * 60 * 1000 < start + 12 * 3600 * 1000) {
      now += 25 * 60 * 1000;
      expect((await t.api.get('/api/v1/me').set(bearer(token))).status).toBe(200);
    }
    now = start + 12 * 3600 * 1000;
    expect((await t.api.get('/api/v1/me').set(bearer(token))).status).toBe(401);
  });

  it('when tokens are forged, malformed or JWTs with alg none, then they are refused with 401', async () => {
    const header = Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url');
    const payload = Buffer.from(JSON.stringify({ sub: 1, role: 'admin' })).toString('base64url');
    for (const value of [
      `Bearer ${header}.${payload}.`,
      `Bearer ${'A'.repeat(43)}`,
      'Bearer ',
      'Basic YWRtaW46YWRtaW4=',
      `Bearer ${"' OR 1=1 --".padEnd(30, 'x')}`,
    ]) {
      const res = await t.api.get('/api/v1/users').set('Authorization', value);
      expect(res.status).toBe(401);
    }
    expect((await t.api.get('/api/v1/users')).status).toBe(401);
  });

  it('when only the hash of a token is stored, then the raw token appears nowhere in the database', async () => {
    const { token } = await t.signup();
    const rows = (await t.db('sessions').select('token_hash')) as { token_hash: string }[];
    expect(rows.some((r) => r.token_hash === token)).toBe(false);
    expect(rows.every((r) => /^[0-9a-f]{64}$/.test(r.token_hash))).toBe(true);
  });

  it('when the configured admin signs in, then it has the admin role', async () => {
    const res = await t.api
      .post('/api/v1/auth/login')
      .send({ email: ADMIN.email.toUpperCase(), password: ADMIN.password });
    expect(res.status).toBe(200);
    expect(res.body.user.role).toBe('admin');
  });
});
