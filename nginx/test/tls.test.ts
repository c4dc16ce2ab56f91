import type http from 'node:http';
import {
  generateCertificate,
  headerCount,
  send,
  startNginx,
  startUpstream,
  type Certificate,
  type RunningNginx,
  type Upstream,
} from './support';
import { needing } from '../../scripts/lib/test-deps';

const describe = needing(['nginx', 'openssl']);

const HSTS = 'max-age=31536000; includeSubDomains';

/** A replica that also sends its own HSTS header, as the frontend does on every response. */
const withOwnHsts: http.RequestListener = (req, res) => {
  req.resume();
  req.on('end', () => {
    res.setHeader('Strict-Transport-Security', 'max-age=60');
    res.setHeader('Content-Type', 'text/html');
    res.end('ok');
  });
};

describe('nginx terminating TLS itself (NGINX_TLS=terminate) with a generated certificate', () => {
  let cert: Certificate;
  let replica: Upstream;
  let nginx: RunningNginx;
  let httpsUrl: string;
  beforeAll(async () => {
    cert = generateCertificate();
    replica = await startUpstream(withOwnHsts);
    nginx = await startNginx([replica.port], {
      NGINX_TLS: 'terminate',
      NGINX_TLS_CERT: cert.certFile,
      NGINX_TLS_KEY: cert.keyFile,
    });
    httpsUrl = `https://127.0.0.1:${nginx.httpsPort}`;
  });
  afterAll(async () => {
    await nginx.stop();
    await replica.close();
    cert.remove();
  });

  it('when a page is asked over HTTPS, then the replica answers it, told the truth about the scheme, with ids and HSTS', async () => {
    const res = await send(httpsUrl, {
      path: '/orders?page=2',
      ca: cert.cert,
      // A caller cannot talk the frontend into another scheme.
      headers: { 'X-Forwarded-Proto': 'http' },
    });
    expect(res.status).toBe(200);
    expect(res.body.toString()).toBe('ok');
    expect(res.headers['strict-transport-security']).toBe(HSTS);
    expect(headerCount(res, 'strict-transport-security')).toBe(1);
    expect(res.headers['x-request-id']).toMatch(/^[0-9a-f]{32}$/);
    const hit = replica.hits.find((h) => h.url === '/orders?page=2')!;
    expect(hit.headers['x-forwarded-proto']).toBe('https');
    expect(hit.headers['x-forwarded-host']).toBe(`127.0.0.1:${nginx.httpsPort}`);
    expect(hit.headers['x-request-id']).toBe(res.headers['x-request-id']);
    expect(hit.headers.traceparent).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
  });

  it('when nginx answers by itself over HTTPS (413, /metrics, no replica), then HSTS is on its answers too', async () => {
    const tooBig = await send(httpsUrl, {
      method: 'POST',
      path: '/orders',
      body: Buffer.alloc(64 * 1024 + 1, 'a'),
      ca: cert.cert,
    });
    expect(tooBig.status).toBe(413);
    expect(tooBig.headers['strict-transport-security']).toBe(HSTS);
    const metrics = await send(httpsUrl, { path: '/metrics', ca: cert.cert });
    expect(metrics.status).toBe(404);
    expect(metrics.headers['strict-transport-security']).toBe(HSTS);
  });

  it('when anything but the health path is asked over HTTP, then it is sent to the same URL over HTTPS, and never to a replica', async () => {
    const before = replica.hits.length;
    for (const method of ['GET', 'POST']) {
      const res = await send(nginx.url, {
        method,
        path: '/orders?page=2',
        headers: { Host: 'tradepost.example' },
      });
      expect(res.status).toBe(301);
      expect(res.headers.location).toBe(
        `https://tradepost.example:${nginx.httpsPort}/orders?page=2`,
      );
      expect(res.headers['strict-transport-security']).toBeUndefined();
      expect(res.headers['x-request-id']).toMatch(/^[0-9a-f]{32}$/);
    }
    expect(replica.hits.length).toBe(before);
  });

  it('when the health path is asked over HTTP, then nginx answers it there', async () => {
    const res = await send(nginx.url, { path: '/nginx-health' });
    expect(res.status).toBe(200);
    expect(res.body.toString()).toBe('ok\n');
  });

  it('when a client does not trust the certificate, then the connection is refused (it is real TLS)', async () => {
    await expect(send(httpsUrl, { path: '/' })).rejects.toThrow(/self[- ]signed/i);
  });
});

describe('nginx behind a load balancer that decrypts HTTPS (NGINX_TLS=offloaded)', () => {
  let replica: Upstream;
  let nginx: RunningNginx;
  beforeAll(async () => {
    replica = await startUpstream(withOwnHsts);
    nginx = await startNginx([replica.port], {
      NGINX_TLS: 'offloaded',
      NGINX_PUBLIC_HTTPS_PORT: '443',
    });
  });
  afterAll(async () => {
    await nginx.stop();
    await replica.close();
  });

  it('when a request arrives on the HTTPS port, then the replica is told https and the answer carries HSTS', async () => {
    const res = await send(`http://127.0.0.1:${nginx.httpsPort}`, {
      path: '/p',
      headers: { 'X-Forwarded-Proto': 'http' },
    });
    expect(res.status).toBe(200);
    expect(res.headers['strict-transport-security']).toBe(HSTS);
    expect(headerCount(res, 'strict-transport-security')).toBe(1);
    expect(replica.hits.find((h) => h.url === '/p')?.headers['x-forwarded-proto']).toBe('https');
  });

  it('when a request arrives on the HTTP port, then it is sent to HTTPS on the standard port; health answers', async () => {
    const res = await send(nginx.url, { path: '/login', headers: { Host: 'shop.example:80' } });
    expect(res.status).toBe(301);
    expect(res.headers.location).toBe('https://shop.example/login');
    expect((await send(nginx.url, { path: '/nginx-health' })).status).toBe(200);
    const health = await send(`http://127.0.0.1:${nginx.httpsPort}`, { path: '/nginx-health' });
    expect(health.status).toBe(200);
  });
});

describe('nginx with HTTPS off (NGINX_TLS=off, the local default)', () => {
  it('when a caller claims HTTPS, then the replica is still told http, and no HSTS is sent', async () => {
    const replica = await startUpstream(withOwnHsts);
    const nginx = await startNginx([replica.port]);
    try {
      const res = await send(nginx.url, { path: '/', headers: { 'X-Forwarded-Proto': 'https' } });
      expect(res.status).toBe(200);
      expect(res.headers['strict-transport-security']).toBeUndefined();
      expect(replica.hits[0].headers['x-forwarded-proto']).toBe('http');
    } finally {
      await nginx.stop();
      await replica.close();
    }
  });
});
