#!/usr/bin/env node
// Instructions per request, counted by valgrind's callgrind: unlike req/s or CPU time
// it does not move when other tenants slow a shared machine down, so two builds can
// be compared run against run. The backend serves N1, then (in a second run) N2
// sequential requests; (I(N2) - I(N1)) / (N2 - N1) is the steady-state cost of one,
// start-up and JIT warm-up cancelling out. Garbage collections and background
// compilation still land differently from run to run: expect a few per cent of spread.
// The floor row is the same page from bench/floor-server.mjs (node:http and mysql2 alone).
//   npm run build && node backend/bench/instructions.mjs [--backend DIR] [--n1 500 --n2 3000]
// Needs valgrind and mariadbd (Debian packages valgrind, mariadb-server); a few minutes.
import { spawn, execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import { backendEnv, floorRuns, seedDatabase, signIn, waitReady } from './lib.mjs';

const require = createRequire(import.meta.url);
const { startMariaDB, freePort } = require('../../scripts/lib/mariadb.js');
const { NODE_FLAGS } = require('../../scripts/lib/node-flags.js');

const here = path.dirname(fileURLToPath(import.meta.url));
const FLOOR = path.join(here, 'floor-server.mjs');
const { values } = parseArgs({
  options: {
    backend: { type: 'string', default: path.join(here, '..') },
    n1: { type: 'string', default: '500' },
    n2: { type: 'string', default: '3000' },
  },
});
const target = path.resolve(values.backend);
const [n1, n2] = [Number(values.n1), Number(values.n2)];
const log = (line) => process.stderr.write(`${line}\n`);
try {
  execFileSync('valgrind', ['--version'], { stdio: 'ignore' });
} catch {
  log('valgrind is not installed: apt-get install valgrind');
  process.exit(2);
}
if (!existsSync(path.join(target, 'dist', 'server.js'))) {
  log(`${target}/dist/server.js is missing: build that checkout first`);
  process.exit(2);
}

/** What is running now, for Ctrl-C: the backend under valgrind, its files, the private MariaDB. */
let current;
let currentDir;
let db;
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, () => {
    log(`${signal}: stopping…`);
    current?.kill('SIGTERM');
    if (currentDir) rmSync(currentDir, { recursive: true, force: true });
    void Promise.resolve(db?.stop()).finally(() => process.exit(130));
  });
}

/**
 * Total instructions a server process executed while serving `count` requests to
 * `scenarioPath`: the backend, or `script` (run with the backend's directory as its argument).
 */
async function instructions(url, { scenarioPath, script = 'dist/server.js' }, count, session) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'tradepost-callgrind-'));
  currentDir = dir;
  const port = await freePort();
  const backend = spawn(
    'valgrind',
    [
      '--tool=callgrind',
      // V8 writes the code it compiles: without this valgrind would run stale translations.
      '--smc-check=all-non-file',
      `--callgrind-out-file=${path.join(dir, 'out')}`,
      process.execPath,
      ...NODE_FLAGS.backend,
      script,
      target,
    ],
    {
      cwd: target,
      env: backendEnv(url, port),
      stdio: ['ignore', 'ignore', 'pipe'],
    },
  );
  current = backend;
  let stderr = '';
  backend.stderr.on('data', (chunk) => (stderr += chunk));
  const exited = new Promise((resolve) => backend.once('exit', resolve));
  try {
    const base = `http://127.0.0.1:${port}`;
    // Start-up under valgrind takes a while.
    await waitReady(base, { timeoutMs: 300_000, detail: () => stderr });
    const { auth, peer } = session;
    const resolved = scenarioPath.replace('{peer}', peer);
    for (let i = 0; i < count; i++) {
      const res = await fetch(`${base}${resolved}`, { headers: auth });
      await res.arrayBuffer();
      if (res.status !== 200) throw new Error(`${resolved} answered ${res.status}`);
    }
  } finally {
    backend.kill('SIGTERM');
    await exited;
    rmSync(dir, { recursive: true, force: true });
  }
  const total = /Collected : (\d+)/.exec(stderr)?.[1];
  if (!total) throw new Error(`no instruction count from callgrind:\n${stderr.slice(-2000)}`);
  return Number(total);
}

/** Sign in through the backend run plainly (not under valgrind): every run then uses that session. */
async function signInOnce(url) {
  const port = await freePort();
  const backend = spawn(process.execPath, [...NODE_FLAGS.backend, 'dist/server.js'], {
    cwd: target,
    env: backendEnv(url, port),
    stdio: 'ignore',
  });
  current = backend;
  const exited = new Promise((resolve) => backend.once('exit', resolve));
  try {
    const base = `http://127.0.0.1:${port}`;
    await waitReady(base, { timeoutMs: 30_000 });
    return await signIn(base);
  } finally {
    backend.kill('SIGTERM');
    await exited;
  }
}

db = await startMariaDB();
try {
  log('seeding 20,000 orders and 20,000 messages into a private MariaDB…');
  const url = await seedDatabase(db, target, { orders: 20_000, messages: 20_000 });
  const session = await signInOnce(url);
  const withFloor = floorRuns(target);
  if (!withFloor) {
    log('no floor row: that build predates the one-statement orders page the floor runs');
  }
  const page1 = '/api/v1/orders?page=1&pageSize=25';
  const scenarios = [
    ...(withFloor
      ? [
          [
            'floor: the page 1 statement from node:http + mysql2',
            { scenarioPath: page1, script: FLOOR },
          ],
        ]
      : []),
    ['GET orders page 1', { scenarioPath: page1 }],
    ['GET conversation page', { scenarioPath: '/api/v1/conversations/{peer}/messages?limit=50' }],
  ];
  const rows = [];
  for (const [name, scenario] of scenarios) {
    log(`"${name}": ${n1}, then ${n2} requests under callgrind…`);
    const a = await instructions(url, scenario, n1, session);
    const b = await instructions(url, scenario, n2, session);
    rows.push(`| ${name} | ${((b - a) / (n2 - n1) / 1e6).toFixed(2)} |`);
  }
  process.stdout.write(
    [
      `Backend instructions per request (${target}), steady state between request ${n1} and ${n2}`,
      '',
      '| scenario | million instructions/request |',
      '| --- | ---: |',
      ...rows,
      '',
    ].join('\n'),
  );
} finally {
  await db.stop();
}
