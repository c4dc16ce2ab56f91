import {
  bearer,
  dialects,
  PASSWORD,
  startTestBackend,
  uniqueEmail,
  validOrder,
  type TestContext,
} from './support/harness';

/** The only routes that answer without a session. */
const PUBLIC = new Set([
  'post /auth/signup',
  'post /auth/login',
  'post /auth/invitations/accept',
  'get /invitations/{token}',
]);

describe.each(dialects)('who may see and do what (%s)', (dialect) => {
  let t: TestContext;
  let admin: string;
  let member: { token: string; user: { id: number; email: string } };
  let colleague: { token: string; user: { id: number; email: string } };
  beforeAll(async () => {
    t = await startTestBackend(dialect);
    admin = (await t.admin()).token;
    member = await t.signup({ name: 'Mia', email: uniqueEmail('mia') });
    colleague = await t.signup({ name: 'Col', email: uniqueEmail('col') });
  });
  afterAll(() => t.close());

  it('when a member lists users, then each colleague is id, name and surname only: no emails, no roles', async () => {
    const res = await t.api.get('/api/v1/users?pageSize=100').set(bearer(member.token));
    expect(res.status).toBe(200);
    const others = (res.body.items as Record<string, unknown>[]).filter(
      (u) => u.id !== member.user.id,
    );
    expect(others.length).toBeGreaterThanOrEqual(2);
    for (const user of others) expect(Object.keys(user).sort()).toEqual(['id', 'name', 'surname']);
    expect(JSON.stringify(res.body)).not.toContain(colleague.user.email);
    expect(JSON.stringify(res.body)).not.toContain('admin@tradepost.test');
  });

  it('when a member reads a colleague, then it is the reference only; their own record is whole', async () => {
    const other = await t.api.get(`/api/v1/users/${colleague.user.id}`).set(bearer(member.token));
    expect(other.status).toBe(200);
    expect(other.body).toEqual({ id: colleague.user.id, name: 'Col', surname: 'User' });
    const self = await t.api.get(`/api/v1/users/${member.user.id}`).set(bearer(member.token));
    expect(self.body).toMatchObject({ email: member.user.email, role: 'member' });
  });

  it('when an admin lists or reads users, then emails and roles are there', async () => {
    const list = await t.api.get('/api/v1/users?pageSize=100').set(bearer(admin));
    const row = (list.body.items as { id: number }[]).find((u) => u.id === colleague.user.id);
    expect(row).toMatchObject({ email: colleague.user.email, role: 'member' });
    const one = await t.api.get(`/api/v1/users/${colleague.user.id}`).set(bearer(admin));
    expect(one.body).toMatchObject({ email: colleague.user.email, role: 'member' });
  });

  it('when a member edits or deletes a colleague, then it is refused; their own name they may change', async () => {
    const edit = await t.api
      .patch(`/api/v1/users/${colleague.user.id}`)
      .set(bearer(member.token))
      .send({ name: 'Hacked' });
    expect(edit.status).toBe(403);
    const del = await t.api.delete(`/api/v1/users/${colleague.user.id}`).set(bearer(member.token));
    expect(del.status).toBe(403);
    const create = await t.api
      .post('/api/v1/users')
      .set(bearer(member.token))
      .send({ name: 'X', surname: 'Y', email: uniqueEmail(), password: PASSWORD, role: 'admin' });
    expect(create.status).toBe(403);
    const own = await t.api
      .patch(`/api/v1/users/${member.user.id}`)
      .set(bearer(member.token))
      .send({ surname: 'Renamed' });
    expect(own.status).toBe(200);
    expect(own.body).toMatchObject({ surname: 'Renamed', email: member.user.email });
  });

  it('when any signed-in member lists, reads or adds orders, then it is allowed, whoever placed them', async () => {
    const placed = await t.api
      .post('/api/v1/orders')
      .set(bearer(colleague.token))
      .send(validOrder());
    expect(placed.status).toBe(201);
    const list = await t.api.get('/api/v1/orders').set(bearer(member.token));
    expect(list.status).toBe(200);
    expect((list.body.items as { id: string }[]).map((o) => o.id)).toContain(placed.body.id);
    const one = await t.api.get(`/api/v1/orders/${placed.body.id}`).set(bearer(member.token));
    expect(one.status).toBe(200);
  });

  it('when a route is called without a session, then every route but sign-up, login and invitations answers 401', async () => {
    const doc = (await t.api.get('/openapi.json')).body as {
      paths: Record<string, Record<string, unknown>>;
    };
    const checked: string[] = [];
    for (const [path, operations] of Object.entries(doc.paths)) {
      for (const method of Object.keys(operations)) {
        if (PUBLIC.has(`${method} ${path}`)) continue;
        const url = `/api/v1${path.replace(/\{[^}]+\}/g, '1')}`;
        const verb = method as 'get' | 'post' | 'patch' | 'delete' | 'put';
        const res = await t.api[verb](url).send({});
        expect({ route: `${method} ${path}`, status: res.status }).toEqual({
          route: `${method} ${path}`,
          status: 401,
        });
        checked.push(`${method} ${path}`);
      }
    }
    expect(checked).toEqual(expect.arrayContaining(['get /orders', 'post /orders', 'get /users']));
  });
});
