#!/usr/bin/env node
// `npm start`: the backend and the frontend together on the embedded SQLite
// default. The first start creates a demo admin and prints its credentials;
// `npm start -- --demo` on a first start also loads sample users, orders and
// conversations. On a terminal the services' JSON log lines are shown readable
// (pino-pretty); piped, they stay JSON. Ctrl-C stops both.
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const require = createRequire(import.meta.url);
const { NODE_FLAGS } = require('./lib/node-flags.js');
const { waitReady } = require('./lib/process.js');

const { values: flags } = parseArgs({ options: { demo: { type: 'boolean', default: false } } });
const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
const dataDir = process.env.DATA_DIR ?? path.join(root, 'backend', 'data');
const backendPort = process.env.BACKEND_PORT ?? '4000';
const frontendPort = process.env.PORT ?? '3000';
mkdirSync(dataDir, { recursive: true, mode: 0o700 });

// A cookie secret kept beside the database, so sign-ins survive a restart.
const secretFile = path.join(dataDir, 'cookie-secret');
if (!existsSync(secretFile))
  writeFileSync(secretFile, randomBytes(32).toString('base64url'), { mode: 0o600 });

const firstRun = !process.env.DATABASE_URL && !existsSync(path.join(dataDir, 'tradepost.db'));
const admin = firstRun
  ? { email: 'admin@tradepost.local', password: randomBytes(12).toString('base64url') }
  : null;

// One pretty printer for both services' lines when a person is watching.
const pretty = process.stdout.isTTY
  ? require('pino-pretty')({
      colorize: true,
      translateTime: 'SYS:HH:MM:ss',
      ignore: 'pid,hostname,service',
    })
  : null;

const children = [];
function run(name, script, env) {
  const child = spawn(process.execPath, [...NODE_FLAGS[name], script], {
    cwd: path.join(root, name),
    env: { ...process.env, ...env },
    stdio: ['ignore', pretty ? 'pipe' : 'inherit', 'inherit'],
  });
  if (pretty) child.stdout.pipe(pretty, { end: false });
  child.on('exit', (code, signal) => {
    if (!stopping) {
      process.stderr.write(`${name} exited (${signal ?? code}); stopping\n`);
      stop(1);
    }
  });
  children.push(child);
  return child;
}

let stopping = false;
function stop(code = 0) {
  if (stopping) return;
  stopping = true;
  let left = children.length;
  if (left === 0) process.exit(code);
  for (const child of children) {
    child.once('exit', () => {
      if (--left === 0) process.exit(code);
    });
    child.kill('SIGTERM');
  }
}
process.on('SIGINT', () => stop(0));
process.on('SIGTERM', () => stop(0));

/** Sample data for a first look: the seed's own progress lines and summary show. */
function seedDemo() {
  const result = spawnSync(
    process.execPath,
    [
      'dist/seed/cli-seed.js',
      '--users',
      '20',
      '--orders',
      '500',
      '--messages',
      '300',
      '--admin-email',
      admin.email,
    ],
    {
      cwd: path.join(root, 'backend'),
      env: { ...process.env, DATA_DIR: dataDir, SEED_ADMIN_PASSWORD: admin.password },
      stdio: 'inherit',
    },
  );
  if (result.status !== 0) process.exit(result.status ?? 1);
}

const demo = flags.demo && admin !== null;
if (flags.demo && !admin) {
  process.stdout.write(
    `--demo fills a new data directory only; ${path.relative(root, dataDir) || dataDir} has data already (delete it to start over).\n`,
  );
}
if (demo) seedDemo();

run('backend', 'dist/server.js', {
  PORT: backendPort,
  HOST: '127.0.0.1',
  DATA_DIR: dataDir,
  SHUTDOWN_DRAIN_MS: '0',
  ...(admin && !demo ? { ADMIN_EMAIL: admin.email, ADMIN_PASSWORD: admin.password } : {}),
});
await waitReady(`http://127.0.0.1:${backendPort}/readyz`);
run('frontend', 'dist/server.js', {
  PORT: frontendPort,
  BACKEND_URL: `http://127.0.0.1:${backendPort}`,
  COOKIE_SECRET_FILE: secretFile,
  SHUTDOWN_DRAIN_MS: '0',
});
await waitReady(`http://127.0.0.1:${frontendPort}/readyz`);

const lines = [
  '',
  `  Tradepost is running: http://localhost:${frontendPort}`,
  `  API: http://localhost:${backendPort}/api/v1 (docs at /docs)`,
  demo
    ? '  Sample data loaded: sign in with the admin or a demo user printed above.'
    : admin
      ? `  Demo admin (shown once): ${admin.email} / ${admin.password}`
      : '  Sign up at /signup, or use the admin printed on the first start.',
  ...(admin && !demo
    ? ['  Empty tables? Stop, delete backend/data and run `npm start -- --demo` for sample data.']
    : []),
  '  Ctrl-C stops both services.',
  '',
];
process.stdout.write(`${lines.join('\n')}\n`);
