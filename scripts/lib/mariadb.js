// @ts-check
/**
 * A private MariaDB/MySQL server for tests, benchmarks and the local stack:
 * its own data directory under the OS temp dir, its own free port on 127.0.0.1,
 * stopped by PID. Nothing here touches a system-wide server.
 */
'use strict';

const { spawn, execFileSync } = require('node:child_process');
const fs = require('node:fs');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');
const { freePort, stopOnExit } = require('./process');

const SERVER_CANDIDATES = ['/usr/sbin/mariadbd', '/usr/sbin/mysqld', '/usr/bin/mariadbd'];
const INSTALL_CANDIDATES = ['/usr/bin/mariadb-install-db', '/usr/bin/mysql_install_db'];

/** @param {string[]} candidates @param {string} name */
function findBinary(candidates, name) {
  for (const candidate of candidates) if (fs.existsSync(candidate)) return candidate;
  try {
    return execFileSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' }).trim() || null;
  } catch {
    return null;
  }
}

/** The server binary, or null when no MariaDB/MySQL server is installed. */
function findMariadbd() {
  return findBinary(SERVER_CANDIDATES, 'mariadbd');
}

/**
 * Wait until the server greets a client. An open port is not enough: mariadbd
 * listens before it has finished starting, and a SIGTERM in that window leaves it
 * hung for good (waiting in init_slave for a thread the shutdown has stopped).
 * The first packet, a handshake or an error, is only sent from the accept loop.
 * @param {number} port @param {number} timeoutMs
 */
