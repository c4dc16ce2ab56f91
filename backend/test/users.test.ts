import {
  bearer,
  dialects,
  PASSWORD,
  startTestBackend,
  uniqueEmail,
  validOrder,
  type TestContext,
} from './support/harness';

describe.each(dialects)('users (%s)', (dialect) => {
  let t: TestContext;
  beforeAll(async () => {
    t = await startTestBackend(dialect);
  });
  afterAll(() => t.close());

  it('when users are listed, then pages are stable, sized and counted', async () => {
    const { token } = await t.signup();
    for (let i = 0; i < 4; i++) await t.signup();
    const first = await t.api.get('/api/v1/users?page=1&pageSize=2').set(bearer(token));
    expect(first.status).toBe(200);
    expect(first.body.items).toHaveLength(2);
    expect(first.body.total).toBeGreaterThanOrEqual(6);
    expect(first.body.totalPages).toBe(Math.ceil(first.body.total / 2));
    const second = await t.api.get('/api/v1/users?page=2&pageSize=2').set(bearer(token));
    expect(second.body.items[0].id).toBeGreaterThan(first.body.items[1].id);
    expect(second.body.items[0]).not.toHaveProperty('passwordHash');
  });

  it('when paging parameters are out of range, then 400 names them', async () => {
    const { token } = await t.signup();
    const res = await t.api.get('/api/v1/users?page=0&pageSize=500').set(bearer(token));
    expect(res.status).toBe(400);
    expect((res.body.errors as { field: string }[]).map((e) => e.field).sort()).toEqual([
      'page',
      'pageSize',
    ]);
  });

  it('when one user is fetched, then it is returned, and an unknown id is 404', async () => {
    const { token, user } = await t.signup({ name: 'Grace' });
    const res = await t.api.get(`/api/v1/users/${user.id}`).set(bearer(token));
    expect(res.body).toMatchObject({ id: user.id, name: 'Grace' });
    expect((await t.api.get('/api/v1/users/99999999').set(bearer(token))).status).toBe(404);
    expect((await t.api.get('/api/v1/users/abc').set(bearer(token))).status).toBe(400);
  });

  it('when members edit names, then they may change their own and not anyone else’s', async () => {
    const a = await t.signup();
    const b = await t.signup();
    const own = await t.api
      .patch(`/api/v1/users/${a.user.id}`)
      .set(bearer(a.token))
      .send({ name: 'Renamed' });
    expect(own.status).toBe(200);
    expect(own.body.name).toBe('Renamed');
    const other = await t.api
      .patch(`/api/v1/users/${b.user.id}`)
      .set(bearer(a.token))
      .send({ name: 'Hacked' });
    expect(other.status).toBe(403);
    const unchanged = await t.api.get(`/api/v1/users/${b.user.id}`).set(bearer(a.token));
    expect(unchanged.body.name).toBe('Test');
    expect(
      (await t.api.patch(`/api/v1/users/${a.user.id}`).set(bearer(a.token)).send({})).status,
    ).toBe(400);
  });

  it('when an admin edits another user, then it is allowed', async () => {
    const admin = await t.admin();
    const b = await t.signup();
    const res = await t.api
      .patch(`/api/v1/users/${b.user.id}`)
      .set(bearer(admin.token))
      .send({ surname: 'Fixed' });
    expect(res.status).toBe(200);
    expect(res.body.surname).toBe('Fixed');
  });

  it('when a member creates a user, then 403; an admin creates one, duplicates get 409', async () => {
    const member = await t.signup();
    const admin = await t.admin();
    const body = {
      name: 'New',
      surname: 'Hire',
      email: uniqueEmail('hire'),
      password: PASSWORD,
      role: 'admin',
    };
    expect((await t.api.post('/api/v1/users').set(bearer(member.token)).send(body)).status).toBe(
      403,
    );
    const created = await t.api.post('/api/v1/users').set(bearer(admin.token)).send(body);
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ email: body.email, role: 'admin' });
    const dup = await t.api
      .post('/api/v1/users')
      .set(bearer(admin.token))
      .send({ ...body, email: body.email.toUpperCase() });
    expect(dup.status).toBe(409);
    expect(dup.body.code).toBe('email_taken');
  });

  it('when a member deletes someone else, then 403 and nothing changes', async () => {
    const a = await t.signup();
    const b = await t.signup();
    expect((await t.api.delete(`/api/v1/users/${b.user.id}`).set(bearer(a.token))).status).toBe(
      403,
    );
    expect((await t.api.get(`/api/v1/users/${b.user.id}`).set(bearer(a.token))).status).toBe(200);
  });

  it('when an admin deletes a user, then their sessions and messages go and their orders stay unattributed', async () => {
    const admin = await t.admin();
    const gone = await t.signup();
    const peer = await t.signup();
    const sent = await t.api
      .post(`/api/v1/conversations/${peer.user.id}/messages`)
      .set(bearer(gone.token))
      .send({ body: 'hello' });
    await t.api
      .post(`/api/v1/conversations/${gone.user.id}/messages`)
      .set(bearer(peer.token))
      .send({ body: 'hi' });
    const order = await t.api.post('/api/v1/orders').set(bearer(gone.token)).send(validOrder());
    expect(order.status).toBe(201);

    expect(
      (await t.api.delete(`/api/v1/users/${gone.user.id}`).set(bearer(admin.token))).status,
    ).toBe(204);

    expect((await t.api.get('/api/v1/me').set(bearer(gone.token))).status).toBe(401);
    expect((await t.api.get(`/api/v1/users/${gone.user.id}`).set(bearer(admin.token))).status).toBe(
      404,
    );
    const kept = await t.api.get(`/api/v1/orders/${order.body.id}`).set(bearer(admin.token));
    expect(kept.status).toBe(200);
    expect(kept.body.user).toBeNull();
    expect(await t.db('messages').where({ id: sent.body.id }).first()).toBeUndefined();
    const convs = await t.api.get('/api/v1/conversations').set(bearer(peer.token));
    expect(convs.body.items).toEqual([]);
    expect(
      (await t.api.delete(`/api/v1/users/${gone.user.id}`).set(bearer(admin.token))).status,
    ).toBe(404);
  });

  it('when a member deletes their own account, then it is gone and the token dies', async () => {
    const me = await t.signup();
    expect((await t.api.delete(`/api/v1/users/${me.user.id}`).set(bearer(me.token))).status).toBe(
      204,
    );
    expect((await t.api.get('/api/v1/me').set(bearer(me.token))).status).toBe(401);
    const login = await t.api
      .post('/api/v1/auth/login')
      .send({ email: me.user.email, password: PASSWORD });
    expect(login.status).toBe(401);
  });
});
