#!/usr/bin/env node
// Backend benchmark: 1,000,000 orders in a private MariaDB, the API driven over
// loopback with autocannon for a bounded time per scenario. Prints a table.
//   npm run bench -w backend [-- --duration 10 --connections 32 --orders 1000000]
// `--backend DIR` measures another checkout's built backend (DIR/dist) with this
// same script, so two commits can be compared back to back on one machine.
// `--node-flags="..."` runs the backend (and the floor) with other V8 flags than its
// own (scripts/lib/node-flags.js), to compare a setting with them. `--gc` records the
// server's garbage collections (bench/lib/gc-events.cjs) and adds a table of them.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import autocannon from 'autocannon';
import { gcRecorder } from '../../bench/lib/gc-collect.mjs';
import { peakRssMb, withCpuPerRequest } from '../../bench/lib/proc.mjs';
import { DEEP_PAGE, deepPage, pageLabel } from '../../bench/lib/pages.mjs';
import { markdownTable, scenarioTable } from '../../bench/lib/table.mjs';
import { parseV8Flags } from '../../bench/lib/v8-flags.mjs';
import { backendEnv, floorRuns, seedDatabase, signIn, waitReady } from './lib.mjs';

const require = createRequire(import.meta.url);
const { startMariaDB, freePort } = require('../../scripts/lib/mariadb.js');
const { NODE_FLAGS } = require('../../scripts/lib/node-flags.js');

const here = path.dirname(fileURLToPath(import.meta.url));
const backendDir = path.join(here, '..');
const { values } = parseArgs({
  options: {
    duration: { type: 'string', default: '10' },
    connections: { type: 'string', default: '32' },
    orders: { type: 'string', default: '1000000' },
    messages: { type: 'string', default: '200000' },
    backend: { type: 'string', default: backendDir },
    'node-flags': { type: 'string', default: NODE_FLAGS.backend.join(' ') },
    gc: { type: 'boolean', default: false },
  },
});
const nodeFlags = parseV8Flags(values['node-flags']);
if (!nodeFlags) {
  process.stderr.write('--node-flags takes V8 flags such as "--max-old-space-size=128"\n');
  process.exit(2);
}
const target = path.resolve(values.backend);
if (!existsSync(path.join(target, 'dist', 'server.js'))) {
  process.stderr.write(`${target}/dist/server.js is missing: build that checkout first\n`);
  process.exit(2);
}
const recorder = values.gc ? gcRecorder() : null;
const serverEnv = (url, port) => ({ ...backendEnv(url, port), ...recorder?.env });
const duration = Number(values.duration);
const connections = Number(values.connections);
const log = (line) => process.stderr.write(`${line}\n`);

/**
 * Wait for the floor server, then check that it answers page 1 with exactly the
 * backend's bytes: the comparison is only fair while both do the same work.
 * @returns {Promise<boolean>} false (with a notice) when the two answers differ
 */
async function floorMatches(floorBase, base, auth) {
  await waitReady(floorBase, { timeoutMs: 10_000 });
  const page = async (from) =>
    (await fetch(`${from}/api/v1/orders?page=1&pageSize=25`, { headers: auth })).text();
  if ((await page(floorBase)) === (await page(base))) return true;
  log('no floor row: the floor server and this backend answer page 1 differently');
  return false;
}

