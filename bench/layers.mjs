#!/usr/bin/env node
// Fixed-rate latency at each layer of the stack: the same orders page asked of the
// backend directly, of one frontend directly, and through nginx, each at a steady
// rate (open loop), so the tail can be traced to the hop that adds it. The backend's
// /healthz (no database) is the floor of one Node hop. Loopback only, bounded in time.
//   npm run bench:layers [-- --rate 300 --duration 10 --orders 100000 --messages 100000]
// `--rate` takes a comma-separated list (e.g. 100,300). Orders pages cost the same at
// any table size, so a smaller seed than `npm run bench` gives the same latencies.
import { parseArgs } from 'node:util';
import { paced } from './lib/paced.mjs';
import { withCpuPerRequest } from './lib/proc.mjs';
import { signInThroughNginx, signInToApi } from './lib/sign-in.mjs';
import { processGroups, startSeededStack } from './lib/stack.mjs';
import { machine, markdownTable } from './lib/table.mjs';
import { wrk } from './lib/wrk.mjs';

const { values } = parseArgs({
  options: {
    rate: { type: 'string', default: '300' },
    duration: { type: 'string', default: '10' },
    orders: { type: 'string', default: '100000' },
    messages: { type: 'string', default: '100000' },
  },
});
const rates = values.rate.split(',').map(Number);
const durationS = Number(values.duration);
// The two-second warm-up needs at least one request too.
if (rates.some((r) => !(r * Math.min(2, durationS) >= 1)) || !(durationS > 0)) {
  process.stderr.write('--rate takes positive numbers (e.g. 100,300), --duration seconds\n');
  process.exit(2);
}
const say = (line) => process.stderr.write(`${line}\n`);

const stack = await startSeededStack({
  orders: Number(values.orders),
  messages: Number(values.messages),
  say,
});
const rows = [];
try {
  const { headers } = await signInThroughNginx(stack.url);
  const { auth } = await signInToApi(stack.backend.url);
  const frontend = stack.frontends[0];
  const processes = { ...processGroups(stack), 'load generator': [process.pid] };
  const layers = [
    ['backend /healthz (no database)', `${stack.backend.url}/healthz`, {}],
    ['backend API orders page 1', `${stack.backend.url}/api/v1/orders?page=1&pageSize=25`, auth],
    [`${frontend.name} orders page 1`, `http://127.0.0.1:${frontend.port}/orders?page=1`, headers],
    ['nginx → 3 frontends, orders page 1', `${stack.url}/orders?page=1`, headers],
  ];
  say('  warming up the stack…');
  await wrk({ url: `${stack.url}/orders?page=2`, connections: 64, durationS: 10, headers });
  for (const [name, url, requestHeaders] of layers) {
    for (const rate of rates) {
      say(`  ${name} at ${rate} req/s…`);
      // Two unrecorded seconds at the same rate first, so the code on the path is warm.
      await paced({ url, rate, durationS: 2, headers: requestHeaders });
      const r = await withCpuPerRequest(processes, async () => {
        const result = await paced({ url, rate, durationS, headers: requestHeaders });
        return { ...result, requests: result.sent };
      });
      rows.push([
        name,
        rate,
        r.p50,
        r.p99,
        r.max,
        r.errors,
        r.busyPercent,
        ...Object.values(r.cpu).map((ms) => ms.toFixed(2)),
      ]);
    }
  }
} finally {
  await stack.stop();
}
const out = [
  `Fixed-rate latency by layer (open loop, evenly spaced, latency from each request's due time), ${durationS} s per row, ${machine()}.`,
  '',
  ...markdownTable(
    [
      'layer',
      'req/s',
      'p50 ms',
      'p99 ms',
      'max ms',
      'errors',
      'CPU busy %',
      'CPU ms/req backend',
      'frontends',
      'nginx',
      'MariaDB',
      'load generator',
    ],
    rows,
  ),
  '',
  'CPU busy %: the whole machine, as a share of all cores. CPU ms/req: what each group of processes spent per request, whether or not the layer involves it (the frontends summed).',
];
process.stdout.write(`${out.join('\n')}\n`);
