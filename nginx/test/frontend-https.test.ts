import { readFileSync, writeFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { freePort } from '../../scripts/lib/mariadb';
import { startStack, type Stack } from '../../scripts/lib/stack';
import { headerCount, send, type Reply } from './support';
import { needing } from '../../scripts/lib/test-deps';

const describe = needing(['nginx']);

const TIMEOUT_MS = 90_000;

/** name=value of each Set-Cookie, and whether it was marked Secure. */
const cookies = (reply: Reply) =>
  (reply.headers['set-cookie'] ?? []).map((line) => ({
    pair: line.split(';')[0],
    secure: /;\s*Secure/i.test(line),
  }));

/**
 * Sign in as a browser on https://<host> would, through the port the load balancer
 * sends decrypted HTTPS to: read the form, post it back with its token and cookies.
 */
async function signIn(stack: Stack, httpsPort: number) {
  const base = `http://127.0.0.1:${httpsPort}`;
  const origin = `https://127.0.0.1:${httpsPort}`;
  const form = await send(base, { path: '/login' });
  const csrf = /name="_csrf" value="([^"]+)"/.exec(form.body.toString())?.[1] ?? '';
  const posted = await send(base, {
    method: 'POST',
    path: '/login',
    headers: {
      'Content-Type': 'application/x-www-form-urlencoded',
      Cookie: cookies(form)
        .map((c) => c.pair)
        .join('; '),
      Origin: origin,
      'Sec-Fetch-Site': 'same-origin',
    },
    body: new URLSearchParams({
      _csrf: csrf,
      email: stack.admin.email,
      password: stack.admin.password,
    }).toString(),
  });
  return { form, posted };
}

describe('the real frontend behind nginx, with HTTPS decrypted by a load balancer (NGINX_TLS=offloaded)', () => {
  let stack: Stack;
  let httpsPort: number;
  beforeAll(async () => {
    httpsPort = await freePort();
    stack = await startStack({
      frontends: 1,
      database: 'sqlite',
      nginxEnv: {
        NGINX_TLS: 'offloaded',
        NGINX_HTTPS_PORT: String(httpsPort),
        NGINX_PUBLIC_HTTPS_PORT: String(httpsPort),
      },
      backendEnv: { LOG_LEVEL: 'warn' },
      frontendEnv: { LOG_LEVEL: 'warn' },
    });
  }, TIMEOUT_MS);
  afterAll(async () => {
    await stack?.stop();
  }, TIMEOUT_MS);

  it(
    'when a visitor signs in, then every cookie is __Host- and Secure, HSTS is sent once, and the form post is accepted',
    async () => {
      const { form, posted } = await signIn(stack, httpsPort);
      expect(form.status).toBe(200);
      expect(cookies(form).length).toBeGreaterThan(0);
      for (const cookie of [...cookies(form), ...cookies(posted)]) {
        expect(cookie).toEqual({ pair: expect.stringMatching(/^__Host-/), secure: true });
      }
      expect(form.headers['strict-transport-security']).toBe('max-age=31536000; includeSubDomains');
      expect(headerCount(form, 'strict-transport-security')).toBe(1);
      expect(posted.status).toBe(303);
      expect(posted.headers.location).toBe('/');
    },
    TIMEOUT_MS,
  );

  it(
    "control: when nginx passes its own connection's scheme instead (http behind the load balancer), then cookies lose Secure and the post is refused",
    async () => {
      const conf = readFileSync(stack.nginx.confFile, 'utf8');
      expect(conf).toContain('X-Forwarded-Proto $tp_scheme;');
      writeFileSync(
        stack.nginx.confFile,
        conf.replace('X-Forwarded-Proto $tp_scheme;', 'X-Forwarded-Proto $scheme;'),
      );
      await stack.reloadNginx();
      await sleep(1000);
      const { form, posted } = await signIn(stack, httpsPort);
      expect(cookies(form).every((c) => !c.secure && !c.pair.startsWith('__Host-'))).toBe(true);
      expect(posted.status).toBe(403);
    },
    TIMEOUT_MS,
  );
});