const db = await startMariaDB({ bufferPool: '512M' });
let backend;
let floor;
// Ctrl-C stops the backend and the private MariaDB, and deletes its data.
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, () => {
    log(`${signal}: stopping…`);
    backend?.kill('SIGTERM');
    floor?.kill('SIGTERM');
    void db.stop().finally(() => process.exit(130));
  });
}
try {
  log(`seeding ${values.orders} orders and ${values.messages} messages into a private MariaDB…`);
  const url = await seedDatabase(db, target, values);
  const port = await freePort();
  backend = spawn(process.execPath, [...nodeFlags, 'dist/server.js'], {
    cwd: target,
    env: serverEnv(url, port),
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const base = `http://127.0.0.1:${port}`;
  await waitReady(base, { timeoutMs: 10_000 });
  const { auth, user, peer } = await signIn(base);
  // The same page from node:http and mysql2 alone: the least it can cost on this machine.
  const floorPort = await freePort();
  const floorBase = `http://127.0.0.1:${floorPort}`;
  let withFloor = floorRuns(target);
  if (withFloor) {
    floor = spawn(process.execPath, [...nodeFlags, 'bench/floor-server.mjs', target], {
      cwd: backendDir,
      env: serverEnv(url, floorPort),
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    withFloor = await floorMatches(floorBase, base, auth);
  } else {
    log('no floor row: that build predates the one-statement orders page the floor runs');
  }

  const order = JSON.stringify({
    storeCode: 'ST-001',
    productCode: 'PR-1234',
    quantity: 2,
    cardNumber: '4111111111111111',
    orderDate: '2026-01-10',
    shippingDate: '2026-01-12',
  });
  const FLOOR = 'floor: the page 1 statement from node:http + mysql2';
  const deep = deepPage(Number(values.orders));
  if (deep !== DEEP_PAGE) {
    log(
      `${values.orders} orders make ${deep} pages: the deep page is ${pageLabel(deep)}, not ${pageLabel(DEEP_PAGE)}`,
    );
  }
  const DEEP = `GET orders ${pageLabel(deep)}`;
  const scenarios = [
    [
      FLOOR,
      { path: '/api/v1/orders?page=1&pageSize=25' },
      { base: floorBase, pid: () => floor.pid },
    ],
    ['GET orders page 1', { path: '/api/v1/orders?page=1&pageSize=25' }],
    [DEEP, { path: `/api/v1/orders?page=${deep}&pageSize=25` }],
    ['GET conversation page', { path: `/api/v1/conversations/${peer}/messages?limit=50` }],
    [
      'POST order',
      {
        method: 'POST',
        path: '/api/v1/orders',
        body: order,
        setupRequest: (req) => ({
          ...req,
          headers: { ...req.headers, 'idempotency-key': randomUUID() },
        }),
      },
    ],
  ];
  if (!withFloor) scenarios.shift();
  const rows = [];
  for (const [name, request, server = { base, pid: () => backend.pid }] of scenarios) {
    log(`running "${name}" for ${duration} s at ${connections} connections…`);
    const options = {
      url: server.base,
      connections,
      headers: { ...auth, 'content-type': 'application/json' },
      requests: [request],
    };
    // A few unrecorded seconds first, so the scenario is measured with its code warm.
    await autocannon({ ...options, duration: 3 });
    const servers = [{ name, pid: server.pid() }];
    if (recorder) await recorder.collect(servers);
    const result = await withCpuPerRequest(
      { server: [server.pid()], MariaDB: [db.pid()], 'load generator': [process.pid] },
      async () => {
        const r = await autocannon({ ...options, duration });
        return { ...r, requests: r.requests.total };
      },
    );
    const gcs = recorder ? await recorder.collect(servers) : [];
    rows.push({
      gcs,
      name,
      rps: Math.round(result.requests / duration),
      p50: result.latency.p50,
      p99: result.latency.p99,
      errors: result.errors + result.timeouts + result.non2xx,
      cpu: result.cpu,
      busyPercent: result.busyPercent,
    });
  }
  const peaks = [['backend', backend.pid], ...(withFloor ? [['floor', floor.pid]] : [])];
  const row = (name) => rows.find((r) => r.name === name);
  const [floorRow, page1, deepRow] = [row(FLOOR), row('GET orders page 1'), row(DEEP)];
  /** Collections of one kind per second of the scenario, and the longest pause. */
  const gcCells = (gcs, kind) => {
    const of = gcs.filter((g) => g.kind === kind);
    return [
      (of.length / duration).toFixed(1),
      of.length ? of.reduce((longest, g) => Math.max(longest, g.ms), 0).toFixed(1) : '–',
    ];
  };
  const gcTable = recorder
    ? [
        '',
        'Garbage collections in the server during each scenario (main-thread pauses):',
        '',
        ...markdownTable(
          [
            'scenario',
            'scavenges/s',
            'longest scavenge ms',
            'major collections/s',
            'longest major pause ms',
          ],
          rows.map((r) => [r.name, ...gcCells(r.gcs, 'minor'), ...gcCells(r.gcs, 'major')]),
        ),
        '',
      ]
    : [];
  const out = [
    `Backend alone (${target === backendDir ? 'this checkout' : target}), ${values.orders} orders, ${connections} connections, ${duration} s per scenario, user ${user.id}, node ${nodeFlags.join(' ')}`,
    '',
    ...scenarioTable(rows),
    '',
    'CPU ms/req: CPU time (user + system) each process spent per request during the scenario; it varies far less than req/s when the machine is busy.',
    ...gcTable,
    `peak RSS: ${peaks.map(([name, pid]) => `${name} ${peakRssMb(pid) ?? '?'} MB`).join(', ')}`,
    `${pageLabel(deep)} / page 1: throughput ${(deepRow.rps / page1.rps).toFixed(2)}×, p99 ${(deepRow.p99 / Math.max(1, page1.p99)).toFixed(2)}×`,
    ...(floorRow
      ? [
          `page 1 / floor: throughput ${(page1.rps / floorRow.rps).toFixed(2)}×, server CPU per request ${(page1.cpu.server / floorRow.cpu.server).toFixed(2)}×`,
        ]
      : []),
  ];
  process.stdout.write(`${out.join('\n')}\n`);
} finally {
  backend?.kill('SIGTERM');
  floor?.kill('SIGTERM');
  await db.stop();
}
