// The seeded stack both full-stack benchmarks drive with wrk, stopped on Ctrl-C.
import { createRequire } from 'node:module';
import { childrenOf } from './proc.mjs';
import { findWrk } from './wrk.mjs';

const require = createRequire(import.meta.url);
const { startStack } = require('../../scripts/lib/stack.js');

/**
 * Seed a private MariaDB and start the whole stack; Ctrl-C stops what was started
 * (children still starting are stopped on exit).
 * @param {{ orders: number, messages: number, say: (line: string) => void,
 *   serviceEnv?: Record<string, string> }} options `serviceEnv`: extra environment for the
 *   backend and the frontends
 */
export async function startSeededStack({ orders, messages, say, serviceEnv = {} }) {
  if (!findWrk()) {
    say('wrk is not installed; the benchmarks drive the stack with it: apt-get install wrk');
    process.exit(1);
  }
  say(`Seeding ${orders} orders and ${messages} messages and starting the stack…`);
  let stack;
  for (const signal of ['SIGINT', 'SIGTERM']) {
    process.once(signal, () => {
      say(`${signal}: stopping the stack…`);
      void Promise.resolve(stack?.stop()).finally(() => process.exit(130));
    });
  }
  stack = await startStack({
    database: 'mysql',
    seed: { users: 200, orders, messages },
    nginxEnv: { NGINX_AUTH_RATE: '600r/m', NGINX_AUTH_BURST: '50' },
    backendEnv: serviceEnv,
    frontendEnv: serviceEnv,
    log: (line) => say(`  ${line}`),
  });
  return stack;
}

/**
 * The stack's processes by group, as the CPU columns report them (nginx with its
 * workers, the three frontends together).
 * @returns {Record<string, number[]>}
 */
export function processGroups(stack) {
  return {
    backend: [stack.backend.pid()],
    frontends: stack.frontends.map((f) => f.pid()),
    nginx: [stack.nginx.pid(), ...childrenOf(stack.nginx.pid())],
    MariaDB: [stack.mariadb?.pid()].filter(Boolean),
  };
}
