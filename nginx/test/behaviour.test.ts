import { gunzipSync } from 'node:zlib';
import { send, startNginx, startUpstream, type RunningNginx, type Upstream } from './support';
import { needing } from '../../scripts/lib/test-deps';

const describe = needing(['nginx']);

describe('nginx in front of two replicas', () => {
  let a: Upstream;
  let b: Upstream;
  let nginx: RunningNginx;
  beforeAll(async () => {
    a = await startUpstream();
    b = await startUpstream();
    nginx = await startNginx([a.port, b.port], { NGINX_AUTH_RATE: '60r/m', NGINX_AUTH_BURST: '5' });
  });
  afterAll(async () => {
    await nginx.stop();
    await a.close();
    await b.close();
  });

  it('when requests arrive, then they are spread over both replicas with request id and forwarding headers', async () => {
    const before = a.hits.length + b.hits.length;
    for (let i = 0; i < 10; i++)
      expect((await send(nginx.url, { path: `/page/${i}` })).status).toBe(200);
    expect(a.hits.length + b.hits.length - before).toBe(10);
    expect(a.hits.length).toBeGreaterThan(0);
    expect(b.hits.length).toBeGreaterThan(0);
    const last = [...a.hits, ...b.hits].find((h) => h.url === '/page/9')!;
    expect(last.headers['x-request-id']).toMatch(/^[0-9a-f]{32}$/);
    expect(last.headers['x-forwarded-for']).toBe('127.0.0.1');
    expect(last.headers['x-forwarded-proto']).toBe('http');
    expect(last.headers.traceparent).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
  });

  it('when the caller sends a valid X-Request-Id, then it is kept; an invalid one is replaced', async () => {
    const kept = await send(nginx.url, {
      path: '/kept',
      headers: { 'X-Request-Id': 'caller-id-1234' },
    });
    expect(kept.headers['x-request-id']).toBe('caller-id-1234');
    const replaced = await send(nginx.url, {
      path: '/replaced',
      headers: { 'X-Request-Id': 'no' },
    });
    expect(replaced.headers['x-request-id']).toMatch(/^[0-9a-f]{32}$/);
    const line = nginx
      .accessLog()
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>)
      .find((l) => l.uri === '/kept');
    expect(line).toMatchObject({ reqId: 'caller-id-1234', status: 200, method: 'GET' });
    expect(line!.upstream).toMatch(/^127\.0\.0\.1:\d+$/);
  });

  it('when a body is over 64 KiB, then nginx answers 413 and the replicas never see it', async () => {
    const before = a.hits.length + b.hits.length;
    const res = await send(nginx.url, {
      method: 'POST',
      path: '/orders/new',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: Buffer.alloc(64 * 1024 + 1, 'a'),
    });
    expect(res.status).toBe(413);
    expect(a.hits.length + b.hits.length).toBe(before);
    const fits = await send(nginx.url, {
      method: 'POST',
      path: '/orders/new',
      body: Buffer.alloc(60 * 1024, 'a'),
    });
    expect(fits.status).toBe(200);
  });

  it('when sign-in POSTs come faster than the limit, then the excess gets 429; page views are not limited', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 12; i++)
      statuses.push((await send(nginx.url, { method: 'POST', path: '/login', body: 'x' })).status);
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThan(0);
    expect(statuses.slice(0, 5).every((s) => s === 200)).toBe(true);
    for (let i = 0; i < 12; i++)
      expect((await send(nginx.url, { path: '/login' })).status).toBe(200);
  });

  it('when text is large, then it is gzipped; assets get a one-year immutable cache', async () => {
    const big = await send(nginx.url, { path: '/big', headers: { 'Accept-Encoding': 'gzip' } });
    expect(big.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(big.body).toString()).toBe('x'.repeat(10000));
    const asset = await send(nginx.url, { path: '/assets/app.0123abcd.css' });
    expect(asset.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(asset.headers.server).toBe('nginx');
  });

  it('when /nginx-health is asked, then nginx answers itself', async () => {
    const before = a.hits.length + b.hits.length;
    expect((await send(nginx.url, { path: '/nginx-health' })).body.toString()).toBe('ok\n');
    expect(a.hits.length + b.hits.length).toBe(before);
  });
});

describe('nginx when a replica fails', () => {
  it('when a replica resets a POST it has received, then nginx does not send it to the other replica', async () => {
    let posts = 0;
    const resetting = await startUpstream((req) => {
      if (req.method === 'POST') {
        posts++;
        req.socket.destroy();
      }
    });
    const healthy = await startUpstream();
    const nginx = await startNginx([resetting.port, healthy.port]);
    try {
      for (let i = 0; i < 6; i++)
        await send(nginx.url, { method: 'POST', path: '/orders/new', body: 'a=1' });
      expect(posts).toBeGreaterThan(0);
      const total = posts + healthy.hits.filter((h) => h.method === 'POST').length;
      expect(total).toBe(6);
    } finally {
      await nginx.stop();
      await resetting.close();
      await healthy.close();
    }
  });

  it('when a replica is down (connection refused), then GETs and POSTs go to the live one and nobody sees an error', async () => {
    const live = await startUpstream();
    const dead = await startUpstream();
    const nginx = await startNginx([dead.port, live.port]);
    await dead.close();
    try {
      for (let i = 0; i < 10; i++) {
        expect((await send(nginx.url, { path: `/p${i}` })).status).toBe(200);
        expect(
          (await send(nginx.url, { method: 'POST', path: '/messages/2', body: 'b=1' })).status,
        ).toBe(200);
      }
    } finally {
      await nginx.stop();
      await live.close();
    }
  });

  it('when every replica has been marked down and one comes back, then nginx uses it at once', async () => {
    // A rolling restart under load can get here: the replica restarted a moment ago is
    // still inside its fail_timeout while the one now draining refuses connections.
    const first = await startUpstream();
    const second = await startUpstream();
    const nginx = await startNginx([first.port, second.port]);
    await first.close();
    await second.close();
    let back: Upstream | undefined;
    try {
      // Each request tries both replicas and fails on both: two rounds mark both down.
      for (let i = 0; i < 3; i++) expect((await send(nginx.url, { path: '/' })).status).toBe(503);
      back = await startUpstream(undefined, first.port);
      const res = await send(nginx.url, { path: '/after' });
      expect(res.status).toBe(200);
      expect(back.hits.map((h) => h.url)).toEqual(['/after']);
    } finally {
      await nginx.stop();
      await back?.close();
    }
  });

  it('when no replica answers at all, then a plain 503 page with Retry-After, never a bare 502', async () => {
    const gone = await startUpstream();
    const nginx = await startNginx([gone.port]);
    await gone.close();
    try {
      const res = await send(nginx.url, { path: '/' });
      expect(res.status).toBe(503);
      expect(res.headers['retry-after']).toBe('5');
      expect(res.body.toString()).toContain('Temporarily unavailable');
    } finally {
      await nginx.stop();
    }
  });
});
