import request from 'supertest';
import { buildFrontend, cookieHeader, visitor } from './helpers/app';

// Port 9 (discard) is closed on loopback: a backend that refuses connections.
const { app, lifecycle } = buildFrontend({ BACKEND_URL: 'http://127.0.0.1:9' });

describe('probes, headers, assets and CSRF (no backend needed)', () => {
  afterEach(() => {
    lifecycle.draining = false;
  });

  it('when the backend is down, then /healthz and /readyz still say 200', async () => {
    await request(app).get('/healthz').expect(200);
    await request(app).get('/readyz').expect(200, { status: 'ready' });
  });

  it('when draining, then /readyz is 503 and every response asks to close the connection', async () => {
    lifecycle.draining = true;
    const ready = await request(app).get('/readyz');
    expect(ready.status).toBe(503);
    expect(ready.headers.connection).toBe('close');
    const page = await request(app).get('/login');
    expect(page.headers.connection).toBe('close');
  });

  it('when a page is served, then it carries the strict security headers and no-store', async () => {
    const res = await request(app).get('/login').expect(200);
    const csp = String(res.headers['content-security-policy']);
    for (const directive of [
      "default-src 'self'",
      "object-src 'none'",
      "base-uri 'none'",
      "frame-ancestors 'none'",
      "form-action 'self'",
      "script-src 'self'",
    ]) {
      expect(csp).toContain(directive);
    }
    expect(csp).not.toContain('unsafe-inline');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(res.headers['x-powered-by']).toBeUndefined();
  });

  it('when the request id looks valid, then it is echoed; when it is junk, then a new one is made', async () => {
    const good = await request(app).get('/healthz').set('X-Request-Id', 'abc123def456');
    expect(good.headers['x-request-id']).toBe('abc123def456');
    const bad = await request(app).get('/healthz').set('X-Request-Id', '<script>');
    expect(bad.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('when the page links its stylesheet, then the hashed URL is served with a year-long immutable cache', async () => {
    const page = await request(app).get('/login');
    const href = /<link rel="stylesheet" href="(\/assets\/app\.[0-9a-f]{12}\.css)"/.exec(
      page.text,
    )?.[1];
    expect(href).toBeDefined();
    const css = await request(app).get(href!).expect(200);
    expect(css.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(css.headers['content-type']).toMatch(/^text\/css/);
    expect(css.text).toContain('.pagination');
    await request(app).get('/assets/app.000000000000.css').expect(404);
  });

  it('when served over plain HTTP, then the session cookie is HttpOnly and SameSite=Lax without Secure', async () => {
    const res = await request(app).get('/login');
    const sid = cookieHeader(res).find((c) => c.startsWith('sid='));
    expect(sid).toMatch(/HttpOnly/);
    expect(sid).toMatch(/SameSite=Lax/);
    expect(sid).toMatch(/Path=\//);
    expect(sid).not.toMatch(/Secure/);
  });

  it('when the proxy says HTTPS, then cookies get the __Host- prefix and Secure, without Domain', async () => {
    const res = await request(app).get('/login').set('X-Forwarded-Proto', 'https');
    const sid = cookieHeader(res).find((c) => c.startsWith('__Host-sid='));
    expect(sid).toMatch(/; Secure/);
    expect(sid).not.toMatch(/Domain=/i);
  });

  it('when a form is posted without a token, then it is refused with 403', async () => {
    const v = visitor(app);
    await v.get('/login');
    const res = await v.agent.post('/login').type('form').send({ email: 'a@b.c', password: 'x' });
    expect(res.status).toBe(403);
  });

  it("when a form carries another session's token, then it is refused with 403", async () => {
    const mallory = visitor(app);
    await mallory.get('/login');
    const alice = visitor(app);
    await alice.get('/login');
    expect(alice.csrf).not.toBe(mallory.csrf);
    const res = await alice.agent
      .post('/login')
      .type('form')
      .send({ _csrf: mallory.csrf, email: 'a@b.c', password: 'x' });
    expect(res.status).toBe(403);
  });

  it('when a form comes from another site, then Origin or Sec-Fetch-Site gets it refused', async () => {
    const v = visitor(app);
    await v.get('/login');
    const evil = await v.agent
      .post('/login')
      .type('form')
      .set('Origin', 'https://evil.example')
      .send({ _csrf: v.csrf, email: 'a@b.c', password: 'x' });
    expect(evil.status).toBe(403);
    const crossSite = await v.agent
      .post('/login')
      .type('form')
      .set('Sec-Fetch-Site', 'cross-site')
      .send({ _csrf: v.csrf, email: 'a@b.c', password: 'x' });
    expect(crossSite.status).toBe(403);
  });

  it('when a valid form reaches a dead backend, then the 503 page says so with Retry-After', async () => {
    const v = visitor(app);
    await v.get('/login');
    const res = await v.post('/login', { email: 'a@b.c', password: 'x' });
    expect(res.status).toBe(503);
    expect(res.headers['retry-after']).toMatch(/^\d+$/);
    expect(res.text).toContain('Temporarily unavailable');
    expect(res.text).not.toMatch(/ECONNREFUSED|at .*\.js/);
  });

  it('when a page does not exist, then the 404 page is shown', async () => {
    const res = await request(app).get('/no/such/page').expect(404);
    expect(res.text).toContain('Page not found');
  });

  it('when metrics are scraped, then request and backend series are there by route template', async () => {
    await request(app).get('/login');
    const res = await request(app).get('/metrics').expect(200);
    expect(res.text).toMatch(/http_requests_total\{method="GET",route="\/login",status="200"/);
    expect(res.text).toContain('http_request_duration_seconds_bucket');
    expect(res.text).toMatch(/backend_requests_total\{outcome="connect_error"/);
    expect(res.text).toContain('circuit_breaker_state');
  });
});
