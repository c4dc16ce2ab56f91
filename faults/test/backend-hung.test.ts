import { setTimeout as sleep } from 'node:timers/promises';
import { failures, now, quantile, Recorder, startLoad } from './support/load';
import {
  FAULT_TIMEOUT_MS,
  signedUpVisitor,
  startFaultStack,
  stopFaultStack,
} from './support/stack';
import { needing } from '../../scripts/lib/test-deps';

const describe = needing(['nginx']);

/** The frontend's page deadline (PAGE_DEADLINE_MS default) and what we allow on top of it. */
const PAGE_DEADLINE_MS = 8000;
const MARGIN_MS = 500;

/**
 * A fresh stack; 20 order-list views a second; the backend is frozen with SIGSTOP for
 * 10 s (a hung process: connections accepted by the kernel, never answered), then
 * thawed with SIGCONT; the load runs 4 s more.
 */
async function hangBackendUnderLoad(frontendEnv: Record<string, string>) {
  const stack = await startFaultStack({ frontendEnv });
  try {
    const visitors = await Promise.all(Array.from({ length: 40 }, () => signedUpVisitor(stack)));
    const recorder = new Recorder();
    const load = startLoad(visitors, 20, async (visitor) => {
      await recorder.track(
        'GET /orders',
        () => visitor.get('/orders'),
        (r) => (r.status === 200 ? 'ok' : 'fail'),
      );
    });
    await sleep(1500);
    stack.backend.signal('SIGSTOP');
    const stoppedAt = now();
    await sleep(10_000);
    stack.backend.signal('SIGCONT');
    const resumedAt = now();
    await sleep(4000);
    await load.stop();
    const all = recorder.samples;
    const slowest = Math.max(...all.map((s) => s.end - s.start));
    const recoveryMs = Math.max(
      0,
      ...failures(recorder.between(resumedAt, Infinity)).map((s) => s.end - resumedAt),
    );
    return {
      all,
      during: recorder.between(stoppedAt, resumedAt),
      slowest,
      recoveryMs,
      skipped: load.skipped,
    };
  } finally {
    await stopFaultStack(stack);
  }
}

describe('the backend hung (SIGSTOP for 10 s) while signed-in members view pages through nginx', () => {
  it(
    'when the backend hangs, then no page waits beyond the frontend deadline, none is nginx’s, and pages work within 2 s of SIGCONT',
    async () => {
      const { all, during, slowest, recoveryMs } = await hangBackendUnderLoad({});
      const fromNginx = all.filter((s) => s.source === 'nginx' || s.error !== undefined);
      console.log(
        `backend hung: ${during.length} requests during the hang (${failures(during).length} got the 503 page), ` +
          `slowest ${slowest.toFixed(0)} ms, p99 ${quantile(during, 0.99).toFixed(0)} ms, ` +
          `${fromNginx.length} from nginx or cut; recovered ${recoveryMs.toFixed(0)} ms after SIGCONT`,
      );
      expect(during.length).toBeGreaterThan(100);
      expect(slowest).toBeLessThanOrEqual(PAGE_DEADLINE_MS + MARGIN_MS);
      expect(fromNginx).toEqual([]);
      expect(recoveryMs).toBeLessThanOrEqual(2000);
    },
    FAULT_TIMEOUT_MS,
  );

  it(
    'control: when the frontend waits as long as the backend takes (no attempt timeout or deadline), then pages wait past the deadline',
    async () => {
      const { slowest, skipped } = await hangBackendUnderLoad({
        BACKEND_TIMEOUT_MS: '60000',
        PAGE_DEADLINE_MS: '60000',
      });
      console.log(
        `control (no timeouts): slowest ${slowest.toFixed(0)} ms, ${skipped} ticks found every visitor waiting`,
      );
      expect(slowest).toBeGreaterThan(PAGE_DEADLINE_MS + MARGIN_MS);
    },
    FAULT_TIMEOUT_MS,
  );
});
