#!/usr/bin/env node
// The fixed-rate tail against the services' garbage collections: orders page 1
// through nginx at a steady rate (open loop), several runs, with every backend and
// frontend recording its collections (bench/lib/gc-events.cjs, loaded with `-r`).
// For each run it prints the p99, how many requests were slower than `--slow`, how
// many of those overlapped a major collection's window in any service, and the share
// of the run those windows cover, which is what chance alone would put in them.
// Loopback only, bounded in time.
//   npm run bench:gc [-- --rate 300 --duration 10 --runs 5 --slow 20 --orders 100000
//                       --messages 100000 --v8-flags="--heap-growing-percent=100"]
// `--v8-flags` applies V8 flags in every service (through v8.setFlagsFromString), so a
// collector setting can be compared with the default in two invocations.
import { parseArgs } from 'node:util';
import { gcRecorder } from './lib/gc-collect.mjs';
import { slowNearWindows, windowsAround } from './lib/gc-windows.mjs';
import { parseV8Flags } from './lib/v8-flags.mjs';
import { paced } from './lib/paced.mjs';
import { peakRssMb, withCpuPerRequest } from './lib/proc.mjs';
import { signInThroughNginx } from './lib/sign-in.mjs';
import { processGroups, startSeededStack } from './lib/stack.mjs';
import { machine, markdownTable } from './lib/table.mjs';
import { wrk } from './lib/wrk.mjs';

const { values } = parseArgs({
  options: {
    rate: { type: 'string', default: '300' },
    duration: { type: 'string', default: '10' },
    runs: { type: 'string', default: '5' },
    slow: { type: 'string', default: '20' },
    orders: { type: 'string', default: '100000' },
    messages: { type: 'string', default: '100000' },
    'v8-flags': { type: 'string', default: '' },
  },
});
const [rate, durationS, runs, slowMs] = [
  values.rate,
  values.duration,
  values.runs,
  values.slow,
].map(Number);
if (![rate, durationS, runs, slowMs].every((n) => n > 0) || !Number.isInteger(runs)) {
  process.stderr.write('--rate, --duration, --runs and --slow take positive numbers\n');
  process.exit(2);
}
const flags = parseV8Flags(values['v8-flags']);
if (!flags) {
  process.stderr.write('--v8-flags takes V8 flags such as "--heap-growing-percent=100"\n');
  process.exit(2);
}
const v8Flags = flags.join(' ');
const say = (line) => process.stderr.write(`${line}\n`);

const recorder = gcRecorder({ v8Flags });
const stack = await startSeededStack({
  orders: Number(values.orders),
  messages: Number(values.messages),
  say,
  serviceEnv: recorder.env,
});

const services = [
  { name: 'backend', pid: stack.backend.pid() },
  ...stack.frontends.map((f) => ({ name: 'frontends', pid: f.pid() })),
];

const collectGcs = () => recorder.collect(services);

const rows = [];
try {
  const { headers } = await signInThroughNginx(stack.url);
  const options = { url: `${stack.url}/orders?page=1`, headers, rate };
  say('  warming up the stack…');
  await wrk({ url: `${stack.url}/orders?page=2`, connections: 64, durationS: 10, headers });
  await paced({ ...options, durationS: 2 });
  for (let run = 1; run <= runs; run++) {
    say(`  run ${run} of ${runs}: orders page 1 at ${rate} req/s for ${durationS} s…`);
    await collectGcs();
    const r = await withCpuPerRequest(processGroups(stack), async () => {
      const result = await paced({ ...options, durationS, samples: true });
      return { ...result, requests: result.sent };
    });
    const majors = (await collectGcs()).filter((g) => g.kind === 'major');
    const near = slowNearWindows(r.samples ?? [], windowsAround(majors), slowMs);
    const count = (name) => majors.filter((g) => g.service === name).length;
    rows.push([
      run,
      r.p50,
      r.p99,
      r.errors,
      r.busyPercent,
      near.slow,
      near.slow
        ? `${near.slowInWindows} (${Math.round((100 * near.slowInWindows) / near.slow)} %)`
        : '0',
      `${Math.round(100 * near.timeShare)} %`,
      count('backend'),
      count('frontends'),
      Math.max(0, ...majors.map((g) => g.ms)).toFixed(1),
    ]);
  }
} finally {
  const rss = services.map((s) => peakRssMb(s.pid));
  await stack.stop();
  if (rows.length) {
    const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];
    console.log(
      [
        `Orders page 1 through nginx at a fixed ${rate} req/s, ${durationS} s per run, V8 flags: ${v8Flags || 'none beyond the services’ own'}, ${machine()}.`,
        '',
        ...markdownTable(
          [
            'run',
            'p50 ms',
            'p99 ms',
            'errors',
            'CPU busy %',
            `requests > ${slowMs} ms`,
            'of them in a major GC window',
            'windows’ share of the run',
            'major GCs: backend',
            'major GCs: frontends',
            'longest major pause ms',
          ],
          rows,
        ),
        '',
        `Median p99 ${median(rows.map((r) => r[2]))} ms. Peak RSS MB: backend ${rss[0]}, frontends ${rss.slice(1).join(', ')}.`,
        'A major GC window runs from 80 ms before its final pause (concurrent marking) to 20 ms after it.',
      ].join('\n'),
    );
  }
}
