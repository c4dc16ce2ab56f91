import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { z } from 'zod';

/** Variables that may also be given as NAME_FILE (a mounted Docker/Kubernetes secret). */
const SECRET_VARIABLES = ['COOKIE_SECRET'] as const;

const int = (min: number, max: number) => z.coerce.number().int().min(min).max(max);

const schema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  HOST: z.string().min(1).default('0.0.0.0'),
  PORT: int(0, 65535).default(3000),
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
  COOKIE_SECRET: z
    .string()
    .refine((v) => Buffer.byteLength(v) >= 32, 'must be at least 32 bytes')
    .optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  SESSION_IDLE_MINUTES: int(1, 24 * 60).default(30),
  BACKEND_TIMEOUT_MS: int(100, 60000).default(3000),
  BACKEND_KEEP_ALIVE_MS: int(100, 60000).default(4000),
  BACKEND_MAX_SOCKETS: int(1, 1024).default(64),
  PAGE_DEADLINE_MS: int(100, 60000).default(8000),
  BREAKER_FAILURE_THRESHOLD: int(1, 1000).default(5),
  BREAKER_COOLDOWN_MS: int(50, 60000).default(2000),
  KEEP_ALIVE_TIMEOUT_MS: int(100, 120000).default(5000),
  SHUTDOWN_DRAIN_MS: int(0, 60000).default(5000),
  SHUTDOWN_TIMEOUT_MS: int(1000, 120000).default(10000),
});

export type Env = Record<string, string | undefined>;

export interface Config {
  readonly nodeEnv: 'development' | 'production' | 'test';
  readonly port: number;
  readonly host: string;
  readonly logLevel: string;
  /** Origins besides this one that the CSRF check accepts. */
  readonly publicOrigins: readonly string[];
  readonly cookieSecret: string;
  /** True when no secret was configured and a random per-process one is in use. */
  readonly cookieSecretGenerated: boolean;
  readonly sessionIdleMinutes: number;
  /** The backend's API and how it is called (the backend client's options). */
  readonly backend: {
    readonly baseUrl: string;
    readonly attemptTimeoutMs: number;
    readonly keepAliveMs: number;
    readonly maxSockets: number;
    /** Sockets for downloads (the orders export), apart from the pages'. */
    readonly maxStreamSockets: number;
    readonly breakerFailureThreshold: number;
    readonly breakerCooldownMs: number;
  };
  readonly pageDeadlineMs: number;
  readonly keepAliveTimeoutMs: number;
  readonly shutdownDrainMs: number;
  readonly shutdownTimeoutMs: number;
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/**
 * The environment with each secret read from its `NAME_FILE` (a mounted Docker or
 * Kubernetes secret, trimmed), and empty values dropped. `NAME` and `NAME_FILE` both
 * set is an error naming the variable: neither silently wins.
 */
function withSecretFiles(env: Env, names: readonly string[]): Env {
  const resolved: Env = { ...env };
  for (const name of names) {
    const file = env[`${name}_FILE`];
    if (!file) continue;
    if (env[name]) throw new ConfigError(`${name} and ${name}_FILE are both set; set only one`);
    try {
      resolved[name] = readFileSync(file, 'utf8').trim();
    } catch (error) {
      throw new ConfigError(`${name}_FILE: cannot read ${file} (${(error as Error).message})`);
    }
  }
  for (const key of Object.keys(resolved)) if (resolved[key] === '') delete resolved[key];
  return resolved;
}

/** compose/secrets.example/cookie_secret, published, and the usual placeholder words. */
export const EXAMPLE_COOKIE_SECRETS = ['local-only-cookie-secret-not-for-production'];
const PLACEHOLDER = /(local-only|not-for-production|change-?me|replace-?me|placeholder|^(.)\2*$)/i;

/** A cookie secret anyone could know: the example, a placeholder, or one repeated character. */
function isPlaceholder(secret: string): boolean {
  return EXAMPLE_COOKIE_SECRETS.includes(secret) || PLACEHOLDER.test(secret);
}

/** Parse the environment once into a frozen, typed config; throws naming every bad variable. */
export function loadConfig(env: Env): Config {
  const parsed = schema.safeParse(withSecretFiles(env, SECRET_VARIABLES));
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`Invalid configuration: ${problems.join('; ')}`);
  }
  const v = parsed.data;
  if (!v.COOKIE_SECRET && v.NODE_ENV === 'production') {
    throw new ConfigError('COOKIE_SECRET: required in production (or COOKIE_SECRET_FILE)');
  }
  if (v.NODE_ENV === 'production' && v.COOKIE_SECRET && isPlaceholder(v.COOKIE_SECRET)) {
    throw new ConfigError(
      'COOKIE_SECRET: is a published example or placeholder; set a random secret of your own (compose/make-secrets.sh)',
    );
  }
  return Object.freeze({
    nodeEnv: v.NODE_ENV,
    port: v.PORT,
    host: v.HOST,
    logLevel: v.LOG_LEVEL,
    publicOrigins: Object.freeze(v.PUBLIC_ORIGINS),
    cookieSecret: v.COOKIE_SECRET ?? randomBytes(32).toString('base64url'),
    cookieSecretGenerated: !v.COOKIE_SECRET,
    sessionIdleMinutes: v.SESSION_IDLE_MINUTES,
    backend: Object.freeze({
      baseUrl: v.BACKEND_URL,
      attemptTimeoutMs: v.BACKEND_TIMEOUT_MS,
      keepAliveMs: v.BACKEND_KEEP_ALIVE_MS,
      maxSockets: v.BACKEND_MAX_SOCKETS,
      maxStreamSockets: 8,
      breakerFailureThreshold: v.BREAKER_FAILURE_THRESHOLD,
      breakerCooldownMs: v.BREAKER_COOLDOWN_MS,
    }),
    pageDeadlineMs: v.PAGE_DEADLINE_MS,
    keepAliveTimeoutMs: v.KEEP_ALIVE_TIMEOUT_MS,
    shutdownDrainMs: v.SHUTDOWN_DRAIN_MS,
    shutdownTimeoutMs: v.SHUTDOWN_TIMEOUT_MS,
  });
}
