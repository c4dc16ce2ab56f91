import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { z } from 'zod';

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

const int = (min: number, max: number, fallback: number) =>
  z.coerce.number().int().min(min).max(max).default(fallback);

const schema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  HOST: z.string().min(1).default('0.0.0.0'),
  PORT: int(0, 65535, 3000),
  BACKEND_URL: z
    .url({ protocol: /^https?$/ })
    .default('http://127.0.0.1:4000')
    .transform((url) => url.replace(/\/+$/, '')),
  PUBLIC_ORIGINS: z
    .string()
    .default('')
    .transform((v) =>
      v
        .split(',')
        .map((o) => o.trim().replace(/\/+$/, ''))
        .filter(Boolean),
    )
    .pipe(z.array(z.url({ protocol: /^https?$/ }))),
  COOKIE_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  LOG_LEVEL: z.enum(LOG_LEVELS).default('info'),
  SESSION_IDLE_MINUTES: int(1, 24 * 60, 30),
  BACKEND_TIMEOUT_MS: int(100, 60_000, 3000),
  BACKEND_KEEP_ALIVE_MS: int(100, 60_000, 4000),
  BACKEND_MAX_SOCKETS: int(1, 1024, 64),
  PAGE_DEADLINE_MS: int(100, 60_000, 8000),
  BREAKER_FAILURE_THRESHOLD: int(1, 1000, 5),
  BREAKER_COOLDOWN_MS: int(50, 60_000, 2000),
  KEEP_ALIVE_TIMEOUT_MS: int(100, 120_000, 5000),
  SHUTDOWN_DRAIN_MS: int(0, 60_000, 5000),
  SHUTDOWN_TIMEOUT_MS: int(1000, 120_000, 10_000),
});

export type Config = Readonly<
  Omit<z.infer<typeof schema>, 'COOKIE_SECRET'> & {
    COOKIE_SECRET: string;
    /** True when no secret was configured and a random per-process one is in use. */
    cookieSecretGenerated: boolean;
  }
>;

export type Env = Record<string, string | undefined>;

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** `NAME_FILE` (as Kubernetes and Docker mount secrets) wins over `NAME`. */
function readSecret(env: Env, name: string): string | undefined {
  const file = env[`${name}_FILE`];
  if (file) {
    try {
      return readFileSync(file, 'utf8').trim();
    } catch (err) {
      throw new ConfigError(`${name}_FILE: cannot read ${file} (${(err as Error).message})`);
    }
  }
  return env[name] === '' ? undefined : env[name];
}

/** Parse the environment once into a typed, frozen object; throw naming the bad variable. */
export function loadConfig(env: Env): Config {
  const input: Env = { ...env, COOKIE_SECRET: readSecret(env, 'COOKIE_SECRET') };
  for (const key of Object.keys(input)) if (input[key] === '') delete input[key];
  const parsed = schema.safeParse(input);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`Invalid configuration: ${problems.join('; ')}`);
  }
  const { COOKIE_SECRET, ...rest } = parsed.data;
  if (!COOKIE_SECRET && rest.NODE_ENV === 'production') {
    throw new ConfigError('COOKIE_SECRET: required in production (or COOKIE_SECRET_FILE)');
  }
  return Object.freeze({
    ...rest,
    COOKIE_SECRET: COOKIE_SECRET ?? randomBytes(32).toString('base64url'),
    cookieSecretGenerated: !COOKIE_SECRET,
  });
}
