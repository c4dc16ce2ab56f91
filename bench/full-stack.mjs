#!/usr/bin/env node
// Full-stack benchmark: 1,000,000 orders and 1,000,000 messages in a private
// MariaDB, the whole stack up (backend, 3 frontends, nginx), driven through nginx
// over loopback: wrk for throughput at a fixed number of connections, and an
// open-loop generator for latency at a fixed request rate. Every throughput is
// also given as a ratio to the ceiling measured in the same run: nginx in front
// of a bare Node server.
//   npm run bench [-- --duration 10 --connections 64 --orders 1000000 --messages 1000000 --rate 300]
// Prints its tables on stdout (progress goes to stderr).
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { createRequire } from 'node:module';
import { addOrderPost } from './lib/add-order.mjs';
import { paced } from './lib/paced.mjs';
import { DEEP_PAGE, deepPage, pageLabel } from './lib/pages.mjs';
import { signInThroughNginx } from './lib/sign-in.mjs';
import { processGroups, startSeededStack } from './lib/stack.mjs';
import { peakRssMb, withCpuPerRequest } from './lib/proc.mjs';
import { machine, markdownTable, scenarioTable } from './lib/table.mjs';
import { wrk } from './lib/wrk.mjs';

const require = createRequire(import.meta.url);
const { startNginx } = require('../scripts/lib/nginx.js');
const { freePort } = require('../scripts/lib/process.js');
const { values } = parseArgs({
  options: {
    duration: { type: 'string', default: '10' },
    connections: { type: 'string', default: '64' },
    orders: { type: 'string', default: '1000000' },
    messages: { type: 'string', default: '1000000' },
    rate: { type: 'string', default: '300' },
  },
});
const duration = Number(values.duration);
if (!(Number(values.rate) * duration >= 1) || !(Number(values.connections) >= 1)) {
  process.stderr.write('--rate (req/s), --duration (s) and --connections take positive numbers\n');
  process.exit(2);
}
const WARMUP_S = 3;
const connections = Number(values.connections);
const benchStarted = Date.now();
const say = (line) => process.stderr.write(`${line}\n`);
const deep = deepPage(Number(values.orders));
if (deep !== DEEP_PAGE) {
  say(
    `${values.orders} orders make ${deep} pages: the deep page is ${pageLabel(deep)}, not ${pageLabel(DEEP_PAGE)}`,
  );
}

/**
 * A few unrecorded seconds first, so each scenario is measured after its code is
 * warm. With `processes` (name → pids), also the CPU time each group spent per
 * request: unlike throughput, it barely moves when the machine is busy elsewhere.
 */
async function run(name, options, processes = {}) {
  say(`  ${name}…`);
  await wrk({ connections, durationS: WARMUP_S, ...options });
  const result = await withCpuPerRequest(processes, () =>
    wrk({ connections, durationS: duration, ...options }),
  );
  return { name, ...result };
}

