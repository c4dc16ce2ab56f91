import { readFileSync } from 'node:fs';
import path from 'node:path';
import { STATE_DIR, SUITE_PREFIX } from './support/podman';
import { startComposeStack, stopComposeStack, type ComposeStack } from './support/stack';

/** Jest's own account of a run: its summary lines and the title of every failed test. */
function summarise(log: string) {
  const lines = log.split('\n');
  return {
    summary: lines.filter((l) => /^(Tests|Test Suites):/.test(l.trim())).map((l) => l.trim()),
    failed: lines.filter((l) => l.trim().startsWith('●') && l.includes('›')).map((l) => l.trim()),
  };
}

let stack: ComposeStack | undefined;
afterAll(() => stopComposeStack(stack), 120_000);

describe('the compose test profile: the backend suite against its own database', () => {
  it('when backend-tests runs from its image against test-db, then it runs to the end and every test passes', async () => {
    stack = await startComposeStack(SUITE_PREFIX, ['test'], ['test-db']);
    const log = path.join(STATE_DIR, 'backend-tests.log');
    const code = await stack.topology.run('backend-tests', log);
    const result = summarise(readFileSync(log, 'utf8'));
    console.log(`backend-tests exited ${code}: ${result.summary.join('; ')} (full output: ${log})`);
    expect(result.summary.length).toBe(2);
    expect({ code, failed: [...new Set(result.failed)] }).toEqual({ code: 0, failed: [] });
  }, 900_000);
});
