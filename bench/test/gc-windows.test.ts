import { spawn } from 'node:child_process';
import { gcRecorder } from '../lib/gc-collect.mjs';
import { slowNearWindows, windowsAround } from '../lib/gc-windows.mjs';

describe('windowsAround', () => {
  test('opens a window 80 ms before each major pause and closes it 20 ms after, merging overlaps', () => {
    expect(
      windowsAround([
        { at: 1000, ms: 10 },
        { at: 1050, ms: 5 },
        { at: 5000, ms: 8 },
      ]),
    ).toEqual([
      [920, 1075],
      [4920, 5028],
    ]);
  });

  test('sorts collections reported out of order (one list per service)', () => {
    expect(
      windowsAround(
        [
          { at: 300, ms: 1 },
          { at: 100, ms: 1 },
        ],
        { beforeMs: 0, afterMs: 0 },
      ),
    ).toEqual([
      [100, 101],
      [300, 301],
    ]);
  });
});

describe('slowNearWindows', () => {
  // One request every 10 ms over a second; a window covers [400, 500).
  const windows: [number, number][] = [[400, 500]];
  const samples = Array.from({ length: 100 }, (_, i) => ({ at: i * 10, ms: 2 }));

  test('counts the slow requests whose time in flight overlaps a window', () => {
    const slow = samples.map((s) =>
      // Slow inside the window, one slow request well before it, one that runs into it.
      s.at === 450 || s.at === 480 || s.at === 100 || s.at === 390 ? { ...s, ms: 30 } : s,
    );
    expect(slowNearWindows(slow, windows, 20)).toEqual({
      slow: 4,
      slowInWindows: 3,
      timeShare: expect.closeTo(100 / 992, 5),
    });
  });

  test('a request that ends as the window opens is not in it', () => {
    expect(slowNearWindows([{ at: 370, ms: 30 }], windows, 20)).toMatchObject({
      slow: 1,
      slowInWindows: 0,
    });
  });

  test('takes a long run: more samples than a function call takes arguments', () => {
    // 300 req/s for ten minutes; the one slow request is due at 450 ms, inside the window.
    const long = Array.from({ length: 180_000 }, (_, i) => ({ at: i * 3, ms: i === 150 ? 30 : 2 }));
    expect(slowNearWindows(long, windows, 20)).toMatchObject({ slow: 1, slowInWindows: 1 });
  });

  test('no samples, nothing to say', () => {
    expect(slowNearWindows([], windows, 20)).toEqual({ slow: 0, slowInWindows: 0, timeShare: 0 });
  });
});

describe('gc-events.cjs, loaded by gcRecorder', () => {
  test('reports the collections since the last reading, with wall-clock times', async () => {
    const recorder = gcRecorder();
    // A process that forces two full collections, then waits to be asked.
    const child = spawn(
      process.execPath,
      ['--expose-gc', '-e', 'gc(); gc(); console.log("ready"); setTimeout(() => {}, 10000);'],
      { env: { ...process.env, ...recorder.env }, stdio: ['ignore', 'pipe', 'inherit'] },
    );
    try {
      await new Promise<void>((resolve) => child.stdout.once('data', () => resolve()));
      const before = Date.now();
      // Observers are notified asynchronously: give them a moment before asking.
      await new Promise((r) => setTimeout(r, 100));
      const services = [{ name: 'child', pid: child.pid ?? 0 }];
      const events = await recorder.collect(services);
      const majors = events.filter((e) => e.kind === 'major');
      expect(majors.length).toBeGreaterThanOrEqual(2);
      for (const e of majors) {
        expect(e.service).toBe('child');
        expect(e.at).toBeGreaterThan(before - 60_000);
        expect(e.at).toBeLessThanOrEqual(before);
        expect(e.ms).toBeGreaterThanOrEqual(0);
      }
      // The next reading starts empty: what was reported is not reported again.
      expect(await recorder.collect(services)).toEqual([]);
    } finally {
      child.kill('SIGKILL');
      recorder.close();
    }
  });

  test('says so when a service does not report', async () => {
    const recorder = gcRecorder();
    // Alive but without the preload: it never writes a report (SIGUSR2 is ignored).
    const child = spawn(process.execPath, [
      '-e',
      'process.on("SIGUSR2", () => {}); console.log("ready"); setTimeout(() => {}, 10000);',
    ]);
    try {
      await new Promise<void>((resolve) => child.stdout.once('data', () => resolve()));
      await expect(
        recorder.collect([{ name: 'child', pid: child.pid ?? 0 }], { timeoutMs: 300 }),
      ).rejects.toThrow('a service did not report its collections');
    } finally {
      child.kill('SIGKILL');
      recorder.close();
    }
  });
});
