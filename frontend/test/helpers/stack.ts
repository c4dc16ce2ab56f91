import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startBackend, type RunningBackend } from '@tradepost/backend';
import { buildFrontend, visitor, type TestFrontend } from './app';

export const ADMIN = { email: 'admin@tradepost.test', password: 'admin-password-123' };
export const PASSWORD = 'correct horse battery';

export interface Stack {
  backend: RunningBackend;
  frontend: TestFrontend;
  dir: string;
  stop(): Promise<void>;
}

/** A real backend on a temporary SQLite file, and the frontend app pointed at it. */
export async function startStack(env: Record<string, string> = {}): Promise<Stack> {
  const dir = mkdtempSync(path.join(tmpdir(), 'tradepost-fe-'));
  const backend = await startBackend({
    env: {
      DATABASE_URL: `sqlite:${dir}/test.db`,
      PORT: '0',
      LOG_LEVEL: 'silent',
      SHUTDOWN_DRAIN_MS: '0',
      ADMIN_EMAIL: ADMIN.email,
      ADMIN_PASSWORD: ADMIN.password,
    },
  });
  const frontend = buildFrontend({ BACKEND_URL: backend.url, ...env });
  const stack: Stack = {
    backend,
    frontend,
    dir,
    async stop() {
      frontend.client.close();
      // The backend may have been replaced by a test (stopped and started again).
      await stack.backend.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return stack;
}

let counter = 0;
export const uniqueEmail = (prefix = 'user') =>
  `${prefix}.${process.pid}.${Date.now()}.${(counter += 1)}@tradepost.test`;

export type Visitor = ReturnType<typeof visitor>;

/** A new member, signed up through the frontend's own form. */
export async function signedUpMember(
  stack: Stack,
  name = 'Member',
): Promise<Visitor & { email: string; id: number }> {
  const v = visitor(stack.frontend.app);
  const email = uniqueEmail(name.toLowerCase().replace(/[^a-z]/g, '') || 'user');
  await v.get('/signup');
  const res = await v.post('/signup', { name, surname: 'Tester', email, password: PASSWORD });
  if (res.status !== 303) throw new Error(`signup failed: ${res.status} ${res.text}`);
  const home = await v.get('/');
  const id = Number(/href="\/users\/(\d+)" class="whoami"/.exec(home.text)?.[1]);
  return Object.assign(v, { email, id });
}

export async function signedInAdmin(stack: Stack): Promise<Visitor & { id: number }> {
  const v = visitor(stack.frontend.app);
  await v.get('/login');
  const res = await v.post('/login', ADMIN);
  if (res.status !== 303) throw new Error(`admin login failed: ${res.status}`);
  const home = await v.get('/');
  const id = Number(/href="\/users\/(\d+)" class="whoami"/.exec(home.text)?.[1]);
  return Object.assign(v, { id });
}
