import { startStack, type Stack } from '../../scripts/lib/stack';
import { missingPrograms, needing } from '../../scripts/lib/test-deps';
import { rawRequest } from './support/raw-http';

/**
 * nginx limits password and one-time-link posts per client address. An attacker who
 * finds a spelling of the path that the limit misses but a service still answers gets
 * unlimited guesses, each costing an argon2 hash. So both halves are replayed here:
 * every spelling is limited at the edge, and the services answer only one spelling.
 */
const RATE = '1r/m';
const BURST = 2;

/** Spellings of the sign-in and sign-up paths, the API's auth paths and those to come. */
const SPELLINGS = [
  '/login',
  '/login/',
  '/LOGIN',
  '/Login/',
  '//login',
  '/./login',
  '/%6cogin',
  '/%4C%4F%47%49%4E',
  '/login;x',
  '/orders/../login',
  '/login?next=/orders',
  'http://127.0.0.1/LOGIN',
  '/signup',
  '/SignUp/',
  '/%73ignup',
  '/api/v1/auth/login',
  '/API/V1/AUTH/LOGIN/',
  '/api/v1/auth/signup',
  '/api//v1/auth/Login',
  '/api/v1/auth/invitations/abc/accept',
  '/api/v1/auth/password',
  '/invitations/abc',
  '/INVITATIONS/abc/',
  '/password',
  '/account/Password/',
  '/users/7/password',
  '/password-reset/abc',
];

const NEEDS = ['nginx'];
// Every suite here drives a real nginx; without it they are reported as not run.
const describe = needing(NEEDS);
const runnable = missingPrograms(NEEDS).length === 0;

let stack: Stack;
beforeAll(async () => {
  if (!runnable) return;
  stack = await startStack({
    frontends: 1,
    database: 'sqlite',
    nginxEnv: { NGINX_AUTH_RATE: RATE, NGINX_AUTH_BURST: String(BURST) },
    frontendEnv: { SHUTDOWN_DRAIN_MS: '0' },
    backendEnv: { SHUTDOWN_DRAIN_MS: '0' },
  });
}, 90_000);
afterAll(() => stack?.stop());

const FORM = {
  'Content-Type': 'application/x-www-form-urlencoded',
  Origin: 'http://127.0.0.1',
};

describe('the sign-in limit at the edge', () => {
  it('when any spelling of an auth path is posted to beyond the limit, then nginx answers 429', async () => {
    const unlimited: string[] = [];
    // Each spelling from an address of its own, so that each meets a fresh limit.
    for (const [i, target] of SPELLINGS.entries()) {
      const statuses: number[] = [];
      for (let n = 0; n <= BURST + 1; n++) {
        const res = await rawRequest(stack.nginx.port, target, {
          method: 'POST',
          headers: FORM,
          body: 'email=owner%40example.test&password=guess-number-' + n,
          localAddress: `127.0.1.${i + 1}`,
        });
        statuses.push(res.status);
      }
      // 1 at the rate plus the burst go through; the next is refused.
      if (statuses.slice(0, BURST + 1).includes(429) || statuses[BURST + 1] !== 429) {
        unlimited.push(`${target}: ${statuses.join(' ')}`);
      }
    }
    expect(unlimited).toEqual([]);
  });

  it('when one address is limited on one spelling, then every other spelling is limited too, and pages still show', async () => {
    const from = { localAddress: '127.0.2.1' };
    for (let n = 0; n <= BURST; n++) {
      await rawRequest(stack.nginx.port, '/login', { method: 'POST', headers: FORM, ...from });
    }
    for (const target of ['/LOGIN/', '/signup', '/api/v1/auth/login', '/invitations/x']) {
      const res = await rawRequest(stack.nginx.port, target, {
        method: 'POST',
        headers: FORM,
        ...from,
      });
      expect({ target, status: res.status }).toEqual({ target, status: 429 });
    }
    // Viewing the form is never limited.
    expect((await rawRequest(stack.nginx.port, '/login', from)).status).toBe(200);
  });
});

describe('one spelling per path in the services', () => {
  it('when a page is asked by another spelling through nginx, then the frontend answers 404', async () => {
    for (const page of ['/login', '/signup']) {
      expect((await rawRequest(stack.nginx.port, page)).status).toBe(200);
      for (const target of [
        `${page}/`,
        page.toUpperCase(),
        `/${page[1].toUpperCase()}${page.slice(2)}`,
      ]) {
        const res = await rawRequest(stack.nginx.port, target);
        expect({ target, status: res.status }).toEqual({ target, status: 404 });
      }
    }
    // Signed-in pages: another case is no page at all (below /orders/ a visitor is first
    // asked to sign in, as for any address there).
    for (const page of ['/orders', '/users', '/messages', '/orders/new']) {
      expect((await rawRequest(stack.nginx.port, page)).status).toBe(303);
      const res = await rawRequest(stack.nginx.port, page.toUpperCase());
      expect({ page, status: res.status }).toEqual({ page, status: 404 });
    }
  });

  it('when any API operation is asked by another spelling, then the backend answers 404, not the operation', async () => {
    const res = await fetch(`${stack.backend.url}/openapi.json`);
    const document = (await res.json()) as { paths: Record<string, Record<string, unknown>> };
    const operations = Object.entries(document.paths).flatMap(([path, methods]) =>
      Object.keys(methods).map((method) => ({
        method: method.toUpperCase(),
        // Any id will do: the path must not match, whatever the parameters.
        path: `/api/v1${path.replace(/\{[^}]+\}/g, '1')}`,
      })),
    );
    expect(operations.map((o) => o.path)).toContain('/api/v1/auth/login');
    // A spelling that is itself a documented route (`/orders/export.CSV` is the order
    // "export.CSV") is that route, not another spelling of this one.
    const routes = Object.keys(document.paths).map(
      (path) => new RegExp(`^/api/v1${path.replace(/\{[^}]+\}/g, '[^/]+')}$`),
    );
    const answered: string[] = [];
    for (const { method, path } of operations) {
      const variants = [
        `${path}/`,
        path.toUpperCase(),
        path.replace('/api/v1', '/API/V1'),
        path.replace(/[a-z]+(?=[^a-z]*$)/, (w) => w.toUpperCase()),
      ];
      for (const target of new Set(variants)) {
        if (routes.some((route) => route.test(target))) continue;
        const reply = await rawRequest(stack.backend.port, target, {
          method,
          headers: { 'Content-Type': 'application/json', Authorization: 'Bearer x' },
          body: method === 'GET' || method === 'DELETE' ? '' : '{}',
        });
        if (reply.status !== 404) answered.push(`${method} ${target} → ${reply.status}`);
      }
    }
    expect(answered).toEqual([]);
  });

  it('when the API login is asked by its own spelling, then it answers (the 404s above are not a broken route)', async () => {
    const reply = await rawRequest(stack.backend.port, '/api/v1/auth/login', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ email: 'nobody@example.test', password: 'not the password at all' }),
    });
    expect(reply.status).toBe(401);
  });
});
