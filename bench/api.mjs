#!/usr/bin/env node
// The API benchmark: 1,000,000 orders in a private MariaDB, the backend alone driven
// over loopback with autocannon for a bounded time per scenario, beside the floor
// (floor-server.mjs: the orders page from node:http and mysql2 alone). Prints a table.
//   npm run bench:api [-- --duration 10 --connections 32 --orders 1000000 --messages 200000]
// `--node-flags="..."` runs the backend (and the floor) with other V8 flags than its
// own (scripts/lib/node-flags.js), to compare a setting with them. `--gc` records the
// server's garbage collections (lib/gc-events.cjs) and adds a table of them.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import autocannon from 'autocannon';
import { BACKEND_DIR, backendEnv, seedDatabase } from './lib/backend.mjs';
import { gcRecorder } from './lib/gc-collect.mjs';
import { peakRssMb, withCpuPerRequest } from './lib/proc.mjs';
import { DEEP_PAGE, deepPage, pageLabel } from './lib/pages.mjs';
import { FILTER, lastPage, measureExport } from './lib/orders-find.mjs';
import { signInToApi } from './lib/sign-in.mjs';
import { machine, markdownTable, scenarioTable } from './lib/table.mjs';
import { parseV8Flags } from './lib/v8-flags.mjs';

const require = createRequire(import.meta.url);
const { startMariaDB } = require('../scripts/lib/mariadb.js');
const { NODE_FLAGS } = require('../scripts/lib/node-flags.js');
const { freePort, waitReady } = require('../scripts/lib/process.js');

const { values } = parseArgs({
  options: {
    duration: { type: 'string', default: '10' },
    connections: { type: 'string', default: '32' },
    orders: { type: 'string', default: '1000000' },
    messages: { type: 'string', default: '200000' },
    'node-flags': { type: 'string', default: NODE_FLAGS.backend.join(' ') },
    gc: { type: 'boolean', default: false },
  },
});
const nodeFlags = parseV8Flags(values['node-flags']);
if (!nodeFlags) {
  process.stderr.write('--node-flags takes V8 flags such as "--max-old-space-size=128"\n');
  process.exit(2);
}
if (!existsSync(path.join(BACKEND_DIR, 'dist', 'server.js'))) {
  process.stderr.write('backend/dist/server.js is missing: run `npm run build` first\n');
  process.exit(2);
}
const FLOOR_SERVER = fileURLToPath(new URL('./floor-server.mjs', import.meta.url));
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
  await waitReady(`${floorBase}/readyz`, 10_000);
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
  const url = await seedDatabase(db, values);
  const port = await freePort();
  backend = spawn(process.execPath, [...nodeFlags, 'dist/server.js'], {
    cwd: BACKEND_DIR,
    env: serverEnv(url, port),
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const base = `http://127.0.0.1:${port}`;
  await waitReady(`${base}/readyz`, 10_000);
  const { auth, user, peer } = await signInToApi(base);
  // The same page from node:http and mysql2 alone: the least it can cost on this machine.
  const floorPort = await freePort();
  const floorBase = `http://127.0.0.1:${floorPort}`;
  floor = spawn(process.execPath, [...nodeFlags, FLOOR_SERVER], {
    cwd: BACKEND_DIR,
    env: serverEnv(url, floorPort),
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const withFloor = await floorMatches(floorBase, base, auth);

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
  // A filtered list, first and last page: one store's orders not shipped yet.
  const chain = await lastPage(base, auth);
  const FILTERED = 'GET orders store + not shipped, page 1';
  const FILTERED_DEEP = `GET orders store + not shipped, page ${chain.page} by cursor`;
  const scenarios = [
    [
      FLOOR,
      { path: '/api/v1/orders?page=1&pageSize=25' },
      { base: floorBase, pid: () => floor.pid },
    ],
    ['GET orders page 1', { path: '/api/v1/orders?page=1&pageSize=25' }],
    [DEEP, { path: `/api/v1/orders?page=${deep}&pageSize=25` }],
    [FILTERED, { path: `/api/v1/orders?${FILTER}&pageSize=25` }],
    [
      FILTERED_DEEP,
      {
        path: `/api/v1/orders?${FILTER}&pageSize=25${chain.cursor ? `&cursor=${chain.cursor}` : ''}`,
      },
    ],
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
  log('exporting every order as CSV once…');
  const exported = await measureExport(base, auth, backend.pid);
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
    `The API alone, driven by autocannon: ${values.orders} orders, ${connections} connections, ${duration} s per scenario, user ${user.id}, node ${nodeFlags.join(' ')}, ${machine()}.`,
    '',
    ...scenarioTable(rows),
    '',
    'CPU ms/req: CPU time (user + system) each process spent per request during the scenario; it varies far less than req/s when the machine is busy.',
    ...gcTable,
    `peak RSS: ${peaks.map(([name, pid]) => `${name} ${peakRssMb(pid) ?? '?'} MB`).join(', ')}`,
    `${pageLabel(deep)} / page 1: throughput ${(deepRow.rps / page1.rps).toFixed(2)}×, p99 ${(deepRow.p99 / Math.max(1, page1.p99)).toFixed(2)}×`,
    `filter ${FILTER}: ${chain.total} orders, ${chain.page} pages of 25`,
    ...[FILTERED, FILTERED_DEEP].map((name) => {
      const r = row(name);
      const cpu = (of) => of.cpu.server + of.cpu.MariaDB;
      return `${name} / page 1: throughput ${(r.rps / page1.rps).toFixed(2)}×, CPU per request (server + MariaDB) ${(cpu(r) / cpu(page1)).toFixed(2)}×`;
    }),
    `CSV export of every order: ${exported.rows} rows in ${exported.seconds.toFixed(1)} s, ${exported.rowsPerSecond} rows/s; backend peak RSS ${exported.rssBefore ?? '?'} MB before it, ${exported.rssAfter ?? '?'} MB after`,
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
