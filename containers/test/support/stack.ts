import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort } from '../../../scripts/lib/mariadb';
import { REPO_DIR, STATE_DIR, TAG } from './podman';
import { Topology } from './topology';

export interface ComposeStack {
  topology: Topology;
  /** nginx's published port, on the loopback interface. */
  url: string;
  secretsDir: string;
  admin: { email: string; password: string };
  /** From the first container created to every service healthy. */
  healthyMs: number;
}

/** The compose file's default for the first admin (docker-compose.yml, backend). */
const ADMIN_EMAIL = 'admin@tradepost.local';

/**
 * docker-compose.yml up under `profiles`, as project `project`, with secrets made
 * fresh by compose/make-secrets.sh (never the committed examples) and nginx on a free
 * loopback port. Leftovers of an interrupted run of the same project go first.
 */
export async function startComposeStack(
  project: string,
  profiles: string[] = [],
  services?: string[],
): Promise<ComposeStack> {
  const secretsDir = path.join(mkdtempSync(path.join(os.tmpdir(), `${project}-`)), 'secrets');
  execFileSync(path.join(REPO_DIR, 'compose', 'make-secrets.sh'), [secretsDir], { stdio: 'pipe' });
  const port = await freePort();
  const topology = new Topology(path.join(REPO_DIR, 'docker-compose.yml'), {
    project,
    profiles,
    env: {
      TRADEPOST_SECRETS_DIR: secretsDir,
      TRADEPOST_HTTP_PORT: String(port),
      TRADEPOST_TAG: TAG,
    },
  });
  await topology.down();
  const started = Date.now();
  const names = services ?? topology.active();
  try {
    await topology.up(names);
    for (const name of names) if (await topology.health(name)) await topology.waitHealthy(name);
  } catch (error) {
    await topology.down().catch(() => undefined);
    rmSync(path.dirname(secretsDir), { recursive: true, force: true });
    throw error;
  }
  return {
    topology,
    url: `http://127.0.0.1:${port}`,
    secretsDir,
    admin: {
      email: ADMIN_EMAIL,
      password: readFileSync(path.join(secretsDir, 'admin_password'), 'utf8'),
    },
    healthyMs: Date.now() - started,
  };
}

export async function stopComposeStack(stack: ComposeStack | undefined): Promise<void> {
  if (!stack) return;
  try {
    await stack.topology.down();
  } finally {
    rmSync(path.dirname(stack.secretsDir), { recursive: true, force: true });
  }
}

/** Keeps a figure of this run (time to healthy, drain time) for the README and the report. */
export function record(name: string, value: unknown): void {
  mkdirSync(STATE_DIR, { recursive: true });
  writeFileSync(path.join(STATE_DIR, `${name}.json`), `${JSON.stringify(value, null, 2)}\n`);
}
