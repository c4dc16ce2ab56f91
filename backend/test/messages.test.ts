import type { Executor } from '../src/db/knex';
import { createMessagesRepository, peerAndHistorySql } from '../src/messages/repository';
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
      expect(history.body.peer).toEqual({
        id: other.user.id,
        name: other.user.name,
        surname: 'User',
      });
      expect(history.body.items).toEqual([
        {
          id: res.body.id,
          senderId: a.user.id,
          recipientId: b.user.id,
          body: 'Hello Bob',
          createdAt: res.body.createdAt,
        },
      ]);
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

  it('when a history is asked with an unknown user, then 404; with someone never written to, no messages', async () => {
    const a = await t.signup();
    const b = await t.signup({ name: 'Quiet', surname: 'Peer' });
    const unknown = await t.api.get('/api/v1/conversations/999999/messages').set(bearer(a.token));
    expect(unknown.status).toBe(404);
    expect(unknown.body.code).toBe('not_found');
    const empty = await t.api
      .get(`/api/v1/conversations/${b.user.id}/messages`)
      .set(bearer(a.token));
    expect(empty.status).toBe(200);
    expect(empty.body).toMatchObject({
      peer: { id: b.user.id, name: 'Quiet', surname: 'Peer' },
      items: [],
      nextCursor: null,
    });
    // Past the oldest message: the peer still, and no messages.
    await send(a.token, b.user.id, 'only');
    const past = await t.api
      .get(`/api/v1/conversations/${b.user.id}/messages?before=1`)
      .set(bearer(a.token));
    expect(past.status).toBe(200);
    expect(past.body).toMatchObject({ peer: { id: b.user.id }, items: [] });
  });

  it('when a conversation holds thousands of messages, then a page reads only its own rows', async () => {
    const a = await t.signup();
    const b = await t.signup();
    const [low, high] = a.user.id < b.user.id ? [a.user.id, b.user.id] : [b.user.id, a.user.id];
    const rows = Array.from({ length: 3000 }, (_, i) => ({
      sender_id: i % 2 ? a.user.id : b.user.id,
      recipient_id: i % 2 ? b.user.id : a.user.id,
      user_low: low,
      user_high: high,
      body: `bulk ${i}`,
      created_at: Date.now(),
    }));
    for (let i = 0; i < rows.length; i += 500)
      await t.db('messages').insert(rows.slice(i, i + 500));

    if (dialect === 'mysql') {
      // MariaDB's handler counters: rows the statement really touched, on one connection.
      const reads = async (trx: Executor) => {
        const [status] = (await trx.raw("SHOW SESSION STATUS LIKE 'Handler_read%'")) as [
          { Value: string }[],
        ];
        return status.reduce((sum, row) => sum + Number(row.Value), 0);
      };
      const ids = (await t
        .db('messages')
        .where({ user_low: low, user_high: high })
        .orderBy('id')
        .pluck('id')) as (number | string)[];
      const oldest = Number(ids[0]);
      await t.db.transaction(async (trx) => {
        const repository = createMessagesRepository(trx);
        // The newest page, one from the middle and the oldest full page behind a cursor.
        for (const before of [undefined, oldest + 1500, oldest + 50]) {
          const start = await reads(trx);
          const found = await repository.historyWithPeer(a.user.id, b.user.id, 50, before);
          expect(found?.peer.id).toBe(b.user.id);
          expect(found?.items).toHaveLength(50);
          expect(found?.items[0].id).toBe(before === undefined ? Number(ids.at(-1)) : before - 1);
          // The peer and the page's 50 messages, however deep the page lies: nowhere near 3,000.
          expect((await reads(trx)) - start).toBeLessThan(100);
        }
      });
    } else {
      // SQLite keeps no such counters: its plan must search the pair's messages by the
      // index and take their order from it, never scan or sort the messages table.
      for (const [sql, bindings, range] of [
        [peerAndHistorySql('sqlite', false), [b.user.id, low, high, 50], /user_high=\?\)/],
        [peerAndHistorySql('sqlite', true), [b.user.id, low, high, 100, 50], /id<\?\)/],
      ] as const) {
        const plan = (await t.db.raw(`EXPLAIN QUERY PLAN ${sql}`, [...bindings])) as {
          detail: string;
        }[];
        const search = plan.find((row) =>
          /^SEARCH messages USING (COVERING )?INDEX/.test(row.detail),
        );
        expect(search?.detail).toMatch(range);
        expect(
          plan.filter((row) => /TEMP B-TREE|^SCAN (TABLE )?messages\b/.test(row.detail)),
        ).toEqual([]);
      }
    }
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
