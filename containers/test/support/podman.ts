import { execFile, spawn } from 'node:child_process';
import path from 'node:path';

/** Everything the suite creates carries this label, so it removes only what it made. */
export const SUITE_LABEL = 'io.tradepost.container-suite';
/** The prefix of every name the suite gives (compose project, pods, networks). */
export const SUITE_PREFIX = 'tradepost-ctsuite';
export const REPO_DIR = path.resolve(__dirname, '..', '..', '..');
/** Where containers/build.sh and the tests record what they measured. */
export const STATE_DIR =
  process.env.TRADEPOST_CONTAINERS_STATE ??
  path.join(process.env.TRADEPOST_CONTAINERS_CACHE ?? '/var/cache/tradepost-containers', 'state');
/** The tag containers/build.sh gave the images. */
export const TAG = process.env.TRADEPOST_TAG ?? 'ctsuite';

export interface Result {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs podman; resolves with its exit code and output (never rejects on a non-zero exit). */
export function podman(args: string[], options: { timeoutMs?: number } = {}): Promise<Result> {
  return new Promise((resolve) => {
    execFile(
      'podman',
      args,
      { timeout: options.timeoutMs ?? 120_000, maxBuffer: 64 * 1024 * 1024, encoding: 'utf8' },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        resolve({ code, stdout, stderr: error && !stderr ? error.message : stderr });
      },
    );
  });
}

/** Runs podman and returns its trimmed stdout; throws with podman's message on failure. */
export async function podmanOk(args: string[], options: { timeoutMs?: number } = {}) {
  const result = await podman(args, options);
  if (result.code !== 0) {
    throw new Error(`podman ${args.join(' ')} failed (${result.code}): ${result.stderr.trim()}`);
  }
  return result.stdout.trim();
}

/** Runs podman with its output going to `log` (a write stream's fd); resolves with the exit code. */
export function podmanLogged(args: string[], logFd: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn('podman', args, { stdio: ['ignore', logFd, logFd] });
    child.on('error', reject);
    child.on('exit', (code, signal) => resolve(code ?? (signal ? 128 : 1)));
  });
}

/** `podman exec` in a running container; `user` overrides the container's user. */
export function exec(
  container: string,
  argv: string[],
  options: { user?: string; timeoutMs?: number } = {},
): Promise<Result> {
  const user = options.user ? ['--user', options.user] : [];
  return podman(['exec', ...user, container, ...argv], { timeoutMs: options.timeoutMs ?? 30_000 });
}

export async function inspect<T>(kind: 'container' | 'image', name: string): Promise<T> {
  const [first] = JSON.parse(await podmanOk([kind, 'inspect', name])) as T[];
  return first;
}

/** The last lines a container logged, for failure messages. */
export async function logsOf(container: string, lines = 40): Promise<string> {
  const result = await podman(['logs', '--tail', String(lines), container]);
  return `${result.stdout}${result.stderr}`.trim();
}
