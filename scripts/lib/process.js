// @ts-check
/**
 * The processes the repository's tooling starts — services, databases, nginx,
 * Prometheus — started on free loopback ports, waited for, and stopped by PID.
 * Used by the local stack, the tests that drive real processes, and the benchmarks.
 */
'use strict';

const { spawn } = require('node:child_process');
const fs = require('node:fs');
const net = require('node:net');

/**
 * The kernel's range for ephemeral ports (outgoing connections and listen(0)); ports
 * below it are never handed out by the kernel on its own.
 * @returns {[number, number]}
 */
function ephemeralRange() {
  try {
    const [low, high] = fs
      .readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8')
      .trim()
      .split(/\s+/)
      .map(Number);
    if (low > 0 && high >= low) return [low, high];
  } catch {
    // not Linux
  }
  return [32768, 60999];
}

/** Ports this process has handed out, never handed out twice. */
const handedOut = new Set();

/** @param {number} port @returns {Promise<boolean>} whether it could be bound just now */
function canBind(port) {
  return new Promise((resolve) => {
    const srv = net.createServer();
    srv.unref();
    srv.once('error', () => resolve(false));
    srv.listen(port, '0.0.0.0', () => srv.close(() => resolve(true)));
  });
}

/**
 * A port that was free a moment ago on every interface. It is chosen at random below the
 * ephemeral range: a port that listen(0) returns is one the kernel also gives to
 * outgoing connections, and between this check and the real listen a client socket
 * (another test's, a database pool's) could take it. Below the range only another
 * listener can, which the callers in stack.js survive by starting again on another port
 * (`onFreePort`).
 * @returns {Promise<number>}
 */
async function freePort() {
  const [low] = ephemeralRange();
  const first = 10000;
  for (let attempt = 0; attempt < 100 && low - first > 1000; attempt++) {
    const port = first + Math.floor(Math.random() * (low - first));
    if (handedOut.has(port)) continue;
    if (await canBind(port)) {
      handedOut.add(port);
      return port;
    }
  }
  // No room below the range (an unusual kernel setting): let the kernel pick.
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

/** An error from a process that could not listen because its port was taken. */
class PortTakenError extends Error {
  code = 'EADDRINUSE';
}

/**
 * `start(port)` on a free port; when the port turns out to be taken by the time the
 * process listens (a PortTakenError from `managed().start()`), again on another one.
 * @template T
 * @param {(port: number) => Promise<T>} start
 * @param {number} [attempts]
 * @returns {Promise<T>}
 */
async function onFreePort(start, attempts = 3) {
  for (let attempt = 1; ; attempt++) {
    try {
      return await start(await freePort());
    } catch (error) {
      if (!(error instanceof PortTakenError) || attempt >= attempts) throw error;
    }
  }
}

/**
 * Poll `url` until it answers 2xx. With `alive`, give up as soon as the process that
 * should answer has exited.
 * @param {string} url
 * @param {number} [timeoutMs]
 * @param {() => boolean} [alive]
 */
async function waitReady(url, timeoutMs = 30000, alive = () => true) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (!alive()) throw new Error(`the process behind ${url} exited while starting`);
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

/** @type {Set<import('node:child_process').ChildProcess>} */
const running = new Set();

/**
 * If this process exits without stopping a child it started (an uncaught error,
 * process.exit in a signal handler), the child is told to shut down rather than
 * left running. One 'exit' listener for all of them.
 * @param {import('node:child_process').ChildProcess} proc
 */
function stopOnExit(proc) {
  if (!process.listeners('exit').includes(stopRunning)) process.on('exit', stopRunning);
  running.add(proc);
  proc.once('exit', () => running.delete(proc));
}

function stopRunning() {
  for (const proc of running) proc.kill('SIGTERM');
}

/**
 * A supervised child process that can be stopped, killed, frozen and restarted
 * with the same port and environment; its output goes to `logFile`.
 * @param {{ name: string, command: string, args: string[], cwd: string, env: Record<string, string>, logFile: string, readyUrl?: string }} spec
 */
function managed(spec) {
  /** @type {import('node:child_process').ChildProcess | null} */
  let child = null;
  /** @type {Promise<number | null> | null} */
  let exited = null;
  const running = () => Boolean(child && child.exitCode === null && child.signalCode === null);
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
      const logStart = fs.fstatSync(log).size;
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
      if (!spec.readyUrl) return;
      try {
        await waitReady(spec.readyUrl, 30000, running);
      } catch (error) {
        if (running()) throw error;
        // It exited: say so in a way the caller can act on when its port was taken.
        const output = fs.readFileSync(spec.logFile, 'utf8').slice(logStart);
        if (/EADDRINUSE|Address already in use/.test(output)) {
          throw new PortTakenError(`${spec.name}: its port was taken before it could listen`);
        }
        throw error;
      }
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
    running,
  };
  return handle;
}

module.exports = { freePort, onFreePort, PortTakenError, waitReady, stopOnExit, managed };
