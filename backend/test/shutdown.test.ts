import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { freePort, waitReady } from '../../scripts/lib/process';

function get(
  port: number,
  pathname: string,
  agent: http.Agent | false,
): Promise<{ status: number; connection?: string }> {
  return new Promise((resolve, reject) => {
    http
      .get({ host: '127.0.0.1', port, path: pathname, agent }, (res) => {
        res.resume();
        resolve({ status: res.statusCode ?? 0, connection: res.headers.connection });
      })
      .on('error', reject);
  });
}

describe('the backend process', () => {
  it('when it gets SIGTERM, then it refuses new connections, answers open ones with 503 readiness and Connection: close, and exits 0 within 10 s', async () => {
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
    // A pooled connection opened before the signal, as nginx or a frontend holds one.
    const pooled = new http.Agent({ keepAlive: true, maxSockets: 1 });
    try {
      await waitReady(`http://127.0.0.1:${port}/readyz`, 15000);
      expect((await get(port, '/readyz', pooled)).status).toBe(200);

      const signalled = Date.now();
      child.kill('SIGTERM');
      await new Promise((r) => setTimeout(r, 300));
      await expect(get(port, '/healthz', false)).rejects.toMatchObject({ code: 'ECONNREFUSED' });
      const ready = await get(port, '/readyz', pooled);
      expect(ready.status).toBe(503);
      expect(ready.connection).toBe('close');

      expect(await exited).toBe(0);
      const took = Date.now() - signalled;
      expect(took).toBeGreaterThanOrEqual(1500);
      expect(took).toBeLessThan(10000);
    } finally {
      pooled.destroy();
      child.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    }
  }, 30000);
});
