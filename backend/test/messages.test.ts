import { bearer, dialects, startTestBackend, type TestContext } from './support/harness';

describe.each(dialects)('messages (%s)', (dialect) => {
  let t: TestContext;
  beforeAll(async () => {
    t = await startTestBackend(dialect);
  });
  afterAll(() => t.close());

  const send = (token: string, to: number, body: unknown, key?: string) => {
    const req = t.api.post(`/api/v1/conversations/${to}/messages`).set(bearer(token));
    if (key) void req.set('Idempotency-Key', key);
    return req.send({ body });
  };

  it('when a message is sent, then both sides see it in their history and conversation list', async () => {
    const a = await t.signup({ name: 'Alice' });
    const b = await t.signup({ name: 'Bob' });
    const res = await send(a.token, b.user.id, 'Hello Bob');
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      senderId: a.user.id,
      recipientId: b.user.id,
      body: 'Hello Bob',
    });
    for (const [viewer, other] of [
      [a, b],
      [b, a],
    ] as const) {
      const history = await t.api
        .get(`/api/v1/conversations/${other.user.id}/messages`)
        .set(bearer(viewer.token));
      expect(history.status).toBe(200);
      expect(history.body.peer.id).toBe(other.user.id);
      expect(history.body.items.map((m: { body: string }) => m.body)).toEqual(['Hello Bob']);
      const list = await t.api.get('/api/v1/conversations').set(bearer(viewer.token));
      expect(list.body.items[0]).toMatchObject({
        peer: { id: other.user.id },
        lastMessage: { body: 'Hello Bob' },
      });
    }
  });

  it('when several people write, then conversations come latest first', async () => {
    const me = await t.signup();
    const p1 = await t.signup();
    const p2 = await t.signup();
    const p3 = await t.signup();
    await send(me.token, p1.user.id, 'one');
    await send(p2.token, me.user.id, 'two');
    await send(me.token, p3.user.id, 'three');
    await send(p1.token, me.user.id, 'four');
    const list = await t.api.get('/api/v1/conversations').set(bearer(me.token));
    expect(list.body.items.map((c: { peer: { id: number } }) => c.peer.id)).toEqual([
      p1.user.id,
      p3.user.id,
      p2.user.id,
    ]);
    expect(list.body.items[0].lastMessage.body).toBe('four');
  });

  it('when history is paged with the cursor, then every message appears once, newest first', async () => {
    const a = await t.signup();
    const b = await t.signup();
    for (let i = 0; i < 7; i++)
      await send(i % 2 ? b.token : a.token, i % 2 ? a.user.id : b.user.id, `m${i}`);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const url: string = `/api/v1/conversations/${b.user.id}/messages?limit=3${cursor ? `&before=${cursor}` : ''}`;
      const page = await t.api.get(url).set(bearer(a.token));
      expect(page.status).toBe(200);
      seen.push(...page.body.items.map((m: { body: string }) => m.body));
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(seen).toEqual(['m6', 'm5', 'm4', 'm3', 'm2', 'm1', 'm0']);
  });

  it('when someone else tries to delete my message, then 403 and it stays; I can delete it', async () => {
    const a = await t.signup();
    const b = await t.signup();
    const first = await send(a.token, b.user.id, 'first');
    const second = await send(a.token, b.user.id, 'second');
    expect(
      (await t.api.delete(`/api/v1/messages/${second.body.id}`).set(bearer(b.token))).status,
    ).toBe(403);
    expect(
      (await t.api.delete(`/api/v1/messages/${second.body.id}`).set(bearer(a.token))).status,
    ).toBe(204);
    expect(
      (await t.api.delete(`/api/v1/messages/${second.body.id}`).set(bearer(a.token))).status,
    ).toBe(404);
    const list = await t.api.get('/api/v1/conversations').set(bearer(b.token));
    expect(list.body.items[0].lastMessage.id).toBe(first.body.id);
    await t.api.delete(`/api/v1/messages/${first.body.id}`).set(bearer(a.token));
    expect((await t.api.get('/api/v1/conversations').set(bearer(b.token))).body.items).toEqual([]);
  });

  it('when the recipient is unknown, yourself, or the body is empty or too long, then it is refused', async () => {
    const a = await t.signup();
    const b = await t.signup();
    expect((await send(a.token, 99999999, 'hi')).status).toBe(404);
    expect((await send(a.token, a.user.id, 'hi')).status).toBe(400);
    expect((await send(a.token, b.user.id, '   ')).status).toBe(400);
    expect((await send(a.token, b.user.id, 'x'.repeat(2001))).status).toBe(400);
    expect((await send(a.token, b.user.id, 42)).status).toBe(400);
    expect((await send(a.token, b.user.id, 'x'.repeat(2000))).status).toBe(201);
    expect(
      (await t.api.get('/api/v1/conversations/99999999/messages').set(bearer(a.token))).status,
    ).toBe(404);
  });

  it('when bodies look like SQL injection, XSS or templates, then they are stored and returned verbatim', async () => {
    const a = await t.signup();
    const b = await t.signup();
    const nasty = [
      "'; DROP TABLE messages; --",
      '<script>alert(1)</script>',
      '"><svg onload=alert(1)>',
      '{{7*7}} <%= 7*7 %>',
      'RTL \u202e emoji 🙂 CJK 漢字',
    ];
    for (const body of nasty) expect((await send(a.token, b.user.id, body)).body.body).toBe(body);
    const history = await t.api
      .get(`/api/v1/conversations/${a.user.id}/messages`)
      .set(bearer(b.token));
    expect(history.body.items.map((m: { body: string }) => m.body).reverse()).toEqual(nasty);
  });

  it('when the same send is retried with one Idempotency-Key, then one message exists', async () => {
    const a = await t.signup();
    const b = await t.signup();
    const responses = await Promise.all(
      Array.from({ length: 10 }, () => send(a.token, b.user.id, 'once', 'msg-key-0001')),
    );
    const created = responses.filter((r) => r.status === 201);
    expect(created.length).toBeGreaterThan(0);
    expect(new Set(created.map((r) => r.body.id)).size).toBe(1);
    expect(responses.every((r) => r.status === 201 || r.status === 409)).toBe(true);
    const rows = await t.db('messages').where({ sender_id: a.user.id });
    expect(rows).toHaveLength(1);
    expect((await send(a.token, b.user.id, 'different', 'msg-key-0001')).status).toBe(422);
  });
});
