import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { childrenOf, cpuMs, peakRssMb, withCpuPerRequest } from '../lib/proc.mjs';

const GONE = 2 ** 22 + 1; // above Linux's largest pid

/** Spin until this process has used `ms` more CPU time (however busy the machine is). */
function burn(ms: number): void {
  const cpu = () => {
    const { user, system } = process.cpuUsage();
    return (user + system) / 1000;
  };
  const end = cpu() + ms;
  while (cpu() < end);
}

/**
 * A child that, once `burn()` is called, uses `ms` of CPU time, says so and idles
 * until killed.
 */
async function burner(ms: number) {
  const child = spawn(
    process.execPath,
    [
      '-e',
      `const cpu = () => { const { user, system } = process.cpuUsage(); return (user + system) / 1000; };
      process.stdin.once('data', () => {
        const end = cpu() + ${ms};
        while (cpu() < end);
        process.stdout.write('done\\n');
      });
      process.stdout.write('ready\\n');`,
    ],
    { stdio: ['pipe', 'pipe', 'ignore'] },
  );
  await once(child.stdout!, 'data');
  return {
    pid: child.pid!,
    burn: async () => {
      child.stdin!.write('go\n');
      await once(child.stdout!, 'data');
    },
    kill: () => child.kill(),
  };
}

describe('/proc readings', () => {
  test('cpuMs agrees with the CPU time the process itself measures, and is 0 once it is gone', () => {
    const before = cpuMs(process.pid);
    const own = process.cpuUsage();
    burn(300);
    const { user, system } = process.cpuUsage(own);
    const used = (user + system) / 1000;
    // /proc counts in clock ticks (10 ms).
    expect(Math.abs(cpuMs(process.pid) - before - used)).toBeLessThanOrEqual(30);
    expect(cpuMs(GONE)).toBe(0);
  });

  test('childrenOf finds the processes a process started', async () => {
    const child = await burner(0);
    try {
      expect(childrenOf(process.pid)).toContain(child.pid);
      expect(childrenOf(child.pid)).toEqual([]);
    } finally {
      child.kill();
    }
  });

  test('peakRssMb reads the peak resident set, null once the process is gone', () => {
    const rss = peakRssMb(process.pid);
    expect(rss).toBeGreaterThanOrEqual(Math.floor(process.memoryUsage().rss / 1024 / 1024) - 1);
    expect(peakRssMb(GONE)).toBeNull();
  });

  test('withCpuPerRequest divides each group CPU by the requests and reports how busy the machine was', async () => {
    const child = await burner(400);
    try {
      const r = await withCpuPerRequest({ burner: [child.pid], idle: [] }, async () => {
        await child.burn();
        return { requests: 10, extra: 'kept' };
      });
      expect(r.extra).toBe('kept');
      // About 400 ms of CPU over 10 requests (the clock ticks every 10 ms).
      expect(r.cpu.burner).toBeGreaterThan(25);
      expect(r.cpu.burner).toBeLessThan(50);
      expect(r.cpu.idle).toBe(0);
      // A core kept busy for most of the time measured.
      expect(r.busyPercent).toBeGreaterThan(10);
      expect(r.busyPercent).toBeLessThanOrEqual(100);
    } finally {
      child.kill();
    }
  });
});
