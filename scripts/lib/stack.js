// @ts-check
/**
 * The whole topology as local processes — MariaDB (or SQLite), one backend,
 * N frontend replicas and nginx — started, watched and stopped by PID. Used by
 * `npm run stack`, the end-to-end and fault tests, and the benchmark.
 */
'use strict';

const { execFileSync } = require('node:child_process');
const { randomBytes } = require('node:crypto');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { startMariaDB, findMariadbd, createTestCertificates } = require('./mariadb');
const { findNginx, startNginx } = require('./nginx');
const { NODE_FLAGS } = require('./node-flags');
const { freePort, managed, onFreePort, waitReady } = require('./process');

const ROOT = path.join(__dirname, '..', '..');

/**
 * @typedef {object} StackOptions
 * @property {number} [port]            nginx port (default: a free port)
 * @property {boolean} [tls]            nginx terminates HTTPS with a certificate made now (see `tls` below)
 * @property {number} [httpsPort]       nginx's HTTPS port with `tls` (default: a free port)
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
  if (!findNginx()) throw new Error('nginx is not installed (Debian package "nginx")');
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
          'dist/seed/cli-seed.js',
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

    const backend = await onFreePort(async (port) => {
      const proc = managed({
        name: 'backend',
        command: process.execPath,
        args: [...NODE_FLAGS.backend, 'dist/server.js'],
        cwd: backendDir,
        env: {
          DATABASE_URL: databaseUrl,
          PORT: String(port),
          HOST: '127.0.0.1',
          MIGRATE_ON_START: 'false',
          ADMIN_EMAIL: admin.email,
          ADMIN_PASSWORD: admin.password,
          ...options.backendEnv,
        },
        logFile: path.join(logs, 'backend.log'),
        readyUrl: `http://127.0.0.1:${port}/readyz`,
      });
      await proc.start();
      return Object.assign(proc, { port, url: `http://127.0.0.1:${port}` });
    });
    started.push([backend]);
    const backendPort = backend.port;
    log(`backend on 127.0.0.1:${backendPort} (pid ${backend.pid()})`);

    const cookieSecret = randomBytes(32).toString('base64url');
    /** @type {Array<import('./process').ManagedProcess & { port: number }>} */
    const frontends = [];
    /** @param {number} i */
    const startFrontend = (i) =>
      onFreePort(async (port) => {
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
        // In the list before it is ready, so that a failed start is stopped with the rest.
        frontends[i] = Object.assign(frontend, { port });
        await frontend.start();
        return frontends[i];
      });
    started.push(frontends);
    await Promise.all(Array.from({ length: options.frontends ?? 3 }, (_, i) => startFrontend(i)));
    log(`frontends on ${frontends.map((f) => `127.0.0.1:${f.port}`).join(', ')}`);

    // With `tls`, nginx terminates HTTPS as in production, with a certificate for
    // localhost from a CA made for this stack alone; port `port` only redirects to it.
    const tls = options.tls
      ? { ...createTestCertificates(path.join(dir, 'tls'), ['localhost']), host: 'localhost' }
      : null;
    /** @param {number} port */
    const startEdge = async (port) => {
      const httpsPort = tls ? (options.httpsPort ?? (await freePort())) : null;
      const tlsEnv = tls
        ? {
            NGINX_TLS: 'terminate',
            NGINX_HTTPS_PORT: String(httpsPort),
            NGINX_PUBLIC_HTTPS_PORT: String(httpsPort),
            NGINX_TLS_CERT: tls.cert,
            NGINX_TLS_KEY: tls.key,
          }
        : {};
      const edge = await startNginx({
        dir: path.join(dir, 'nginx'),
        servers: frontends.map((f) => `127.0.0.1:${f.port}`),
        port,
        statusPort: await freePort(),
        logs,
        env: { ...tlsEnv, ...options.nginxEnv },
      });
      return Object.assign(edge, { httpsPort });
    };
    const nginx = options.port ? await startEdge(options.port) : await onFreePort(startEdge);
    started.push([nginx]);
    const httpUrl = `http://127.0.0.1:${nginx.port}`;
    const url = tls ? `https://${tls.host}:${nginx.httpsPort}` : httpUrl;
    log(tls ? `nginx on ${url} (and ${httpUrl}, which redirects there)` : `nginx on ${url}`);

    return {
      url,
      httpUrl,
      tls: tls && { ca: tls.ca, cert: tls.cert, host: tls.host },
      dir,
      logs,
      dialect,
      databaseUrl,
      admin,
      mariadb,
      backend,
      frontends,
      nginx,
      reloadNginx: nginx.reload,
      stop: stopAll,
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}

// findNginx and waitReady belong to nginx.js and process.js; the suites that drive the
// stack take them from here with it.
module.exports = { startStack, findNginx, waitReady };
