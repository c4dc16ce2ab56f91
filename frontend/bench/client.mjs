#!/usr/bin/env node
// The frontend's backend client on its own: CPU time the calling process spends per
// call, for a GET answered with an orders page of JSON (about 3 KB) and a POST with a
// JSON body. The answering server runs in a child process so its CPU is not counted.
// Median of five rounds.
//   npm run build && node frontend/bench/client.mjs [--frontend DIR] [--calls 5000] [--concurrency 8]
// --frontend points at another checkout's frontend/ (built) to compare two versions.
import { fork } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const here = path.dirname(fileURLToPath(import.meta.url));
const { values } = parseArgs({
  options: {
    frontend: { type: 'string', default: path.join(here, '..') },
    calls: { type: 'string', default: '5000' },
    concurrency: { type: 'string', default: '8' },
    server: { type: 'boolean', default: false },
  },
});

if (values.server) {
  // Child: answer like the backend would, as cheaply as possible.
  const http = await import('node:http');
  const page = JSON.stringify({
    items: Array.from({ length: 20 }, (_, i) => ({
      id: 1_000_000 - i,
      storeCode: 'ST-001',
      productCode: 'PR-1234',
      quantity: 2,
      card: { brand: 'visa', last4: '1111' },
      orderDate: '2026-01-10',
      shippingDate: '2026-01-12',
      createdAt: '2026-01-10T09:30:00.000Z',
    })),
    page: 1,
    pageSize: 20,
    total: 1_000_000,
    pages: 50_000,
  });
  const created = JSON.stringify({ id: 1_000_001, storeCode: 'ST-001' });
  const server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      const body = req.method === 'POST' ? created : page;
      res.writeHead(req.method === 'POST' ? 201 : 200, {
        'content-type': 'application/json; charset=utf-8',
        'content-length': Buffer.byteLength(body),
      });
      res.end(body);
    });
  });
  server.keepAliveTimeout = 5000;
  server.listen(0, '127.0.0.1', () => process.send?.(server.address().port));
} else {
  const require = createRequire(import.meta.url);
  const dist = path.resolve(values.frontend, 'dist');
  const { createBackendClient } = require(path.join(dist, 'backend', 'client.js'));
  const { createMetrics } = require(path.join(dist, 'metrics.js'));

  const child = fork(fileURLToPath(import.meta.url), ['--server'], { stdio: 'inherit' });
  const stopChild = () => child.kill('SIGTERM');
  process.on('SIGINT', () => {
    stopChild();
    process.exit(130);
  });
  const port = await new Promise((resolve, reject) => {
    child.once('message', resolve);
    child.once('exit', (code) => reject(new Error(`server exited with ${code}`)));
  });

  const client = createBackendClient({
    baseUrl: `http://127.0.0.1:${port}`,
    attemptTimeoutMs: 2000,
    keepAliveMs: 4000,
    maxSockets: 64,
    breakerFailureThreshold: 1000,
    breakerCooldownMs: 1000,
    metrics: createMetrics(),
  });
  const ctx = () => ({
    requestId: 'bench',
    token: 'a'.repeat(43),
    deadline: Date.now() + 5000,
  });
  const calls = {
    GET: { method: 'GET', path: '/orders', query: { page: 1, pageSize: 20 } },
    POST: {
      method: 'POST',
      path: '/orders',
      idempotencyKey: 'bench-key',
      body: {
        storeCode: 'ST-001',
        productCode: 'PR-1234',
        quantity: 2,
        cardNumber: '4111111111111111',
        orderDate: '2026-01-10',
        shippingDate: '2026-01-12',
      },
    },
  };

  const total = Number(values.calls);
  const concurrency = Number(values.concurrency);
  /** CPU microseconds this process spends per call, over `total` calls. */
  async function round(call) {
    let next = 0;
    const cpu0 = process.cpuUsage();
    const worker = async () => {
      while (next++ < total) await client.call(ctx(), call);
    };
    await Promise.all(Array.from({ length: concurrency }, worker));
    const cpu = process.cpuUsage(cpu0);
    return (cpu.user + cpu.system) / total;
  }
  const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

  try {
    console.log(`backend client in ${dist}: ${total} calls per round, ${concurrency} at a time`);
    for (const [name, call] of Object.entries(calls)) {
      await round(call); // warm-up
      const rounds = [];
      for (let i = 0; i < 5; i++) rounds.push(await round(call));
      console.log(
        `${name.padEnd(4)} ${median(rounds).toFixed(1)} µs CPU/call (rounds: ${rounds.map((r) => r.toFixed(1)).join(', ')})`,
      );
    }
  } finally {
    client.close();
    stopChild();
  }
}
