import { readFileSync } from 'node:fs';
import path from 'node:path';
import { startStack, type Stack } from '../../scripts/lib/stack';
import { monitorStack, type Monitoring } from '../../scripts/lib/monitoring';
import { allRules, dashboardQueries, withGrafanaVariables } from './support/config';
import { eventually, get, query, scalar } from './support/prometheus-api';
import { metricNames } from './support/promql';
import { addOrder, failLogin, sendMessage, signUp } from './support/traffic';
import { needing } from '../../scripts/lib/test-deps';

const describe = needing(['nginx', 'prometheus', 'prometheus-nginx-exporter']);

jest.setTimeout(90_000);

let stack: Stack;
let monitoring: Monitoring;
let prom: string;

/** Resolves once every target has been scraped after the call. */
async function nextScrape() {
  const since = Date.now() / 1000;
  await eventually(async () => {
    const stamps = await query(prom, 'timestamp(up)');
    if (stamps.length < 4 || stamps.some((s) => s.value <= since)) throw new Error('not yet');
  });
}
const run = `${process.pid}.${Date.now()}`;

beforeAll(async () => {
  stack = await startStack({
    database: 'sqlite',
    frontends: 2,
    nginxEnv: { NGINX_AUTH_RATE: '600r/m', NGINX_AUTH_BURST: '50' },
  });
  monitoring = await monitorStack(stack, { scrapeInterval: '1s' });
  prom = monitoring.url;
  // Traffic starts once every target has been scraped, so rates see all of it.
  await eventually(async () => {
    const up = await query(prom, 'up == 1');
    if (up.length < 4) throw new Error('targets not scraped yet');
  });

  // Two members sign up; one adds three orders and sends the other two messages;
  // four sign-ins fail. Everything goes through nginx, as users' requests do.
  // Prometheus cannot see the first increments of a series it has never scraped, so
  // one of each goes first, and the rest after every target has been scraped again.
  const alice = await signUp(stack.url, `alice.${run}@tradepost.test`);
  const bob = await signUp(stack.url, `bob.${run}@tradepost.test`);
  await addOrder(alice);
  await sendMessage(alice, bob.id, 'first');
  await failLogin(stack.url, `alice.${run}@tradepost.test`);
  await nextScrape();
  for (let i = 0; i < 2; i++) await addOrder(alice);
  await sendMessage(alice, bob.id, 'second');
  for (let i = 0; i < 3; i++) await failLogin(stack.url, `alice.${run}@tradepost.test`);
  await alice.get(`/orders?page=2`);
  await alice.get(`/users/${bob.id}`);
  await nextScrape();
});

afterAll(async () => {
  await monitoring?.stop();
  await stack?.stop();
});

