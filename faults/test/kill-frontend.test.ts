import { setTimeout as sleep } from 'node:timers/promises';
import type { Visitor } from './support/http';
import { describeFailures, failures, now, quantile, Recorder, startLoad } from './support/load';
import { accessLog, retried, rewriteNginx } from './support/nginx';
import {
  FAULT_TIMEOUT_MS,
  signedUpVisitor,
  startFaultStack,
  stopFaultStack,
  type Stack,
} from './support/stack';
import { needing } from '../../scripts/lib/test-deps';

const describe = needing(['nginx']);

const PAGES = ['/orders', '/', '/orders/new'];

describe('a frontend replica killed with SIGKILL under GET load through nginx', () => {
  let stack: Stack;
  let visitors: Visitor[];

  beforeAll(async () => {
    stack = await startFaultStack();
    visitors = await Promise.all(Array.from({ length: 8 }, () => signedUpVisitor(stack)));
  }, FAULT_TIMEOUT_MS);
  afterAll(() => stopFaultStack(stack), FAULT_TIMEOUT_MS);

  /** 30 page views a second; replica `index` is killed after 2 s; 6 s more of load. */
  async function killUnderLoad(index: number) {
    const recorder = new Recorder();
    let n = 0;
    const load = startLoad(visitors, 30, async (visitor) => {
      const page = PAGES[(n += 1) % PAGES.length];
      await recorder.track(
        `GET ${page}`,
        () => visitor.get(page),
        (r) => (r.status === 200 ? 'ok' : 'fail'),
      );
    });
    await sleep(2000);
    const killedAt = now();
    const logLines = accessLog(stack).length;
    await stack.frontends[index].stop('SIGKILL');
    await sleep(6000);
    await load.stop();
    const after = recorder.samples.filter((s) => s.end >= killedAt);
    return { recorder, after, retried: retried(accessLog(stack).slice(logLines)) };
  }

  it(
    'when one of three replicas is killed, then clients see no failed request (nginx passes GETs on)',
    async () => {
      const { recorder, after, retried: passedOn } = await killUnderLoad(0);
      console.log(
        `kill -9 frontend: ${recorder.samples.length} requests, ${failures(recorder.samples).length} failed, ` +
          `${passedOn.length} passed on by nginx, p99 ${quantile(recorder.samples, 0.99).toFixed(0)} ms`,
      );
      expect(after.length).toBeGreaterThan(100);
      // The kill really hit traffic: nginx had to pass some requests on to another replica.
      expect(passedOn.length).toBeGreaterThan(0);
      expect(describeFailures(recorder.samples)).toBe('');
    },
    FAULT_TIMEOUT_MS,
  );

  it(
    'control: when nginx may not pass a request on (proxy_next_upstream off), then the same kill reaches clients',
    async () => {
      await stack.frontends[0].start();
      await rewriteNginx(stack, 'proxy_next_upstream error timeout;', 'proxy_next_upstream off;');
      const { recorder } = await killUnderLoad(1);
      const failed = failures(recorder.samples);
      console.log(
        `control (no next upstream): ${recorder.samples.length} requests, ${failed.length} failed`,
      );
      expect(failed.length).toBeGreaterThan(0);
      expect(failed.every((s) => s.status === 503 && s.source === 'nginx')).toBe(true);
    },
    FAULT_TIMEOUT_MS,
  );
});
