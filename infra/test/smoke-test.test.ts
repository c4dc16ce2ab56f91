import { execFile, execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer as createHttp, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createHttps } from 'node:https';
import type { AddressInfo, Server } from 'node:net';
import { createSecureContext } from 'node:tls';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describeNeeding } from '../../scripts/lib/test-deps';

/**
 * scripts/ci/smoke-test.sh against a stand-in for the nginx load balancer on loopback: an
 * HTTPS listener with a certificate for the environment's host name (generated here, trusted
 * through CURL_CA_BUNDLE) and an HTTP listener, behaving as nginx does in front of the app,
 * or breaking one rule at a time. kubectl is the stub of fixtures/ci-stubs.
 */
const ROOT = join(__dirname, '..', '..');
const SCRIPT = join(ROOT, 'scripts', 'ci', 'smoke-test.sh');
const STUBS = join(__dirname, 'fixtures', 'ci-stubs');
const SETTINGS = join(__dirname, 'fixtures', 'aws-settings');
const HOST = 'shop.tradepost.test'; // app_host_name of fixtures/aws-settings/prod.yaml
const SHA = 'd'.repeat(40);
const HSTS = 'max-age=31536000; includeSubDomains';

interface Behaviour {
  hsts: string | null;
  redirect: number;
  certificateName: string;
}

let dir: string;
let behaviour: Behaviour;
const servers: Server[] = [];
let ports = { https: 0, http: 0 };
const certs: Record<string, { key: string; cert: string; file: string }> = {};

function certificate(name: string) {
  const key = join(dir, `${name}.key`);
  const file = join(dir, `${name}.pem`);
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-keyout',
      key,
      '-out',
      file,
      '-days',
      '1',
      '-subj',
      `/CN=${name}`,
      '-addext',
      `subjectAltName=DNS:${name}`,
    ],
    { stdio: 'ignore' },
  );
  return { key: readFileSync(key, 'utf8'), cert: readFileSync(file, 'utf8'), file };
}

function app(req: IncomingMessage, res: ServerResponse) {
  const headers: Record<string, string> = {
    'content-type': 'text/html; charset=utf-8',
    'x-request-id': 'abc123',
  };
  if (behaviour.hsts) headers['strict-transport-security'] = behaviour.hsts;
  res.writeHead(200, headers).end(`<!doctype html><html><body>${req.url}</body></html>`);
}

function edge(req: IncomingMessage, res: ServerResponse) {
  if (req.url === '/nginx-health') return res.writeHead(200).end('ok\n');
  if (behaviour.redirect === 301)
    return res.writeHead(301, { location: `https://${req.headers.host}${req.url}` }).end();
  app(req, res);
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'smoke-'));
  certs.good = certificate(HOST);
  certs.other = certificate('other.tradepost.test');
  const https = createHttps(
    {
      SNICallback: (_name, cb) =>
        cb(
          null,
          createSecureContext(behaviour.certificateName === HOST ? certs.good : certs.other),
        ),
      ...certs.good,
    },
    app,
  );
  const http = createHttp(edge);
  for (const server of [https, http]) {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    servers.push(server);
  }
  ports = {
    https: (https.address() as AddressInfo).port,
    http: (http.address() as AddressInfo).port,
  };
});
afterAll(async () => {
  for (const s of servers) await new Promise((resolve) => s.close(resolve));
  rmSync(dir, { recursive: true, force: true });
});

beforeEach(() => {
  behaviour = { hsts: HSTS, redirect: 301, certificateName: HOST };
});

async function smoke(env: Record<string, string> = {}) {
  const state = mkdtempSync(join(dir, 'state-'));
  mkdirSync(join(state, 'deploy'));
  writeFileSync(join(state, 'calls'), '');
  for (const d of ['backend', 'frontend', 'nginx'])
    writeFileSync(join(state, 'deploy', `${d}.image`), `registry.example/tradepost-${d}:${SHA}\n`);
  const inherited = Object.fromEntries(
    Object.entries(process.env).filter(([k]) => k !== 'EKS_CLUSTER' && k !== 'KUBECONFIG'),
  );
  try {
    const { stderr } = await promisify(execFile)(SCRIPT, ['prod', SHA], {
      cwd: ROOT,
      timeout: 60_000,
      env: {
        ...inherited,
        PATH: `${STUBS}:${process.env.PATH}`,
        STUB_STATE: state,
        AWS_SETTINGS_DIR: SETTINGS,
        STUB_LB_ADDRESS: '127.0.0.1',
        STUB_LB_HTTPS_PORT: String(ports.https),
        STUB_LB_HTTP_PORT: String(ports.http),
        CURL_CA_BUNDLE: certs.good.file,
        SMOKE_WAIT_SECONDS: '2',
        ...env,
      },
    });
    return { code: 0, stderr };
  } catch (e) {
    const err = e as { code: number; stderr: string };
    return { code: err.code, stderr: err.stderr };
  }
}

describeNeeding(['openssl', 'curl'], 'smoke-test.sh', () => {
  it('when the load balancer serves the host over HTTPS with HSTS and redirects HTTP, then it passes', async () => {
    const { code, stderr } = await smoke();
    expect(stderr).toMatch(/smoke test passed at https:\/\/shop\.tradepost\.test/);
    expect(code).toBe(0);
  }, 60_000);

  it('when HTTP answers the page instead of redirecting (as plain-HTTP nginx did), then it fails', async () => {
    behaviour.redirect = 200;
    const { code, stderr } = await smoke();
    expect(code).not.toBe(0);
    expect(stderr).toMatch(
      /GET http:\/\/shop\.tradepost\.test\/login answered 200 to '', not 301 to https:\/\/shop\.tradepost\.test\/login/,
    );
  }, 60_000);

  it.each<[string, string | null]>([
    ['missing', null],
    ['shorter than a year', 'max-age=300'],
  ])(
    'when HSTS is %s, then it fails',
    async (_name, hsts) => {
      behaviour.hsts = hsts;
      const { code, stderr } = await smoke();
      expect(code).not.toBe(0);
      expect(stderr).toMatch(/has no Strict-Transport-Security for a year/);
    },
    60_000,
  );

  it('when the certificate is for another name, then TLS fails and so does the test', async () => {
    behaviour.certificateName = 'other';
    // Both certificates trusted: only the name can be wrong.
    const bundle = join(dir, 'both.pem');
    writeFileSync(bundle, certs.good.cert + certs.other.cert);
    const { code, stderr } = await smoke({ CURL_CA_BUNDLE: bundle });
    expect(code).not.toBe(0);
    expect(stderr).toMatch(/GET https:\/\/shop\.tradepost\.test\/ failed/);
  }, 60_000);

  it('when the settings still hold placeholders, then it refuses before any request', async () => {
    const { code, stderr } = await smoke({ AWS_SETTINGS_DIR: '' });
    expect(code).not.toBe(0);
    expect(stderr).toMatch(/app_host_name is a placeholder example\.com host name/);
  }, 60_000);
});
