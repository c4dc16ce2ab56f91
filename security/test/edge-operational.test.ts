import type http from 'node:http';
import {
  generateCertificate,
  send,
  startNginx,
  startUpstream,
  type Certificate,
} from '../../nginx/test/support';
import { startStack, type Stack } from '../../scripts/lib/stack';
import { missingPrograms, needing } from '../../scripts/lib/test-deps';
import { rawRequest } from './support/raw-http';

/**
 * What only Prometheus and the orchestrator ask for — /metrics, /healthz, /livez and
 * /readyz on every replica — is asked of each pod directly. Through nginx, the public
 * entry point, no spelling of those paths may reach a replica: the attacker writes the
 * request line byte for byte, as a browser or curl would not.
 */
const OPERATIONAL = ['metrics', 'healthz', 'livez', 'readyz'];

/** Ways to write `/<name>` that a server might take for it. */
function spellings(name: string): string[] {
  const upper = name.toUpperCase();
  const capital = name[0].toUpperCase() + name.slice(1);
  const first = name.charCodeAt(0).toString(16);
  return [
    `/${name}`,
    `/${name}/`,
    `/${upper}`,
    `/${capital}/`,
    `//${name}`,
    `///${name}/`,
    `/%${first}${name.slice(1)}`,
    `/%${first.toUpperCase()}${name.slice(1)}`,
    `/${name.replace(/./g, (c) => `%${c.charCodeAt(0).toString(16)}`)}`,
    `/${name};x`,
    `/${name};`,
    `/${name}.`,
    `/${name}%2F`,
    `/${name}%20`,
    `/./${name}`,
    `/%2e/${name}`,
    `/x/../${name}`,
    `/assets/../${name}`,
    `/assets/%2e%2e/${name}`,
    `/${name}?format=text`,
    `/${name}#x`,
    `http://127.0.0.1/${name}`,
    `http://127.0.0.1/${upper}/`,
  ];
}

const NEEDS = ['nginx', 'openssl'];
// Every suite here drives a real nginx; without it they are reported as not run.
const describe = needing(NEEDS);
const runnable = missingPrograms(NEEDS).length === 0;

let stack: Stack;
beforeAll(async () => {
  if (!runnable) return;
  stack = await startStack({
    frontends: 1,
    database: 'sqlite',
    frontendEnv: { SHUTDOWN_DRAIN_MS: '0' },
    backendEnv: { SHUTDOWN_DRAIN_MS: '0' },
  });
}, 90_000);
afterAll(() => stack?.stop());

/** What each operational path shows when it does answer: Prometheus text or a status. */
const leaked = (body: string) => /# HELP|# TYPE|"status"/.test(body);

describe('operational endpoints through the public entry point', () => {
  it('when the replica is asked directly, then it does serve them (so a leak would be seen)', async () => {
    const replica = stack.frontends[0].port;
    for (const name of OPERATIONAL) {
      const res = await rawRequest(replica, `/${name}`);
      expect({ name, status: res.status, leaked: leaked(res.body) }).toEqual({
        name,
        status: 200,
        leaked: true,
      });
    }
  });

  it.each(OPERATIONAL)(
    'when /%s is asked through nginx by any spelling, then nginx answers 404 itself and no replica sees it',
    async (name) => {
      const seen: string[] = [];
      for (const target of spellings(name)) {
        const res = await rawRequest(stack.nginx.port, target);
        // nginx's own 404 page, not the frontend's (which is a Tradepost page).
        const byNginx = res.status === 404 && res.body.includes('<center>nginx</center>');
        if (!byNginx || leaked(res.body)) seen.push(`${target} → ${res.status}`);
      }
      expect(seen).toEqual([]);
    },
  );

  it('when the replicas stop answering other spellings, then a spelling that reached one would still be a 404', async () => {
    const replica = stack.frontends[0].port;
    for (const name of OPERATIONAL) {
      for (const target of [`/${name}/`, `/${name.toUpperCase()}`, `/${name};x`]) {
        const res = await rawRequest(replica, target);
        expect({ target, status: res.status, leaked: leaked(res.body) }).toEqual({
          target,
          status: 404,
          leaked: false,
        });
      }
    }
  });
});

/** A replica that would serve anything it is sent as metrics: whatever reaches it leaks. */
const servesEverything: http.RequestListener = (req, res) => {
  req.resume();
  res.setHeader('Content-Type', 'text/plain');
  res.end('# HELP leaked a replica was reached\n');
};

for (const [mode, tls] of [
  ['behind a TLS load balancer, as Kubernetes runs it (NGINX_TLS=offloaded)', 'offloaded'],
  ['terminating TLS itself (NGINX_TLS=terminate)', 'terminate'],
] as const) {
  describe(`the same spellings through nginx ${mode}`, () => {
    it('when any spelling of an operational path is asked on the HTTPS port, then nginx answers 404 itself', async () => {
      const cert: Certificate = generateCertificate();
      const replica = await startUpstream(servesEverything);
      const nginx = await startNginx([replica.port], {
        NGINX_TLS: tls,
        NGINX_TLS_CERT: cert.certFile,
        NGINX_TLS_KEY: cert.keyFile,
      });
      try {
        const base = `${tls === 'terminate' ? 'https' : 'http'}://127.0.0.1:${nginx.httpsPort}`;
        // The replica is there and reached for an ordinary page.
        expect((await send(base, { path: '/orders', ca: cert.cert })).status).toBe(200);
        const reached = replica.hits.length;
        const seen: string[] = [];
        for (const target of OPERATIONAL.flatMap(spellings)) {
          // Node's client sends the target as written; absolute-form targets go as they are.
          const res = await send(base, { path: target, ca: cert.cert });
          if (res.status !== 404 || leaked(res.body.toString()))
            seen.push(`${target} → ${res.status}`);
        }
        expect(seen).toEqual([]);
        expect(replica.hits.slice(reached).map((h) => h.url)).toEqual([]);
      } finally {
        await nginx.stop();
        await replica.close();
        cert.remove();
      }
    });
  });
}
