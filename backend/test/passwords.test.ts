import {
  bearer,
  dialects,
  PASSWORD,
  startTestBackend,
  uniqueEmail,
  type TestContext,
} from './support/harness';

describe.each(dialects)('passwords (%s)', (dialect) => {
  let t: TestContext;
  beforeAll(async () => {
    t = await startTestBackend(dialect);
  });
  afterAll(() => t.close());

  const login = (email: string, password: string) =>
    t.api.post('/api/v1/auth/login').send({ email, password });
  const change = (token: string, currentPassword: string, newPassword: string) =>
    t.api.post('/api/v1/me/password').set(bearer(token)).send({ currentPassword, newPassword });

  it('when someone changes their password, then the old one stops working and only their other sessions end', async () => {
    const email = uniqueEmail('changer');
    const { token: here } = await t.signup({ email });
    const elsewhere = (await login(email, PASSWORD)).body.token as string;
    const next = 'a different long password';
    expect((await change(here, PASSWORD, next)).status).toBe(204);
    expect((await t.api.get('/api/v1/me').set(bearer(here))).status).toBe(200);
    expect((await t.api.get('/api/v1/me').set(bearer(elsewhere))).status).toBe(401);
    expect((await login(email, PASSWORD)).status).toBe(401);
    expect((await login(email, next)).status).toBe(200);
  });

  it('when the current password given is wrong, then nothing changes', async () => {
    const email = uniqueEmail('wrong');
    const { token } = await t.signup({ email });
    const res = await change(token, 'not my password at all', 'a different long password');
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([expect.objectContaining({ field: 'currentPassword' })]);
    expect((await login(email, PASSWORD)).status).toBe(200);
  });

  it('when an admin forces a reset, then the sessions end and the temporary password only allows choosing a new one', async () => {
    const { token: admin } = await t.admin();
    const email = uniqueEmail('reset');
    const { token: old, user } = await t.signup({ email });
    const reset = await t.api.post(`/api/v1/users/${user.id}/password-reset`).set(bearer(admin));
    expect(reset.status).toBe(201);
    const temporary = reset.body.temporaryPassword as string;
    expect(temporary.length).toBeGreaterThanOrEqual(20);
    expect((await t.api.get('/api/v1/me').set(bearer(old))).status).toBe(401);
    expect((await login(email, PASSWORD)).status).toBe(401);

    const signedIn = await login(email, temporary);
    expect(signedIn.status).toBe(200);
    expect(signedIn.body.passwordChangeRequired).toBe(true);
    const token = signedIn.body.token as string;
    const refused = await t.api.get('/api/v1/orders').set(bearer(token));
    expect(refused.status).toBe(403);
    expect(refused.body.code).toBe('password_change_required');
    expect((await t.api.get('/api/v1/users').set(bearer(token))).status).toBe(403);
    expect((await t.api.get('/api/v1/me').set(bearer(token))).status).toBe(200);

    expect((await change(token, temporary, 'my own new password')).status).toBe(204);
    expect((await t.api.get('/api/v1/orders').set(bearer(token))).status).toBe(200);
    const after = await login(email, 'my own new password');
    expect(after.body.passwordChangeRequired).toBe(false);
  });

  it("when a member tries to reset a colleague's password, then it is refused and the password stays", async () => {
    const { token } = await t.signup();
    const victim = uniqueEmail('victim');
    const { user } = await t.signup({ email: victim });
    const res = await t.api.post(`/api/v1/users/${user.id}/password-reset`).set(bearer(token));
    expect(res.status).toBe(403);
    expect((await login(victim, PASSWORD)).status).toBe(200);
  });
});
