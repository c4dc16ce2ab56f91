import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { findMariadbd } from '../../scripts/lib/mariadb';
import { needing } from '../../scripts/lib/test-deps';

const describe = needing(['nginx']);

const ROOT = path.join(__dirname, '..', '..');

/** Runs `script` in a fresh Node process and returns the JSON line it prints. */
function runChild(
  script: string,
): Promise<{ pids: number[]; dirs: string[]; exitCode: number | null }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['-e', script], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.once('error', reject);
    child.once('exit', (exitCode) => {
      try {
        const printed = JSON.parse(out) as { pids: number[]; dirs: string[] };
        resolve({ ...printed, exitCode });
      } catch {
        reject(new Error(`child printed no pids: ${out}`));
      }
    });
  });
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

async function waitGone(pids: number[], ms: number): Promise<number[]> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline && pids.some(alive)) await sleep(100);
  return pids.filter(alive);
}

describe('a script that exits without stopping what it started', () => {
  it('when it exits with an error after starting the stack, then every process it started stops', async () => {
    const { pids, dirs, exitCode } = await runChild(`
      const { startStack } = require('./scripts/lib/stack.js');
      startStack({ frontends: 2, database: 'sqlite' }).then((s) => {
        const pids = [s.backend.pid(), ...s.frontends.map((f) => f.pid()), s.nginx.pid()];
        process.stdout.write(JSON.stringify({ pids, dirs: [s.dir] }));
        process.exit(3);
      });
    `);
    expect(exitCode).toBe(3);
    expect(pids).toHaveLength(4);
    // The services drain open connections for up to 5 s after SIGTERM before they exit.
    expect(await waitGone(pids, 15_000)).toEqual([]);
    // Stopped, not cleaned up: the temp directory is left for whoever looks into the failure.
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  }, 60_000);

  it('when it exits after starting a private MariaDB, then the server shuts down', async () => {
    if (!findMariadbd()) {
      if (process.env.CI) throw new Error('MariaDB is not installed; CI must run this test');
      process.stderr.write('MariaDB is not installed: private-server orphan test not run\n');
      return;
    }
    const { pids, dirs } = await runChild(`
      const { startMariaDB } = require('./scripts/lib/mariadb.js');
      startMariaDB().then((db) => {
        process.stdout.write(JSON.stringify({ pids: [db.pid()], dirs: [db.dir] }));
        process.exit(3);
      });
    `);
    expect(pids).toHaveLength(1);
    expect(await waitGone(pids, 20_000)).toEqual([]);
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  }, 60_000);
});
