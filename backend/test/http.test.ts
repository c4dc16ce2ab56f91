import http from 'node:http';
import {
  bearer,
  dialects,
  startTestBackend,
  validOrder,
  type TestContext,
} from './support/harness';

describe.each(dialects)('HTTP contract (%s)', (dialect) => {
  let t: TestContext;
  let token: string;
  beforeAll(async () => {
    t = await startTestBackend(dialect);
    token = (await t.signup()).token;
  });
  afterAll(() => t.close());

  it('when the body is not valid JSON, then 400 malformed_json as problem+json', async () => {
    const res = await t.api
      .post('/api/v1/orders')
      .set(bearer(token))
      .set('Content-Type', 'application/json')
      .send('{"storeCode": ');
    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body).toMatchObject({
      code: 'malformed_json',
      status: 400,
      type: 'urn:tradepost:problem:malformed_json',
    });
  });

  it('when the body is form-encoded or text, then 415', async () => {
    const form = await t.api.post('/api/v1/auth/login').type('form').send('email=a@b.c&password=x');
    expect(form.status).toBe(415);
    expect(form.body.code).toBe('unsupported_media_type');
    const text = await t.api
      .post('/api/v1/auth/login')
      .set('Content-Type', 'text/plain')
      .send('hello');
    expect(text.status).toBe(415);
  });

  it('when the body is over 64 KiB, then 413 and the process carries on', async () => {
    const res = await t.api
      .post('/api/v1/conversations/1/messages')
      .set(bearer(token))
      .send({ body: 'x'.repeat(70 * 1024) });
    expect(res.status).toBe(413);
    expect(res.body.code).toBe('payload_too_large');
    expect((await t.api.get('/healthz')).status).toBe(200);
  });

  it('when the route does not exist, then 404 problem+json', async () => {
    for (const path of ['/api/v1/nope', '/nope', '/api/v2/orders']) {
      const res = await t.api.get(path).set(bearer(token));
      expect(res.status).toBe(404);
      expect(res.body.code).toBe('not_found');
    }
    expect((await t.api.put('/api/v1/orders').set(bearer(token)).send({})).status).toBe(404);
  });

  it('when a request carries X-Request-Id, then it is echoed; a hostile one is replaced', async () => {
    const kept = await t.api.get('/healthz').set('X-Request-Id', 'abc12345-req');
    expect(kept.headers['x-request-id']).toBe('abc12345-req');
    const replaced = await t.api.get('/healthz').set('X-Request-Id', 'bad id\twith spaces');
    expect(replaced.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('when the OpenAPI document is fetched, then it is 3.1 and documents every API route', async () => {
    const res = await t.api.get('/openapi.json');
    expect(res.status).toBe(200);
    expect(res.body.openapi).toBe('3.1.0');
    const operations = Object.entries(
      res.body.paths as Record<string, Record<string, unknown>>,
    ).flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`));
    expect(operations.sort()).toEqual(
      [
        'POST /auth/signup',
        'POST /auth/login',
        'POST /auth/logout',
        'GET /me',
        'GET /users',
        'POST /users',
        'POST /users/{id}/password-reset',
        'GET /users/{id}',
        'PATCH /users/{id}',
        'POST /auth/invitations/accept',
        'DELETE /users/{id}',
        'GET /conversations',
        'GET /conversations/{userId}/messages',
        'GET /invitations/{token}',
        'POST /conversations/{userId}/messages',
        'POST /invitations',
        'POST /me/password',
        'DELETE /messages/{id}',
        'GET /orders',
        'POST /orders',
        'GET /orders/{id}',
        'GET /orders/export.csv',
        'POST /orders/{id}/moves',
        'GET /orders/{id}/history',
      ].sort(),
    );
    const createOrder = res.body.components.schemas.CreateOrder;
    expect(createOrder.required).toEqual(
      expect.arrayContaining([
        'storeCode',
        'productCode',
        'quantity',
        'cardNumber',
        'orderDate',
        'shippingDate',
      ]),
    );
    expect((await t.api.get('/docs/')).text).toContain('swagger-ui');
  });

  it('when metrics are scraped, then requests are counted by route template, never by raw URL', async () => {
    await t.api.get('/api/v1/users/12345').set(bearer(token));
    const res = await t.api.get('/metrics');
    expect(res.status).toBe(200);
    expect(res.text).toMatch(
      /http_requests_total\{method="GET",route="\/api\/v1\/users\/\{id\}",status="404"\} \d+/,
    );
    expect(res.text).not.toContain('/api/v1/users/12345');
    expect(res.text).toMatch(/db_pool_connections\{state="used"\}/);
    expect(res.text).toContain('tradepost_signups_total 1');
    expect(res.text).toContain('process_resident_memory_bytes');
  });

  it('when pages are read and orders created, then every statement is timed by operation', async () => {
    const count = async (operation: string) => {
      const text = (await t.api.get('/metrics')).text;
      const line = new RegExp(
        `^db_query_duration_seconds_count\\{operation="${operation}",outcome="ok"\\} (\\d+)$`,
        'm',
      ).exec(text);
      return Number(line?.[1] ?? 0);
    };
    const [selects, inserts, calls] = [
      await count('select'),
      await count('insert'),
      await count('call'),
    ];
    // The orders page reads the session and the page in one statement.
    expect((await t.api.get('/api/v1/orders?page=1').set(bearer(token))).status).toBe(200);
    expect(await count('select')).toBe(selects + 1);
    // Elsewhere the session lookup comes first, then the route's own reads.
    const users = await count('select');
    expect((await t.api.get('/api/v1/users').set(bearer(token))).status).toBe(200);
    expect(await count('select')).toBeGreaterThanOrEqual(users + 2);
    // The key's claim and the order itself: one CALL of a stored procedure on MySQL,
    // two inserts (and the counter's update) in a transaction on SQLite.
    const created = await t.api
      .post('/api/v1/orders')
      .set(bearer(token))
      .set('Idempotency-Key', `metrics-${Date.now()}`)
      .send(validOrder());
    expect(created.status).toBe(201);
    if (dialect === 'mysql') {
      expect(await count('call')).toBe(calls + 1);
      expect(await count('insert')).toBe(inserts);
    } else {
      expect(await count('insert')).toBeGreaterThanOrEqual(inserts + 2);
    }
  });

  it('when healthy, then /healthz and /readyz are 200; while draining, /readyz is 503 and responses say Connection: close', async () => {
    expect((await t.api.get('/healthz')).status).toBe(200);
    expect((await t.api.get('/readyz')).status).toBe(200);
    t.backend.lifecycle.draining = true;
    try {
      const ready = await t.api.get('/readyz');
      expect(ready.status).toBe(503);
      expect(ready.body.reason).toBe('draining');
      expect((await t.api.get('/healthz')).headers.connection).toBe('close');
    } finally {
      t.backend.lifecycle.draining = false;
    }
  });

  it('when a header block is huge, then Node refuses it with 431 and stays up', async () => {
    const status = await new Promise<number>((resolve, reject) => {
      const url = new URL(t.backend.url);
      const req = http.get(
        {
          host: url.hostname,
          port: url.port,
          path: '/healthz',
          headers: { 'X-Big': 'x'.repeat(20 * 1024) },
        },
        (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        },
      );
      req.on('error', reject);
    });
    expect(status).toBe(431);
    expect((await t.api.get('/healthz')).status).toBe(200);
  });
});
