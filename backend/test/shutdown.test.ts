import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { freePort } from '../../scripts/lib/mariadb';
import { waitReady } from '../../scripts/lib/stack';

function get(port: number, pathname: string): Promise<{ status: number; connection?: string }> {
  return new Promise((resolve, reject) => {
    http
      .get({ host: '127.0.0.1', port, path: pathname, agent: false }, (res) => {
        res.resume();
        resolve({ status: res.statusCode ?? 0, connection: res.headers.connection });
      })
      .on('error', reject);
  });
}

describe('the backend process', () => {
  it('when it gets SIGTERM, then readiness turns 503 with Connection: close while it drains, and it exits 0 within 10 s', async () => {
    const port = await freePort();
    const dir = mkdtempSync(path.join(os.tmpdir(), 'tp-shutdown-'));
    const child = spawn(process.execPath, [path.join(__dirname, '..', 'dist', 'server.js')], {
      env: {
        ...process.env,
        PORT: String(port),
        HOST: '127.0.0.1',
        DATABASE_URL: `sqlite:${dir}/t.db`,
        LOG_LEVEL: 'silent',
        SHUTDOWN_DRAIN_MS: '1500',
      },
      stdio: 'ignore',
    });
    const exited = new Promise<number | null>((resolve) =>
      child.once('exit', (code) => resolve(code)),
    );
    await waitReady(`http://127.0.0.1:${port}/readyz`, 15000);

    const signalled = Date.now();
    child.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, 300));
    const ready = await get(port, '/readyz');
    expect(ready.status).toBe(503);
    expect(ready.connection).toBe('close');
    expect((await get(port, '/healthz')).status).toBe(200);

    expect(await exited).toBe(0);
    const took = Date.now() - signalled;
    expect(took).toBeGreaterThanOrEqual(1500);
    expect(took).toBeLessThan(10000);
  }, 30000);
});
