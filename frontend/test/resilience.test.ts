import { startBackend } from '@tradepost/backend';
import { signedUpMember, startStack, type Stack } from './helpers/stack';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ BREAKER_FAILURE_THRESHOLD: '3', BREAKER_COOLDOWN_MS: '300' });
});
afterAll(() => stack.stop());

describe('when the backend goes away (real backend, stopped and restarted)', () => {
  it('then pages answer 503 quickly once the breaker is open, readiness stays up, and it recovers alone', async () => {
    const member = await signedUpMember(stack, 'Patient');
    expect((await member.get('/orders')).status).toBe(200);

    const { port } = new URL(stack.backend.url);
    await stack.backend.close();

    for (let i = 0; i < 3; i += 1) expect((await member.get('/orders')).status).toBe(503);
    expect(stack.frontend.client.breakerState).toBe('open');
    const started = performance.now();
    const down = await member.get('/orders');
    const elapsed = performance.now() - started;
    expect(down.status).toBe(503);
    expect(elapsed).toBeLessThan(200);
    expect(down.headers['retry-after']).toMatch(/^\d+$/);
    expect(down.text).toContain('Temporarily unavailable');
    expect((await member.agent.get('/readyz')).status).toBe(200);

    // Same port, same SQLite file: the backend is back.
    const revived = await startBackend({
      env: {
        DATABASE_URL: `sqlite:${stack.dir}/test.db`,
        PORT: port,
        LOG_LEVEL: 'silent',
        SHUTDOWN_DRAIN_MS: '0',
      },
    });
    stack.backend = revived;
    expect(revived.url).toBe(`http://127.0.0.1:${port}`);
    const deadline = Date.now() + 3000;
    let status = 0;
    while (Date.now() < deadline) {
      status = (await member.get('/orders')).status;
      if (status === 200) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(status).toBe(200);
    expect(stack.frontend.client.breakerState).toBe('closed');
  });
});
