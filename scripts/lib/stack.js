// @ts-check
/**
 * The whole topology as local processes — MariaDB (or SQLite), one backend,
 * N frontend replicas and nginx — started, watched and stopped by PID. Used by
 * `npm run stack`, the end-to-end and fault tests, and the benchmark.
 */
'use strict';

const { spawn, execFile, execFileSync } = require('node:child_process');
const { randomBytes } = require('node:crypto');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { startMariaDB, findMariadbd, freePort, stopOnExit } = require('./mariadb');
const { NODE_FLAGS } = require('./node-flags');

const ROOT = path.join(__dirname, '..', '..');
const NGINX_CANDIDATES = ['/usr/sbin/nginx', '/usr/bin/nginx'];

function findNginx() {
  return NGINX_CANDIDATES.find((p) => fs.existsSync(p)) ?? null;
}

/** @param {string} url @param {number} timeoutMs */
async function waitReady(url, timeoutMs = 30000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const res = await fetch(url);
      await res.arrayBuffer();
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline)
      throw new Error(`${url} did not become ready within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * A supervised child process that can be stopped, killed, frozen and restarted
 * with the same port and environment.
 * @param {{ name: string, command: string, args: string[], cwd: string, env: Record<string, string>, logFile: string, readyUrl?: string }} spec
 */
function managed(spec) {
  /** @type {import('node:child_process').ChildProcess | null} */
  let child = null;
  /** @type {Promise<number | null> | null} */
  let exited = null;
  const handle = {
    name: spec.name,
    env: spec.env,
    readyUrl: spec.readyUrl,
    /** @returns {number | undefined} */
    pid: () => child?.pid,
    /** Exit code of the last run (null while running or when killed by a signal). */
    exitCode: /** @type {number | null} */ (null),
    async start() {
      const log = fs.openSync(spec.logFile, 'a');
      const proc = spawn(spec.command, spec.args, {
        cwd: spec.cwd,
        env: { ...process.env, ...spec.env },
        stdio: ['ignore', log, log],
      });
      fs.closeSync(log);
      child = proc;
      stopOnExit(proc);
      handle.exitCode = null;
      exited = new Promise((resolve) =>
        proc.once('exit', (code) => {
          handle.exitCode = code;
          resolve(code);
        }),
      );
      if (spec.readyUrl) await waitReady(spec.readyUrl);
    },
    /** @param {NodeJS.Signals} [signal] @returns {Promise<number | null>} resolves with the exit code */
    async stop(signal = 'SIGTERM') {
      const proc = child;
      if (!proc || proc.exitCode !== null || proc.signalCode !== null) return handle.exitCode;
      proc.kill(signal);
      return exited;
    },
    /** @param {NodeJS.Signals} signal */
    signal(signal) {
      child?.kill(signal);
    },
    running: () => Boolean(child && child.exitCode === null && child.signalCode === null),
  };
  return handle;
}

/**
 * @typedef {object} StackOptions
 * @property {number} [port]            nginx port (default: a free port)
 * @property {number} [frontends]       frontend replicas (default 3)
 * @property {'auto' | 'sqlite' | 'mysql'} [database]  auto: DATABASE_URL, else private MariaDB when installed, else SQLite
 * @property {{ users: number, orders: number, messages: number }} [seed]
 * @property {Record<string, string>} [backendEnv]
 * @property {Record<string, string>} [frontendEnv]
 * @property {Record<string, string>} [nginxEnv]
 * @property {(line: string) => void} [log]
 * @property {boolean} [keepLogs]       keep the temp dir (logs, SQLite file) after stop()
 */

/** @param {StackOptions} [options] */
async function startStack(options = {}) {
  const log = options.log ?? (() => {});
  const nginxBin = findNginx();
  if (!nginxBin) throw new Error('nginx is not installed (Debian package "nginx")');
  for (const service of ['backend', 'frontend']) {
    if (!fs.existsSync(path.join(ROOT, service, 'dist', 'server.js'))) {
      throw new Error(`${service}/dist is missing: run \`npm run build\` first`);
    }
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tradepost-stack-'));
  fs.chmodSync(dir, 0o755);
  const logs = path.join(dir, 'logs');
  fs.mkdirSync(logs);
  /** Stages in start order; stopped in reverse, each stage's processes in parallel. */
  /** @type {Array<Array<{ stop: (signal?: NodeJS.Signals) => Promise<unknown> }>>} */
  const started = [];

  async function stopAll() {
    for (const stage of [...started].reverse()) {
      await Promise.all(stage.map((proc) => proc.stop('SIGTERM').catch(() => {})));
    }
    started.length = 0;
    if (!options.keepLogs) fs.rmSync(dir, { recursive: true, force: true });
  }

  try {
    // Database: an explicit URL, a private MariaDB, or the embedded SQLite file.
    let databaseUrl = process.env.DATABASE_URL;
    /** @type {import('./mariadb').MariaDB | null} */
    let mariadb = null;
    const wantMysql =
      options.database === 'mysql' || (options.database !== 'sqlite' && !databaseUrl);
    if (!databaseUrl && wantMysql && findMariadbd()) {
      mariadb = await startMariaDB({ bufferPool: '256M' });
      started.push([{ stop: () => /** @type {import('./mariadb').MariaDB} */ (mariadb).stop() }]);
      execFileSync(
        process.execPath,
        [
          '-e',
          `
        const k = require('knex')({ client: 'mysql2', connection: ${JSON.stringify(mariadb.url)} });
        k.raw('CREATE DATABASE tradepost').then(() => k.destroy());`,
        ],
        { cwd: path.join(ROOT, 'backend') },
      );
      databaseUrl = `${mariadb.url}/tradepost`;
      log(`MariaDB on 127.0.0.1:${mariadb.port} (private, in ${mariadb.dir})`);
    } else if (!databaseUrl) {
      if (options.database === 'mysql')
        throw new Error('MariaDB/MySQL is not installed and DATABASE_URL is not set');
      databaseUrl = `sqlite:${path.join(dir, 'tradepost.db')}`;
      log('No MariaDB/MySQL found: using the embedded SQLite file with a single backend.');
    }
    const dialect = databaseUrl.startsWith('mysql') ? 'mysql' : 'sqlite';

    const backendDir = path.join(ROOT, 'backend');
    const dbEnv = { ...process.env, DATABASE_URL: databaseUrl, LOG_LEVEL: 'warn' };
    execFileSync(process.execPath, ['dist/db/cli-migrate.js'], {
      cwd: backendDir,
      env: dbEnv,
      stdio: 'ignore',
    });
    log('migrations applied');
    const admin = {
      email: 'admin@tradepost.local',
      password: randomBytes(12).toString('base64url'),
    };
    if (options.seed) {
      log(
        `seeding ${options.seed.users} users, ${options.seed.orders} orders, ${options.seed.messages} messages…`,
      );
      execFileSync(
        process.execPath,
        [
          'dist/db/cli-seed.js',
          '--users',
          String(options.seed.users),
          '--orders',
          String(options.seed.orders),
          '--messages',
          String(options.seed.messages),
          '--admin-email',
          admin.email,
        ],
        {
          cwd: backendDir,
          env: { ...dbEnv, SEED_ADMIN_PASSWORD: admin.password },
          // Progress lines only where someone is watching (npm run stack passes `log`).
          stdio: ['ignore', 'ignore', options.log ? 'inherit' : 'ignore'],
        },
      );
    }

    const backendPort = await freePort();
    const backend = managed({
      name: 'backend',
      command: process.execPath,
      args: [...NODE_FLAGS.backend, 'dist/server.js'],
      cwd: backendDir,
      env: {
        DATABASE_URL: databaseUrl,
        PORT: String(backendPort),
        HOST: '127.0.0.1',
        MIGRATE_ON_START: 'false',
        ADMIN_EMAIL: admin.email,
        ADMIN_PASSWORD: admin.password,
        ...options.backendEnv,
      },
      logFile: path.join(logs, 'backend.log'),
      readyUrl: `http://127.0.0.1:${backendPort}/readyz`,
    });
    await backend.start();
    started.push([backend]);
    log(`backend on 127.0.0.1:${backendPort} (pid ${backend.pid()})`);

    const cookieSecret = randomBytes(32).toString('base64url');
    const frontends = [];
    for (let i = 0; i < (options.frontends ?? 3); i++) {
      const port = await freePort();
      const frontend = managed({
        name: `frontend-${i + 1}`,
        command: process.execPath,
        args: [...NODE_FLAGS.frontend, 'dist/server.js'],
        cwd: path.join(ROOT, 'frontend'),
        env: {
          PORT: String(port),
          HOST: '127.0.0.1',
          BACKEND_URL: `http://127.0.0.1:${backendPort}`,
          COOKIE_SECRET: cookieSecret,
          ...options.frontendEnv,
        },
        logFile: path.join(logs, `frontend-${i + 1}.log`),
        readyUrl: `http://127.0.0.1:${port}/readyz`,
      });
      frontends.push(Object.assign(frontend, { port }));
    }
    await Promise.all(frontends.map((f) => f.start()));
    started.push(frontends);
    log(`frontends on ${frontends.map((f) => `127.0.0.1:${f.port}`).join(', ')}`);

    const nginxPort = options.port ?? (await freePort());
    const statusPort = await freePort();
    const runtime = path.join(dir, 'nginx');
    fs.mkdirSync(runtime, { mode: 0o755 });
    const conf = execFileSync('sh', [path.join(ROOT, 'nginx', 'render.sh')], {
      env: {
        ...process.env,
        FRONTEND_SERVERS: frontends.map((f) => `127.0.0.1:${f.port}`).join(' '),
        NGINX_PORT: String(nginxPort),
        NGINX_STATUS_PORT: String(statusPort),
        NGINX_RUNTIME_DIR: runtime,
        NGINX_ACCESS_LOG: path.join(logs, 'nginx-access.log'),
        ...options.nginxEnv,
      },
      encoding: 'utf8',
    });
    const confFile = path.join(runtime, 'nginx.conf');
    fs.writeFileSync(confFile, conf);
    execFileSync(nginxBin, ['-t', '-q', '-p', runtime, '-c', confFile, '-e', 'stderr']);
    const nginx = managed({
      name: 'nginx',
      command: nginxBin,
      args: ['-p', runtime, '-c', confFile, '-e', 'stderr', '-g', 'daemon off;'],
      cwd: runtime,
      env: {},
      logFile: path.join(logs, 'nginx.log'),
      readyUrl: `http://127.0.0.1:${nginxPort}/nginx-health`,
    });
    await nginx.start();
    started.push([nginx]);
    const url = `http://127.0.0.1:${nginxPort}`;
    log(`nginx on ${url}`);

    return {
      url,
      dir,
      logs,
      dialect,
      databaseUrl,
      admin,
      mariadb,
      backend: Object.assign(backend, {
        port: backendPort,
        url: `http://127.0.0.1:${backendPort}`,
      }),
      frontends,
      nginx: Object.assign(nginx, { port: nginxPort, statusPort, confFile }),
      /** Ask nginx to reload its configuration file (after editing it). */
      reloadNginx: () =>
        new Promise((resolve, reject) =>
          execFile(
            nginxBin,
            ['-p', runtime, '-c', confFile, '-e', 'stderr', '-s', 'reload'],
            (e) => (e ? reject(e) : resolve(undefined)),
          ),
        ),
      stop: stopAll,
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}

module.exports = { startStack, findNginx, waitReady };