describe('a real Prometheus scraping the local stack', () => {
  it('when it scrapes, then the backend, both frontends and the nginx exporter are up', async () => {
    const up = await eventually(async () => {
      const result = await query(prom, 'up');
      if (result.length < 4 || result.some((r) => r.value !== 1)) throw new Error('not all up');
      return result;
    });
    expect(up.map((r) => r.metric.job).sort()).toEqual([
      'backend',
      'frontend',
      'frontend',
      'nginx',
    ]);
    expect(await scalar(prom, 'nginx_up')).toBe(1);
  });

  it('when the business flows ran, then the business counters hold exactly what happened', async () => {
    const counters = await eventually(async () => {
      const values = {
        signups: await scalar(prom, 'sum(tradepost_signups_total)'),
        orders: await scalar(prom, 'sum(tradepost_orders_created_total)'),
        messages: await scalar(prom, 'sum(tradepost_messages_sent_total)'),
        loginFailures: await scalar(prom, 'sum(tradepost_login_failures_total)'),
      };
      if (values.loginFailures < 4) throw new Error('not scraped yet');
      return values;
    });
    expect(counters).toEqual({ signups: 2, orders: 3, messages: 2, loginFailures: 4 });
  });

  it('when requests are counted, then labels are route templates with method and status, never raw URLs', async () => {
    const frontend = await query(
      prom,
      'sum by (method, route, status) (http_requests_total{job="frontend"})',
    );
    const byKey = new Map(
      frontend.map((r) => [`${r.metric.method} ${r.metric.route} ${r.metric.status}`, r.value]),
    );
    expect(byKey.get('POST /orders 303')).toBe(3);
    expect(byKey.get('POST /messages/:userId 303')).toBe(2);
    expect(byKey.get('POST /signup 303')).toBe(2);
    expect(byKey.get('POST /login 401')).toBe(4);
    const backend = await query(
      prom,
      'sum by (method, route, status) (http_requests_total{job="backend"})',
    );
    const orders = backend.find(
      (r) =>
        r.metric.method === 'POST' &&
        r.metric.status === '201' &&
        /orders/.test(r.metric.route ?? ''),
    );
    expect(orders?.value).toBe(3);
    const routes = [...frontend, ...backend].map((r) => r.metric.route ?? '');
    // No user id, order id or query string ever becomes a label value.
    expect(routes.filter((r) => /\/\d+(\/|$)|[0-9a-f]{8}-[0-9a-f]{4}|\?/.test(r))).toEqual([]);
    expect(routes).toContain('/users/:id');
  });

  it('when durations are recorded, then histograms agree with the counters and hold plausible times', async () => {
    for (const job of ['frontend', 'backend']) {
      // Each comparison is one expression, so Prometheus evaluates both sides at the same
      // instant, over the same scrape of each target; separate queries could straddle a scrape.
      const series = (name: string) => `sum(http_request_duration_seconds_${name}{job="${job}"})`;
      expect(
        await scalar(prom, `${series('bucket').replace('}', ',le="+Inf"}')} - ${series('count')}`),
      ).toBe(0);
      expect(
        await scalar(prom, `sum(http_requests_total{job="${job}"}) - ${series('count')}`),
      ).toBe(0);
      const mean = await scalar(prom, `${series('sum')} / ${series('count')}`);
      expect(mean).toBeGreaterThan(0);
      expect(mean).toBeLessThan(2);
    }
    const p99 = await scalar(
      prom,
      // Over the cumulative buckets: a new series' first increments are invisible to rate().
      'histogram_quantile(0.99, sum by (le) (http_request_duration_seconds_bucket{job="frontend",route="/orders",method="POST"}))',
    );
    expect(p99).toBeGreaterThan(0);
    expect(p99).toBeLessThan(8);
  });

  it('when the database is used, then pool and query metrics arrive by operation and outcome', async () => {
    const inserts = await scalar(
      prom,
      'sum(db_query_duration_seconds_count{operation="insert",outcome="ok"})',
    );
    // Two sign-ups, three orders and two messages at least, besides sessions and keys.
    expect(inserts).toBeGreaterThanOrEqual(7);
    expect(
      await scalar(prom, 'sum(db_query_duration_seconds_count{operation="select",outcome="ok"})'),
    ).toBeGreaterThan(10);
    const acquires = await scalar(
      prom,
      'sum(db_pool_acquire_duration_seconds_count{outcome="ok"})',
    );
    expect(acquires).toBeGreaterThanOrEqual(inserts);
    const pool = await query(prom, 'db_pool_connections');
    expect(pool.map((r) => r.metric.state).sort()).toEqual(['free', 'pending', 'used']);
    const querySeconds = await scalar(
      prom,
      'sum(db_query_duration_seconds_sum) / sum(db_query_duration_seconds_count)',
    );
    expect(querySeconds).toBeGreaterThan(0);
    expect(querySeconds).toBeLessThan(0.5);
  });

  it('when frontends call the backend, then calls are counted by outcome and the breakers are closed', async () => {
    expect(await scalar(prom, 'sum(backend_requests_total{outcome="ok"})')).toBeGreaterThan(10);
    expect(await scalar(prom, 'sum(backend_requests_total{outcome="client_error"})')).toBe(4);
    const breakers = await query(prom, 'circuit_breaker_state');
    expect(breakers.map((b) => b.value)).toEqual([0, 0]);
    // 26 page requests went through nginx; probes and status reads come on top.
    await eventually(async () => {
      const nginxRequests = await scalar(prom, 'sum(nginx_http_requests_total)');
      if (nginxRequests < 26) throw new Error(`nginx counted ${nginxRequests} requests`);
    });
  });

  it('when the rules are loaded, then every rule evaluates without error and the SLO ratio is zero', async () => {
    const data = await eventually(async () => {
      const rules = await get<{
        groups: { rules: { name: string; health: string; lastError?: string }[] }[];
      }>(prom, '/api/v1/rules');
      const all = rules.groups.flatMap((g) => g.rules);
      if (all.some((r) => r.health === 'unknown')) throw new Error('not evaluated yet');
      return all;
    });
    expect(data.map((r) => r.name).sort()).toEqual(
      allRules()
        .map((r) => r.rule.alert ?? r.rule.record)
        .sort(),
    );
    expect(data.filter((r) => r.health !== 'ok').map((r) => `${r.name}: ${r.lastError}`)).toEqual(
      [],
    );
    const ratios = await eventually(async () => {
      const result = await query(prom, 'job:slo_errors_per_request:ratio_rate5m');
      if (result.length < 2 || result.some((r) => Number.isNaN(r.value))) {
        throw new Error('no ratio over traffic yet');
      }
      return result;
    });
    expect(ratios.map((r) => [r.metric.job, r.value]).sort()).toEqual([
      ['backend', 0],
      ['frontend', 0],
    ]);
  });

  it('when every dashboard query runs, then each returns data', async () => {
    const empty: string[] = [];
    await eventually(async () => {
      empty.length = 0;
      for (const { panel, expr } of dashboardQueries()) {
        const result = await query(prom, withGrafanaVariables(expr));
        if (!result.some((r) => Number.isFinite(r.value))) empty.push(`${panel}: ${expr}`);
      }
      if (empty.length > 0) throw new Error(empty.join('\n'));
    });
    expect(empty).toEqual([]);
  });

  it('when rules and dashboard are read, then every metric they use is exported by the services or made by a rule', async () => {
    const exported = new Set<string>(['up']);
    const targets = [
      `${stack.backend.url}/metrics`,
      ...stack.frontends.map((f) => `http://127.0.0.1:${f.port}/metrics`),
      `${monitoring.exporterUrl}/metrics`,
    ];
    for (const url of targets) {
      const text = await (await fetch(url)).text();
      for (const line of text.split('\n')) {
        const name = /^([a-zA-Z_:][\w:]*)[{ ]/.exec(line)?.[1];
        if (name) exported.add(name);
      }
    }
    const rules = allRules();
    const recorded = new Set(rules.flatMap((r) => (r.rule.record ? [r.rule.record] : [])));
    const platform = new Set(['kubernetes.yml', 'rds.yml']);
    const used = [
      ...rules
        .filter((r) => !platform.has(r.file))
        .map((r) => ({ where: r.rule.alert ?? r.rule.record, expr: r.rule.expr })),
      ...dashboardQueries().map((q) => ({ where: q.panel, expr: q.expr })),
    ];
    const missing = used.flatMap(({ where, expr }) =>
      metricNames(expr)
        .filter((m) => !exported.has(m) && !recorded.has(m))
        .map((m) => `${where}: ${m}`),
    );
    expect(missing).toEqual([]);
  });

  it('when one request crosses nginx, a frontend and the backend, then all three logs carry its trace', () => {
    const lines = (file: string) =>
      readFileSync(path.join(stack.logs, file), 'utf8')
        .split('\n')
        .filter((l) => l.startsWith('{'))
        .map((l) => JSON.parse(l) as Record<string, unknown>);
    const edge = lines('nginx-access.log').find((l) => l.method === 'POST' && l.uri === '/orders');
    const traceparent = String(edge?.traceparent);
    const [, traceId, nginxSpan] = /^00-([0-9a-f]{32})-([0-9a-f]{16})-01$/.exec(traceparent) ?? [];
    expect(traceId).toBeDefined();
    const frontend = stack.frontends
      .flatMap((_f, i) => lines(`frontend-${i + 1}.log`))
      .find((l) => l.reqId === edge?.reqId && l.route === '/orders');
    expect(frontend).toMatchObject({ traceparent, traceId });
    expect(frontend?.spanId).toMatch(/^[0-9a-f]{16}$/);
    expect(frontend?.spanId).not.toBe(nginxSpan);
    const backend = lines('backend.log').find(
      (l) => l.reqId === edge?.reqId && l.method === 'POST',
    );
    expect(backend?.traceparent).toBe(`00-${traceId}-${String(frontend?.spanId)}-01`);
  });
});
