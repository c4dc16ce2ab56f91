#!/usr/bin/env node
// `npm start`: the backend and the frontend together on the embedded SQLite
// default. The first start creates a demo admin and prints its credentials.
// Ctrl-C stops both.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const { NODE_FLAGS } = require('./lib/node-flags.js');
const { waitReady } = require('./lib/process.js');

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

const children = [];
function run(name, script, env) {
  const child = spawn(process.execPath, [...NODE_FLAGS[name], script], {
    cwd: path.join(root, name),
    env: { ...process.env, ...env },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
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

run('backend', 'dist/server.js', {
  PORT: backendPort,
  HOST: '127.0.0.1',
  DATA_DIR: dataDir,
  SHUTDOWN_DRAIN_MS: '0',
  ...(admin ? { ADMIN_EMAIL: admin.email, ADMIN_PASSWORD: admin.password } : {}),
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
  admin
    ? `  Demo admin (shown once): ${admin.email} / ${admin.password}`
    : '  Sign up at /signup, or use the admin printed on the first start.',
  '  Ctrl-C stops both services.',
  '',
];
process.stdout.write(`${lines.join('\n')}\n`);