async function ceiling() {
  const server = http.createServer((_req, res) => res.end('ok'));
  server.keepAliveTimeout = 5000;
  const port = await freePort();
  await new Promise((r) => server.listen(port, '127.0.0.1', r));
  const dir = mkdtempSync(path.join(os.tmpdir(), 'tradepost-bench-nginx-'));
  // nginx's workers run as another user when it starts as root: they must reach the files.
  chmodSync(dir, 0o755);
  let nginx;
  try {
    nginx = await startNginx({
      dir: path.join(dir, 'nginx'),
      servers: [`127.0.0.1:${port}`],
      port: await freePort(),
      statusPort: await freePort(),
      logs: dir,
    });
    return await run('ceiling: nginx → bare Node "ok"', {
      url: `http://127.0.0.1:${nginx.port}/`,
    });
  } finally {
    await nginx?.stop();
    server.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

const stack = await startSeededStack({
  orders: Number(values.orders),
  messages: Number(values.messages),
  say,
});
const rows = [];
let rss = [];
let fixed;
try {
  const { headers, peer, csrf } = await signInThroughNginx(stack.url);

  const processes = processGroups(stack);
  rows.push(await ceiling());
  // The services' first seconds under load are slower (code still being optimised, heaps
  // still growing): give them a longer start than each scenario's own warm-up.
  say('  warming up the stack…');
  await wrk({ url: `${stack.url}/orders?page=2`, connections, durationS: 10, headers });
  rows.push(await run('orders page 1', { url: `${stack.url}/orders?page=1`, headers }, processes));
  rows.push(
    await run(
      `orders ${pageLabel(deep)}`,
      { url: `${stack.url}/orders?page=${deep}`, headers },
      processes,
    ),
  );
  rows.push(
    await run('conversation page', { url: `${stack.url}/messages/${peer}`, headers }, processes),
  );
  rows.push(await run('add-order POST', addOrderPost(stack.url, { headers, csrf }), processes));
  say(`  orders page 1 at a fixed ${values.rate} req/s…`);
  const fixedOptions = { url: `${stack.url}/orders?page=1`, headers, rate: Number(values.rate) };
  // Two unrecorded seconds at the rate first, so the code on the path is warm.
  await paced({ ...fixedOptions, durationS: 2 });
  fixed = await withCpuPerRequest({ ...processes, 'load generator': [process.pid] }, async () => {
    const r = await paced({ ...fixedOptions, durationS: duration });
    return { ...r, requests: r.sent };
  });
  rss = [
    ['backend', stack.backend.pid()],
    ...stack.frontends.map((f) => [f.name, f.pid()]),
    ['nginx (master)', stack.nginx.pid()],
    ['mariadbd', stack.mariadb?.pid()],
  ].map(([name, pid]) => [name, peakRssMb(pid)]);
} finally {
  await stack.stop();
}

const base = rows[0];
const ratio = (a, b) => (b ? `${(a / b).toFixed(2)}×` : '–');
const table = [
  `Full stack through nginx, driven by wrk: ${values.orders} orders, ${values.messages} messages, ${connections} connections, ${duration} s per scenario, ${machine()}.`,
  '',
  ...scenarioTable(rows, [['req/s vs ceiling', (r) => ratio(r.rps, base.rps)]]),
  '',
  `Orders page 1 at a fixed ${values.rate} req/s (open loop, evenly spaced, latency from each request's due time; the generator runs in the benchmark's own process):`,
  '',
  ...markdownTable(
    [
      'req/s',
      'p50 ms',
      'p99 ms',
      'max ms',
      'errors',
      'CPU busy %',
      ...Object.keys(fixed.cpu).map((g) => `CPU ms/req ${g}`),
    ],
    [
      [
        fixed.rps,
        fixed.p50,
        fixed.p99,
        fixed.max,
        fixed.errors,
        fixed.busyPercent,
        ...Object.values(fixed.cpu).map((ms) => ms.toFixed(2)),
      ],
    ],
  ),
  '',
  'CPU busy %: how busy the whole machine was during the scenario, as a share of all cores. CPU ms/req: CPU time (user + system) each group of processes spent per request during the scenario; the three frontends are summed. It varies far less than req/s when the machine is busy.',
  `${pageLabel(deep)} vs page 1: throughput ${ratio(rows[2].rps, rows[1].rps)}, p99 ${ratio(rows[2].p99, rows[1].p99)}.`,
  '',
  ...markdownTable(
    ['process', 'peak RSS MB'],
    rss.map(([name, mb]) => [name, mb ?? 'n/a']),
  ),
  '',
  'Rerun: `npm run bench` (options: `-- --duration 10 --connections 64 --orders 1000000 --messages 1000000 --rate 300`).',
];
process.stdout.write(`${table.join('\n')}\n`);
say(`Done in ${((Date.now() - benchStarted) / 1000).toFixed(0)} s.`);
