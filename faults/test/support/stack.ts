import { rmSync } from 'node:fs';
import { startStack, type Stack, type StackOptions } from '../../../scripts/lib/stack';
import { hiddenField, Visitor } from './http';

export type { Stack } from '../../../scripts/lib/stack';

export const PASSWORD = 'fault-tests-password';

/**
 * A fault test starts a whole stack and holds a fault for seconds: each test and
 * hook passes this timeout (jest 29 only takes the global one from the root config).
 */
export const FAULT_TIMEOUT_MS = 120_000;

/**
 * The real topology for a fault test, on a private database. The sign-in limit is
 * raised so the test's own sign-ups are not throttled; the backend's drain is off
 * because no test here restarts it gracefully and teardown should be quick.
 */
export async function startFaultStack(options: StackOptions = {}): Promise<Stack> {
  // These tests kill and restart the database: never a shared one named by DATABASE_URL.
  const shared = process.env.DATABASE_URL;
  delete process.env.DATABASE_URL;
  try {
    return await startStack({
      frontends: 3,
      database: 'auto',
      ...options,
      nginxEnv: { NGINX_AUTH_RATE: '600r/m', NGINX_AUTH_BURST: '50', ...options.nginxEnv },
      // The tests sign people up themselves, whatever NODE_ENV the run has.
      backendEnv: {
        SHUTDOWN_DRAIN_MS: '0',
        LOG_LEVEL: 'warn',
        SIGNUP_POLICY: 'open',
        ...options.backendEnv,
      },
      frontendEnv: { LOG_LEVEL: 'warn', ...options.frontendEnv },
    });
  } finally {
    if (shared !== undefined) process.env.DATABASE_URL = shared;
  }
}

/** Stop what the stack started, quickly: frontends without their drain, a frozen backend thawed first. */
export async function stopFaultStack(stack: Stack | undefined): Promise<void> {
  if (!stack) return;
  stack.backend.signal('SIGCONT');
  await Promise.all(stack.frontends.map((f) => f.stop('SIGINT')));
  await stack.stop();
  // FAULTS_KEEP_LOGS=1 keeps every process's log (and nginx's access log) for a post-mortem.
  if (process.env.FAULTS_KEEP_LOGS) console.log(`stack logs kept in ${stack.logs}`);
  else rmSync(stack.dir, { recursive: true, force: true });
}

let counter = 0;

/** A new member signed up through nginx and the frontend's own form. */
export async function signedUpVisitor(stack: Stack): Promise<Visitor> {
  const visitor = new Visitor(stack.url);
  const form = await visitor.get('/signup');
  const email = `fault.${process.pid}.${Date.now()}.${(counter += 1)}@tradepost.test`;
  const res = await visitor.post('/signup', {
    _csrf: hiddenField(form.body, '_csrf'),
    name: 'Fault',
    surname: 'Tester',
    email,
    password: PASSWORD,
  });
  if (res.status !== 303)
    throw new Error(`sign-up failed: ${res.status} ${res.body.slice(0, 300)}`);
  return visitor;
}
