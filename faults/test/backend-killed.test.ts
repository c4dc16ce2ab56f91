import { setTimeout as sleep } from 'node:timers/promises';
import { describeFailures, failures, now, quantile, Recorder, startLoad } from './support/load';
import {
  FAULT_TIMEOUT_MS,
  signedUpVisitor,
  startFaultStack,
  stopFaultStack,
} from './support/stack';
import { needing } from '../../scripts/lib/test-deps';

const describe = needing(['nginx']);

/**
 * A fresh stack; 30 order-list views a second (each needs the backend); the backend
 * is killed with SIGKILL after 1.5 s, started again 4 s later, and the load runs 4 s more.
 */
async function killBackendUnderLoad(frontendEnv: Record<string, string>) {
  const stack = await startFaultStack({ frontendEnv });
  try {
    const visitors = await Promise.all(Array.from({ length: 8 }, () => signedUpVisitor(stack)));
    const frontendPids = stack.frontends.map((f) => f.pid());
    const recorder = new Recorder();
    const load = startLoad(visitors, 30, async (visitor) => {
      await recorder.track(
        'GET /orders',
        () => visitor.get('/orders'),
        (r) => (r.status === 200 ? 'ok' : 'fail'),
      );
    });
    await sleep(1500);
    await stack.backend.stop('SIGKILL');
    const downAt = now();
    await sleep(4000);
    const restartAt = now();
    await stack.backend.start();
    const readyAt = now();
    await sleep(4000);
    await load.stop();
    const down = recorder.between(downAt, restartAt);
    const lastFailure = Math.max(
      0,
      ...failures(recorder.between(readyAt, Infinity)).map((s) => s.end - readyAt),
    );
    return {
      down,
      after: recorder.between(readyAt, Infinity),
      recoveryMs: lastFailure,
      startMs: readyAt - restartAt,
      samePids: stack.frontends.every((f, i) => f.pid() === frontendPids[i] && f.running()),
    };
  } finally {
    await stopFaultStack(stack);
  }
}

describe('the backend killed with SIGKILL while signed-in members view pages through nginx', () => {
  it(
    'when the backend is down, then every page is the frontend’s own fast 503, and pages work again within 3 s of its return',
    async () => {
      const { down, after, recoveryMs, startMs, samePids } = await killBackendUnderLoad({});
      const notFrontend503 = down.filter((s) => s.status !== 503 || s.source !== 'frontend');
      console.log(
        `backend killed: ${down.length} requests while down, ${notFrontend503.length} not the frontend's 503 ` +
          `(${describeFailures(notFrontend503)}), p99 ${quantile(down, 0.99).toFixed(0)} ms; ` +
          `backend ready after ${startMs.toFixed(0)} ms, pages recovered ${recoveryMs.toFixed(0)} ms later`,
      );
      expect(down.length).toBeGreaterThan(80);
      expect(notFrontend503).toEqual([]);
      expect(quantile(down, 0.99)).toBeLessThanOrEqual(200);
      expect(samePids).toBe(true);
      expect(recoveryMs).toBeLessThanOrEqual(3000);
      expect(after.filter((s) => s.end - s.start > 0).length).toBeGreaterThan(80);
    },
    FAULT_TIMEOUT_MS,
  );

  it(
    'control: when the frontend’s circuit breaker waits 10 s before trying again, then recovery takes longer than 3 s',
    async () => {
      const { recoveryMs } = await killBackendUnderLoad({ BREAKER_COOLDOWN_MS: '10000' });
      console.log(
        `control (breaker cooldown 10 s): pages recovered ${recoveryMs.toFixed(0)} ms after the backend`,
      );
      expect(recoveryMs).toBeGreaterThan(3000);
    },
    FAULT_TIMEOUT_MS,
  );
});