async function waitForServer(port, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const greeted = await new Promise((resolve) => {
      const socket = net.connect(port, '127.0.0.1');
      const done = (/** @type {boolean} */ ok) => {
        socket.destroy();
        resolve(ok);
      };
      socket.setTimeout(Math.max(100, deadline - Date.now()), () => done(false));
      socket.once('data', () => done(true));
      socket.once('error', () => done(false));
      socket.once('close', () => done(false));
    });
    if (greeted) return;
    if (Date.now() > deadline)
      throw new Error(`MariaDB did not accept connections on port ${port} within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** @param {string} dir @param {string} args one openssl command line, no argument with a space */
function openssl(dir, args) {
  try {
    execFileSync('openssl', args.split(' '), { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
  } catch (error) {
    const { code, stderr } = /** @type {{ code?: string, stderr?: Buffer }} */ (error);
    throw new Error(
      code === 'ENOENT'
        ? 'openssl not found: install the Debian package "openssl" (it makes the test certificates)'
        : `openssl ${args} failed: ${String(stderr ?? error).trim()}`,
    );
  }
}

/**
 * A throwaway certificate authority and a server certificate it signs for `names`
 * (DNS names; P-256 keys, valid two days), made with the openssl CLI in `dir`.
 * @param {string} dir @param {string[]} [names]
 * @returns {{ ca: string, cert: string, key: string }} paths of the PEM files
 */
function createTestCertificates(dir, names = ['localhost']) {
  fs.mkdirSync(dir, { recursive: true });
  const newKey = '-newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes';
  openssl(
    dir,
    `req -x509 ${newKey} -keyout ca-key.pem -out ca.pem -days 2 -subj /CN=tradepost-test-ca ` +
      '-addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign',
  );
  openssl(dir, `req ${newKey} -keyout server-key.pem -out server.csr -subj /CN=${names[0]}`);
  fs.writeFileSync(
    path.join(dir, 'server.ext'),
    `subjectAltName=${names.map((n) => `DNS:${n}`).join(',')}\n` +
      'basicConstraints=CA:FALSE\nkeyUsage=digitalSignature\nextendedKeyUsage=serverAuth\n',
  );
  openssl(
    dir,
    'x509 -req -in server.csr -CA ca.pem -CAkey ca-key.pem -CAcreateserial -days 2 ' +
      '-extfile server.ext -out server.pem',
  );
  const file = (/** @type {string} */ name) => path.join(dir, name);
  return { ca: file('ca.pem'), cert: file('server.pem'), key: file('server-key.pem') };
}

/**
 * Whether every thread of a process is stopped. kill(SIGSTOP) returns before that:
 * the process stops once one of its threads is scheduled and takes the signal, and
 * until then the others go on running — on a busy machine for milliseconds, long
 * enough to answer a query. Linux /proc; elsewhere, the process state from ps.
 * @param {number} pid
 */
function isStopped(pid) {
  const tasks = `/proc/${pid}/task`;
  if (!fs.existsSync(tasks))
    return execFileSync('ps', ['-o', 'stat=', '-p', String(pid)], { encoding: 'utf8' })
      .trim()
      .startsWith('T');
  return fs.readdirSync(tasks).every((task) => {
    try {
      const stat = fs.readFileSync(path.join(tasks, task, 'stat'), 'utf8');
      return /^[Tt]$/.test(stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3));
    } catch {
      return true; // the thread has exited
    }
  });
}

/**
 * @typedef {object} MariaDB
 * @property {string} url        mysql://root@127.0.0.1:PORT (no password: private, loopback only);
 *                               with `tls`, mysql://root@localhost:PORT/?ssl-ca=<CA file>
 * @property {number} port
 * @property {string} dir        the temp directory holding data, socket and log
 * @property {{ ca: string, host: string } | null} tls  the CA that signed the server's certificate, and the name it is for
 * @property {() => number | undefined} pid
 * @property {(signal?: NodeJS.Signals) => Promise<void>} kill   signal the server and wait for it to exit
 * @property {() => Promise<void>} freeze  SIGSTOP, and wait until every thread has stopped
 * @property {() => void} thaw   SIGCONT
 * @property {() => Promise<void>} start  (re)start on the same data directory and port
 * @property {() => Promise<void>} stop   stop and delete the data directory
 */

/**
 * Start a private server. Throws with a clear message when none is installed.
 * With `tls`, the server has a certificate for `localhost` from a CA made for it in
 * its directory, and refuses connections without TLS (`require_secure_transport`),
 * as RDS does.
 * @param {{ bufferPool?: string, tls?: boolean, log?: (line: string) => void }} [options]
 * @returns {Promise<MariaDB>}
 */
async function startMariaDB(options = {}) {
  const mariadbd = findMariadbd();
  const installDb = findBinary(INSTALL_CANDIDATES, 'mariadb-install-db');
  if (!mariadbd || !installDb) {
    throw new Error(
      'No MariaDB/MySQL server found (looked for mariadbd and mariadb-install-db). ' +
        'Install the Debian package "mariadb-server" or set TEST_DATABASE_URL / DATABASE_URL.',
    );
  }
  const log = options.log ?? (() => {});
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tradepost-mariadb-'));
  const datadir = path.join(dir, 'data');
  const socket = path.join(dir, 'mysqld.sock');
  const port = await freePort();
  const asRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  const userArgs = asRoot ? ['--user=root'] : [];

  execFileSync(
    installDb,
    [
      '--no-defaults',
      `--datadir=${datadir}`,
      '--auth-root-authentication-method=normal',
      '--skip-test-db',
      ...userArgs,
    ],
    { stdio: 'ignore' },
  );

  const certificates = options.tls ? createTestCertificates(path.join(dir, 'tls')) : null;
  const tlsArgs = certificates
    ? [
        `--ssl-ca=${certificates.ca}`,
        `--ssl-cert=${certificates.cert}`,
        `--ssl-key=${certificates.key}`,
        '--require-secure-transport=ON',
      ]
    : [];

  /** @type {import('node:child_process').ChildProcess | null} */
  let child = null;

  async function start() {
    const args = [
      '--no-defaults',
      `--datadir=${datadir}`,
      `--socket=${socket}`,
      `--port=${port}`,
      '--bind-address=127.0.0.1',
      '--skip-name-resolve',
      `--pid-file=${path.join(dir, 'mysqld.pid')}`,
      `--log-error=${path.join(dir, 'error.log')}`,
      `--innodb-buffer-pool-size=${options.bufferPool ?? '256M'}`,
      '--innodb-flush-log-at-trx-commit=1',
      '--max-connections=500',
      '--character-set-server=utf8mb4',
      '--collation-server=utf8mb4_unicode_ci',
      ...tlsArgs,
      ...userArgs,
    ];
    const proc = spawn(mariadbd, args, { stdio: 'ignore', detached: false });
    child = proc;
    stopOnExit(proc);
    proc.on('exit', () => {
      if (child === proc) child = null;
    });
    await waitForServer(port, 30000);
    log(`MariaDB ${port} ready (pid ${proc.pid})`);
  }

  /** @param {NodeJS.Signals} [signal] */
  async function kill(signal = 'SIGTERM') {
    const proc = child;
    if (!proc || proc.exitCode !== null) return;
    const exited = new Promise((resolve) => proc.once('exit', resolve));
    proc.kill(signal);
    await exited;
  }

  async function freeze() {
    const pid = child?.pid;
    if (pid === undefined) throw new Error('MariaDB is not running');
    process.kill(pid, 'SIGSTOP');
    const deadline = Date.now() + 5000;
    while (!isStopped(pid)) {
      if (Date.now() > deadline) throw new Error(`MariaDB ${pid} did not stop within 5 s`);
      await new Promise((r) => setTimeout(r, 2));
    }
  }

  function thaw() {
    if (child?.pid !== undefined) process.kill(child.pid, 'SIGCONT');
  }

  /** SIGTERM; a server still running 30 s later is killed so a stop always ends. */
  async function stop() {
    const proc = child;
    if (proc && proc.exitCode === null) {
      const exited = new Promise((resolve) => proc.once('exit', resolve));
      proc.kill('SIGTERM');
      const timer = setTimeout(() => {
        log(`MariaDB ${port} still running 30 s after SIGTERM: killing it`);
        proc.kill('SIGKILL');
      }, 30000);
      await exited;
      clearTimeout(timer);
    }
    fs.rmSync(dir, { recursive: true, force: true });
  }

  await start();
  return {
    url: certificates
      ? `mysql://root@localhost:${port}/?ssl-ca=${encodeURIComponent(certificates.ca)}`
      : `mysql://root@127.0.0.1:${port}`,
    port,
    dir,
    tls: certificates ? { ca: certificates.ca, host: 'localhost' } : null,
    pid: () => child?.pid,
    kill,
    freeze,
    thaw,
    start,
    stop,
  };
}

// freePort is process.js's, exported here too for the suites that take it from this module.
module.exports = { startMariaDB, findMariadbd, freePort, createTestCertificates };
