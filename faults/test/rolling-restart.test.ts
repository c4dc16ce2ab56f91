import { readFileSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { failed, flood } from './support/flood';
import { hiddenField, type Visitor } from './support/http';
import { ordersByProductCode, reconcile } from './support/ledger';
import {
  describeFailures,
  failures,
  now,
  quantile,
  Recorder,
  startLoad,
  type Outcome,
} from './support/load';
import { NO_REPLICA_LEFT, PASSIVE_HEALTH_BEFORE, rewriteNginxAll } from './support/nginx';
import {
  FAULT_TIMEOUT_MS,
  signedUpVisitor,
  startFaultStack,
  stopFaultStack,
  type Stack,
} from './support/stack';
import { needing } from '../../scripts/lib/test-deps';

const describe = needing(['nginx']);

const ORDER_PATH = /^\/orders\/[0-9a-f-]{36}$/;
const page = (status: number): Outcome => (status === 200 ? 'ok' : 'fail');

/** Add an order as a browser does: open the form, post it with its CSRF token and key, follow the redirect. */
async function addOrder(visitor: Visitor, recorder: Recorder, productCode: string): Promise<void> {
  const form = await recorder.track(
    'GET /orders/new',
    () => visitor.get('/orders/new'),
    (r) => page(r.status),
  );
  if (form?.status !== 200) return;
  const today = new Date().toISOString().slice(0, 10);
  const posted = await recorder.track(
    'POST /orders',
    () =>
      visitor.post('/orders', {
        _csrf: hiddenField(form.body, '_csrf'),
        idempotencyKey: hiddenField(form.body, 'idempotencyKey'),
        storeCode: 'FAULT',
        productCode,
        quantity: '1',
        cardNumber: '4111 1111 1111 1111',
        orderDate: today,
        shippingDate: today,
      }),
    // 303 to the new order is an acknowledgement; a 4xx is a refusal; anything else is unknown.
    (r) =>
      r.status === 303 && ORDER_PATH.test(r.headers.location ?? '')
        ? 'ok'
        : r.status >= 400 && r.status < 500
          ? 'fail'
          : 'info',
    { key: productCode, onError: 'info' },
  );
  const location = posted?.headers.location;
  if (posted?.status === 303 && location) {
    await recorder.track(
      `GET /orders/:id`,
      () => visitor.get(location),
      (r) => page(r.status),
    );
  }
}

/**
 * A fresh stack; 25 steps a second (70 % page views, 30 % add-order) over 10 signed-in
 * visitors; the three replicas restarted one after another (SIGTERM, wait for exit,
 * start, wait for /readyz); then the ledger.
 */
async function rollingRestartUnderLoad(
  frontendEnv: Record<string, string>,
  prepare: (stack: Stack) => Promise<void> = async () => {},
) {
  const stack = await startFaultStack({ frontendEnv });
  try {
    await prepare(stack);
    const visitors = await Promise.all(Array.from({ length: 10 }, () => signedUpVisitor(stack)));
    const recorder = new Recorder();
    const prefix = `RR${Date.now().toString(36)}`;
    let n = 0;
    const load = startLoad(visitors, 25, async (visitor) => {
      n += 1;
      if (n % 10 < 3) return addOrder(visitor, recorder, `${prefix}-${n}`);
      const path = n % 2 ? '/orders' : '/';
      await recorder.track(
        `GET ${path}`,
        () => visitor.get(path),
        (r) => page(r.status),
      );
    });
    await sleep(1500);
    const exits: { code: number | null; ms: number }[] = [];
    for (const frontend of stack.frontends) {
      const started = now();
      const code = await frontend.stop('SIGTERM');
      exits.push({ code, ms: now() - started });
      await frontend.start();
    }
    await sleep(1500);
    await load.stop();
    const writes = recorder.samples.filter((s) => s.op === 'POST /orders');
    const rows = await ordersByProductCode(stack.databaseUrl, prefix);
    return {
      recorder,
      writes,
      exits,
      violations: reconcile(writes, rows),
      skipped: load.skipped,
    };
  } finally {
    await stopFaultStack(stack);
  }
}

/**
 * A fresh stack; wrk at full speed on 64 connections (a few thousand requests a second
 * through nginx to the replicas' sign-in page, which asks nothing of the backend; the
 * health paths are not served through nginx); the three replicas restarted one after
 * another as above. Returns what wrk saw and how often nginx found no replica to try.
 */
async function rollingRestartAtFullRate(
  frontendEnv: Record<string, string>,
  prepare: (stack: Stack) => Promise<void> = async () => {},
) {
  const stack = await startFaultStack({ database: 'sqlite', frontendEnv });
  try {
    await prepare(stack);
    const load = flood(`${stack.url}/login`, stack.dir);
    await sleep(1500);
    const started = now();
    for (const frontend of stack.frontends) {
      await frontend.stop('SIGTERM');
      await frontend.start();
    }
    const restartMs = now() - started;
    await sleep(1500);
    const result = await load.stop();
    const errors = readFileSync(path.join(stack.logs, 'nginx.log'), 'utf8');
    const noLiveUpstreams = (errors.match(/no live upstreams/g) ?? []).length;
    console.log(
      `rolling restart at full rate: ${result.requests} requests in ${result.seconds} s ` +
        `(${Math.round(result.requests / result.seconds)}/s), restarts took ${Math.round(restartMs)} ms; ` +
        `${result.fail5xx} 5xx, errors connect ${result.connect} read ${result.read} ` +
        `write ${result.write} timeout ${result.timeout}; "no live upstreams" ${noLiveUpstreams}`,
    );
    return { result, noLiveUpstreams };
  } finally {
    await stopFaultStack(stack);
  }
}

describe('a rolling restart of the three frontend replicas under page views and keyed add-order posts', () => {
  it(
    'when each replica drains before it exits, then no request fails and every acknowledged order exists once',
    async () => {
      const { recorder, writes, exits, violations, skipped } = await rollingRestartUnderLoad({});
      const acked = writes.filter((w) => w.outcome === 'ok').length;
      console.log(
        `rolling restart: ${recorder.samples.length} requests (${writes.length} posts, ${acked} acknowledged), ` +
          `${failures(recorder.samples).length} failed, p99 ${quantile(recorder.samples, 0.99).toFixed(0)} ms, ` +
          `exits ${exits.map((e) => `${e.code}/${Math.round(e.ms)}ms`).join(' ')}, skipped ticks ${skipped}`,
      );
      expect(writes.length).toBeGreaterThan(50);
      expect(describeFailures(recorder.samples)).toBe('');
      expect(violations).toEqual([]);
      expect(exits.every((e) => e.code === 0 && e.ms < 30_000)).toBe(true);
      expect(quantile(recorder.samples, 0.99)).toBeLessThan(500);
    },
    FAULT_TIMEOUT_MS,
  );

  it(
    'control: when replicas exit right after SIGTERM (no drain) and passive health takes each out with no backup, then clients see failed requests',
    async () => {
      // Restarted at once, each replica is marked down by its first refused connection and
      // stays out while the next ones follow: without the backup entries nginx soon finds
      // no replica it may try.
      const { recorder, violations } = await rollingRestartUnderLoad(
        { SHUTDOWN_DRAIN_MS: '0' },
        (stack) => rewriteNginxAll(stack, NO_REPLICA_LEFT),
      );
      const failed = failures(recorder.samples);
      console.log(
        `control (drain 0): ${recorder.samples.length} requests, ${failed.length} failed: ${describeFailures(recorder.samples)}; ledger ${violations.length} violations`,
      );
      expect(failed.length).toBeGreaterThan(0);
    },
    FAULT_TIMEOUT_MS,
  );
});

describe('a rolling restart of the three frontend replicas under requests at full rate', () => {
  it(
    'when each replica drains before it exits, then nginx finds a replica for every request and none fails',
    async () => {
      const { result, noLiveUpstreams } = await rollingRestartAtFullRate({});
      expect(result.requests / result.seconds).toBeGreaterThan(500);
      expect({ failed: failed(result), noLiveUpstreams }).toEqual({
        failed: 0,
        noLiveUpstreams: 0,
      });
    },
    FAULT_TIMEOUT_MS,
  );

  it(
    'control: when replicas exit right after SIGTERM and nginx has its old passive health, then requests fail with "no live upstreams"',
    async () => {
      const { result, noLiveUpstreams } = await rollingRestartAtFullRate(
        { SHUTDOWN_DRAIN_MS: '0' },
        (stack) => rewriteNginxAll(stack, PASSIVE_HEALTH_BEFORE),
      );
      expect(failed(result)).toBeGreaterThan(0);
      expect(noLiveUpstreams).toBeGreaterThan(0);
    },
    FAULT_TIMEOUT_MS,
  );
});
