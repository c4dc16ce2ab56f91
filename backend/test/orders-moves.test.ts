import {
  bearer,
  dialects,
  startTestBackend,
  validOrder,
  type TestContext,
} from './support/harness';

const NOW = Date.UTC(2026, 0, 20, 12);

interface Order {
  id: string;
  state: string;
  version: number;
  shippedOn: string | null;
}

describe.each(dialects)('orders moving through their states (%s)', (dialect) => {
  let t: TestContext;
  let owner: { token: string; user: { id: number } };
  let colleague: { token: string; user: { id: number } };
  let admin: { token: string };
  beforeAll(async () => {
    t = await startTestBackend(dialect, { clock: () => NOW });
    owner = await t.signup({ name: 'Olive', surname: 'Owner' });
    colleague = await t.signup({ name: 'Colin', surname: 'Colleague' });
    admin = await t.admin();
  });
  afterAll(() => t.close());

  const place = async (): Promise<Order> => {
    const res = await t.api.post('/api/v1/orders').set(bearer(owner.token)).send(validOrder());
    expect(res.status).toBe(201);
    return res.body as Order;
  };
  const move = (token: string, id: string, body: Record<string, unknown>, key?: string) => {
    const req = t.api.post(`/api/v1/orders/${id}/moves`).set(bearer(token));
    if (key) void req.set('Idempotency-Key', key);
    return req.send(body);
  };
  const history = async (id: string) =>
    (await t.api.get(`/api/v1/orders/${id}/history`).set(bearer(owner.token))).body.items as {
      from: string;
      to: string;
      user: { id: number; name: string } | null;
      shippedOn: string | null;
      version: number;
      at: string;
    }[];

  it('when a new order is read, then it is placed, at version 1, with an empty history', async () => {
    const order = await place();
    expect(order).toMatchObject({ state: 'placed', shippedOn: null, version: 1 });
    expect(await history(order.id)).toEqual([]);
  });

  it("when a colleague ships someone else's order and another delivers it, then each move is kept with who and when", async () => {
    const order = await place();
    const shipped = await move(colleague.token, order.id, {
      state: 'shipped',
      shippedOn: '2026-01-15',
      version: 1,
    });
    expect(shipped.status).toBe(200);
    expect(shipped.body).toMatchObject({ state: 'shipped', shippedOn: '2026-01-15', version: 2 });
    const delivered = await move(owner.token, order.id, { state: 'delivered', version: 2 });
    expect(delivered.status).toBe(200);
    expect(delivered.body).toMatchObject({
      state: 'delivered',
      shippedOn: '2026-01-15',
      version: 3,
    });
    const read = await t.api.get(`/api/v1/orders/${order.id}`).set(bearer(owner.token));
    expect(read.body).toEqual(delivered.body);
    expect(await history(order.id)).toEqual([
      {
        id: expect.any(Number),
        from: 'placed',
        to: 'shipped',
        shippedOn: '2026-01-15',
        version: 2,
        user: { id: colleague.user.id, name: 'Colin', surname: 'Colleague' },
        at: new Date(NOW).toISOString(),
      },
      {
        id: expect.any(Number),
        from: 'shipped',
        to: 'delivered',
        shippedOn: null,
        version: 3,
        user: { id: owner.user.id, name: 'Olive', surname: 'Owner' },
        at: new Date(NOW).toISOString(),
      },
    ]);
  });

  it.each([
    ['placed', 'delivered', []],
    ['shipped', 'cancelled', ['shipped']],
    ['shipped', 'shipped', ['shipped']],
    ['delivered', 'cancelled', ['shipped', 'delivered']],
    ['cancelled', 'shipped', ['cancelled']],
  ] as const)(
    'when a %s order is moved to %s, then 409 and the order stays as it was',
    async (_from, to, path) => {
      const order = await place();
      let version = 1;
      for (const step of path) {
        const body =
          step === 'shipped'
            ? { state: step, shippedOn: '2026-01-15', version }
            : { state: step, version };
        expect((await move(owner.token, order.id, body)).status).toBe(200);
        version += 1;
      }
      const body =
        to === 'shipped' ? { state: to, shippedOn: '2026-01-15', version } : { state: to, version };
      const res = await move(admin.token, order.id, body);
      expect(res.status).toBe(409);
      expect(res.body.code).toBe('move_not_allowed');
      expect(await history(order.id)).toHaveLength(path.length);
    },
  );

  it('when a member cancels an order someone else placed, then 403 and nothing changes', async () => {
    const order = await place();
    const res = await move(colleague.token, order.id, { state: 'cancelled', version: 1 });
    expect(res.status).toBe(403);
    expect(res.body.code).toBe('forbidden');
    expect(await history(order.id)).toEqual([]);
  });

  it('when the member who placed it or an admin cancels an order, then it is cancelled', async () => {
    const mine = await place();
    expect((await move(owner.token, mine.id, { state: 'cancelled', version: 1 })).body.state).toBe(
      'cancelled',
    );
    const theirs = await place();
    const res = await move(admin.token, theirs.id, { state: 'cancelled', version: 1 });
    expect(res.status).toBe(200);
    expect(res.body.state).toBe('cancelled');
  });

  it.each([
    ['shippedOn', { state: 'shipped', version: 1 }],
    ['shippedOn', { state: 'shipped', shippedOn: '2026-01-05', version: 1 }],
    ['shippedOn', { state: 'shipped', shippedOn: '2027-01-05', version: 1 }],
    ['shippedOn', { state: 'delivered', shippedOn: '2026-01-15', version: 1 }],
    ['state', { state: 'placed', version: 1 }],
    ['version', { state: 'cancelled' }],
  ])('when %s is wrong in %j, then 400 names it and nothing changes', async (field, body) => {
    const order = await place();
    const res = await move(owner.token, order.id, body);
    expect(res.status).toBe(400);
    expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
    expect(await history(order.id)).toEqual([]);
  });

  it('when the second of two people saves a stale copy, then 409 says what changed and nothing is overwritten', async () => {
    const order = await place();
    // Both opened version 1; the colleague ships it first.
    expect(
      (
        await move(colleague.token, order.id, {
          state: 'shipped',
          shippedOn: '2026-01-16',
          version: 1,
        })
      ).status,
    ).toBe(200);
    const stale = await move(owner.token, order.id, { state: 'cancelled', version: 1 });
    expect(stale.status).toBe(409);
    expect(stale.body.code).toBe('order_changed');
    expect(stale.body.detail).toContain('shipped on 2026-01-16 by Colin Colleague');
    expect(stale.body.current).toMatchObject({ state: 'shipped', version: 2 });
    expect(stale.body.changes).toEqual([
      expect.objectContaining({ from: 'placed', to: 'shipped', version: 2 }),
    ]);
    const read = await t.api.get(`/api/v1/orders/${order.id}`).set(bearer(owner.token));
    expect(read.body).toMatchObject({ state: 'shipped', version: 2 });
  });

  it('when two saves of the same version race, then exactly one wins and the other hears 409', async () => {
    const order = await place();
    const results = await Promise.all([
      move(owner.token, order.id, { state: 'shipped', shippedOn: '2026-01-15', version: 1 }),
      move(colleague.token, order.id, { state: 'shipped', shippedOn: '2026-01-16', version: 1 }),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual([200, 409]);
    expect(await history(order.id)).toHaveLength(1);
  });

  it('when a move is retried with its Idempotency-Key, then the first answer is replayed and it happens once', async () => {
    const order = await place();
    const body = { state: 'shipped', shippedOn: '2026-01-15', version: 1 };
    const first = await move(colleague.token, order.id, body, 'move-key-0001');
    const again = await move(colleague.token, order.id, body, 'move-key-0001');
    expect(first.status).toBe(200);
    expect(again.status).toBe(200);
    expect(again.body).toEqual(first.body);
    expect(await history(order.id)).toHaveLength(1);
    const other = await move(
      colleague.token,
      order.id,
      { ...body, shippedOn: '2026-01-14' },
      'move-key-0001',
    );
    expect(other.status).toBe(422);
  });

  it('when a move is retried without a key, then the retry hears 409 naming its own first save', async () => {
    const order = await place();
    const body = { state: 'shipped', shippedOn: '2026-01-15', version: 1 };
    expect((await move(owner.token, order.id, body)).status).toBe(200);
    const retry = await move(owner.token, order.id, body);
    expect(retry.status).toBe(409);
    expect(retry.body.changes).toHaveLength(1);
    expect(await history(order.id)).toHaveLength(1);
  });

  it('when the order does not exist or no session is presented, then 404 or 401', async () => {
    const missing = '00000000-0000-4000-8000-000000000000';
    expect((await move(owner.token, missing, { state: 'cancelled', version: 1 })).status).toBe(404);
    expect(
      (await t.api.get(`/api/v1/orders/${missing}/history`).set(bearer(owner.token))).status,
    ).toBe(404);
    const order = await place();
    const res = await t.api
      .post(`/api/v1/orders/${order.id}/moves`)
      .send({ state: 'cancelled', version: 1 });
    expect(res.status).toBe(401);
    expect((await t.api.get(`/api/v1/orders/${order.id}/history`)).status).toBe(401);
  });
});
