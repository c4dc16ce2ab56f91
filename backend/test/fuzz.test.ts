import fc from 'fast-check';
import { bearer, dialects, startTestBackend, type TestContext } from './support/harness';

/** Strings that have broken real systems, mixed with arbitrary Unicode. */
const nasty = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 300 }),
  fc.constantFrom(
    "' OR 1=1 --",
    '<script>alert(1)</script>',
    '"><svg onload=alert(1)>',
    '{{7*7}}',
    '<%= 7*7 %>',
    '\u0000',
    '\u202e',
    '__proto__',
    'constructor',
    '9'.repeat(400),
    '-1',
    '1e309',
    '',
  ),
);
const value: fc.Arbitrary<unknown> = fc.oneof(
  nasty,
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.array(nasty, { maxLength: 3 }),
  fc.dictionary(nasty, nasty, { maxKeys: 3 }),
);
const body = fc.oneof(
  fc.dictionary(
    fc.oneof(
      fc.constantFrom(
        'name',
        'surname',
        'email',
        'password',
        'body',
        'storeCode',
        'productCode',
        'quantity',
      ),
      fc.constantFrom(
        'cardNumber',
        'orderDate',
        'shippingDate',
        'role',
        '__proto__',
        'constructor',
      ),
      nasty,
    ),
    value,
    { maxKeys: 8 },
  ),
  value,
);

const SEED = Number(process.env.FUZZ_SEED ?? 20261122);
const RUNS = Number(process.env.FUZZ_RUNS ?? 400);

describe.each(dialects)('fuzzing every write endpoint (%s)', (dialect) => {
  let t: TestContext;
  let token: string;
  let peerId: number;
  beforeAll(async () => {
    t = await startTestBackend(dialect);
    token = (await t.signup()).token;
    peerId = (await t.signup()).user.id;
  });
  afterAll(() => t.close());

  it(`when ${RUNS} random bodies hit each endpoint (seed ${SEED}), then none gets a 5xx and the process lives`, async () => {
    const endpoints = [
      { method: 'post', path: '/api/v1/auth/signup' },
      { method: 'post', path: '/api/v1/auth/login' },
      { method: 'post', path: '/api/v1/orders' },
      { method: 'post', path: `/api/v1/conversations/${peerId}/messages` },
      { method: 'patch', path: '/api/v1/users/1' },
      { method: 'post', path: '/api/v1/users' },
    ] as const;
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...endpoints),
        body,
        fc.option(nasty),
        async (endpoint, payload, key) => {
          const req = t.api[endpoint.method](endpoint.path).set(bearer(token));
          if (key !== null && key !== '')
            void req.set('Idempotency-Key', encodeURIComponent(key).slice(0, 250));
          const res = await req
            .set('Content-Type', 'application/json')
            .send(JSON.stringify(payload));
          expect(res.status).toBeLessThan(500);
          expect(res.status).toBeGreaterThanOrEqual(200);
        },
      ),
      { seed: SEED, numRuns: RUNS },
    );
    expect(({} as Record<string, unknown>).x).toBeUndefined();
    expect((await t.api.get('/healthz')).status).toBe(200);
  });

  it('when query strings are random, then listing endpoints answer 200 or 400, never 5xx', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(
          '/api/v1/orders',
          '/api/v1/users',
          '/api/v1/conversations',
          `/api/v1/conversations/${peerId}/messages`,
        ),
        fc.dictionary(
          fc.constantFrom('page', 'pageSize', 'cursor', 'limit', 'before', 'x'),
          fc.array(nasty, { minLength: 1, maxLength: 2 }),
        ),
        async (path, query) => {
          const qs = Object.entries(query)
            .flatMap(([k, vs]) => vs.map((v) => `${k}=${encodeURIComponent(v)}`))
            .join('&');
          const res = await t.api.get(`${path}?${qs}`).set(bearer(token));
          expect([200, 400]).toContain(res.status);
        },
      ),
      { seed: SEED, numRuns: Math.ceil(RUNS / 2) },
    );
  });
});
