// Reading the garbage collections that services loaded with gc-events.cjs recorded:
// an events directory removed however the run ends, the environment that loads the
// preload into a service, and each service's collections since the last reading.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';

const preload = fileURLToPath(new URL('./gc-events.cjs', import.meta.url));

/**
 * @param {{ v8Flags?: string }} [options] `v8Flags`: applied in every service by the preload
 * @returns {{ env: Record<string, string>,
 *   collect: (services: { name: string, pid: number }[], options?: { timeoutMs?: number }) =>
 *     Promise<{ at: number, ms: number, kind: string, service: string }[]>,
 *   close: () => void }} `close` removes the events directory now rather than at exit
 */
export function gcRecorder({ v8Flags = '' } = {}) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'tradepost-gc-'));
  const close = () => rmSync(dir, { recursive: true, force: true });
  // Also when a service fails to start or Ctrl-C ends the run early.
  process.once('exit', close);
  const env = {
    NODE_OPTIONS: [process.env.NODE_OPTIONS, `--require "${preload}"`].filter(Boolean).join(' '),
    GC_EVENTS_DIR: dir,
    GC_EVENTS_V8_FLAGS: v8Flags,
  };
  /**
   * Every listed service's collections since the previous call.
   * @param {{ name: string, pid: number }[]} services
   * @param {{ timeoutMs?: number }} [options] how long to wait for every report
   */
  async function collect(services, { timeoutMs = 5000 } = {}) {
    const files = services.map((s) => path.join(dir, `${s.pid}.json`));
    for (const file of files) rmSync(file, { force: true });
    for (const s of services) process.kill(s.pid, 'SIGUSR2');
    const deadline = Date.now() + timeoutMs;
    while (!files.every((f) => existsSync(f))) {
      if (Date.now() > deadline) throw new Error('a service did not report its collections');
      await sleep(20);
    }
    return services.flatMap((s, i) =>
      JSON.parse(readFileSync(files[i], 'utf8')).map((e) => ({ ...e, service: s.name })),
    );
  }
  return { env, collect, close };
}
