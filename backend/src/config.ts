import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import path from 'node:path';
import { z } from 'zod';

/** Variables that may also be given as NAME_FILE (a mounted Docker/Kubernetes secret). */
const SECRET_VARIABLES = ['DATABASE_URL', 'ADMIN_PASSWORD'] as const;

const int = (min: number, max: number) => z.coerce.number().int().min(min).max(max);

const schema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  SIGNUP_POLICY: z.enum(['closed', 'domains', 'open']).optional(),
  SIGNUP_DOMAINS: z.string().optional(),
  TRUST_PROXY: z.string().min(1).default('loopback, linklocal, uniquelocal'),
  PORT: int(0, 65535).default(4000),
  HOST: z.string().min(1).default('0.0.0.0'),
  DATA_DIR: z
    .string()
    .min(1)
    .default(path.resolve(__dirname, '..', 'data')),
  DATABASE_URL: z
    .string()
    .regex(/^(mysql:\/\/.+|sqlite:.+)$/, 'must be mysql://user:pass@host:3306/db or sqlite:<path>')
    .optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  ADMIN_EMAIL: z.email().optional(),
  ADMIN_PASSWORD: z.string().min(12).max(128).optional(),
  DB_POOL_MAX: int(1, 100).default(10),
  MIGRATE_ON_START: z.enum(['auto', 'true', 'false']).default('auto'),
  REQUEST_TIMEOUT_MS: int(100, 60000).default(2500),
  MAX_IN_FLIGHT: int(1, 100000).default(512),
  SHUTDOWN_DRAIN_MS: int(0, 60000).default(5000),
  SHUTDOWN_TIMEOUT_MS: int(1000, 120000).default(10000),
  KEEP_ALIVE_TIMEOUT_MS: int(1000, 120000).default(5000),
  HOUSEKEEPING_INTERVAL_MS: int(0, 24 * 60 * 60 * 1000).default(5 * 60 * 1000),
});

export type Env = Record<string, string | undefined>;

/**
 * TLS on the MySQL connection, always verifying that the server's certificate chains
 * to the CA and names the host connected to: the Amazon RDS CA bundle, or a CA file.
 */
export type DatabaseTls =
  { readonly ca: 'rds' } | { readonly ca: 'file'; readonly file: string; readonly pem: string };

/**
 * Who may make their own account: nobody (`closed`: admins create accounts or send
 * invitations), people with an address at one of `domains`, or anyone (`open`).
 */
export type SignupPolicy =
  | { readonly mode: 'closed' }
  | { readonly mode: 'domains'; readonly domains: readonly string[] }
  | { readonly mode: 'open' };

export interface Config {
  readonly nodeEnv: 'development' | 'production' | 'test';
  readonly signup: SignupPolicy;
  /**
   * Express's `trust proxy`: which peers' X-Forwarded-For is believed for the client's
   * address (sign-in throttling). By default the private networks the frontend calls from.
   */
  readonly trustProxy: string;
  readonly port: number;
  readonly host: string;
  readonly dataDir: string;
  readonly database:
    | { readonly client: 'mysql'; readonly url: string; readonly tls: DatabaseTls | null }
    | { readonly client: 'sqlite'; readonly filename: string };
  readonly logLevel: string;
  readonly admin: { readonly email: string; readonly password: string } | null;
  readonly poolMax: number;
  readonly migrateOnStart: boolean;
  readonly requestTimeoutMs: number;
  readonly maxInFlight: number;
  readonly shutdownDrainMs: number;
  readonly shutdownTimeoutMs: number;
  readonly keepAliveTimeoutMs: number;
  /** How often expired rows are purged (0: never, for tests that purge themselves). */
  readonly housekeepingIntervalMs: number;
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

/**
 * The placeholders published in compose/secrets.example/: fine for a look on a laptop,
 * known to everyone, so refused wherever NODE_ENV=production.
 */
export const EXAMPLE_SECRETS = {
  ADMIN_PASSWORD: ['local-only-admin-password'],
  DATABASE_URL: [
    'local-only-db-password',
    'local-only-root-password',
    'local-only-test-db-password',
  ],
} as const;

/** Known-unsafe settings that production refuses, each naming its variable. */
function refuseUnsafeInProduction(v: z.output<typeof schema>): void {
  if (v.NODE_ENV !== 'production') return;
  if (v.ADMIN_PASSWORD && EXAMPLE_SECRETS.ADMIN_PASSWORD.some((e) => e === v.ADMIN_PASSWORD))
    throw new ConfigError(
      'ADMIN_PASSWORD: is the published example; set a secret of your own (compose/make-secrets.sh)',
    );
  if (v.DATABASE_URL && EXAMPLE_SECRETS.DATABASE_URL.some((e) => v.DATABASE_URL!.includes(e)))
    throw new ConfigError(
      'DATABASE_URL: uses the published example password; set a secret of your own (compose/make-secrets.sh)',
    );
}

/** Parse the environment once into a frozen, typed config; throws naming every bad variable. */
export function loadConfig(env: Env): Config {
  const parsed = schema.safeParse(withSecretFiles(env, SECRET_VARIABLES));
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`Invalid configuration: ${problems.join('; ')}`);
  }
  const v = parsed.data;
  refuseUnsafeInProduction(v);
  if (Boolean(v.ADMIN_EMAIL) !== Boolean(v.ADMIN_PASSWORD)) {
    throw new ConfigError('ADMIN_EMAIL and ADMIN_PASSWORD (or ADMIN_PASSWORD_FILE) go together');
  }
  const database: Config['database'] = v.DATABASE_URL
    ? databaseFromUrl(v.DATABASE_URL)
    : { client: 'sqlite', filename: path.join(v.DATA_DIR, 'tradepost.db') };
  return Object.freeze({
    nodeEnv: v.NODE_ENV,
    signup: signupPolicyOf(v.NODE_ENV, v.SIGNUP_POLICY, v.SIGNUP_DOMAINS),
    trustProxy: v.TRUST_PROXY,
    port: v.PORT,
    host: v.HOST,
    dataDir: v.DATA_DIR,
    database,
    logLevel: v.LOG_LEVEL,
    admin:
      v.ADMIN_EMAIL && v.ADMIN_PASSWORD
        ? { email: v.ADMIN_EMAIL, password: v.ADMIN_PASSWORD }
        : null,
    poolMax: v.DB_POOL_MAX,
    migrateOnStart:
      v.MIGRATE_ON_START === 'auto' ? database.client === 'sqlite' : v.MIGRATE_ON_START === 'true',
    requestTimeoutMs: v.REQUEST_TIMEOUT_MS,
    maxInFlight: v.MAX_IN_FLIGHT,
    shutdownDrainMs: v.SHUTDOWN_DRAIN_MS,
    shutdownTimeoutMs: v.SHUTDOWN_TIMEOUT_MS,
    keepAliveTimeoutMs: v.KEEP_ALIVE_TIMEOUT_MS,
    housekeepingIntervalMs: v.HOUSEKEEPING_INTERVAL_MS,
  });
}

const DOMAIN = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;

/** Closed by default in production; open by default elsewhere (`npm start`, tests). */
function signupPolicyOf(
  nodeEnv: string,
  mode: 'closed' | 'domains' | 'open' | undefined,
  domainList: string | undefined,
): SignupPolicy {
  const chosen = mode ?? (nodeEnv === 'production' ? 'closed' : 'open');
  if (chosen !== 'domains') {
    if (domainList) throw new ConfigError('SIGNUP_DOMAINS: set only with SIGNUP_POLICY=domains');
    return { mode: chosen };
  }
  const domains = (domainList ?? '')
    .split(',')
    .map((d) => d.trim().toLowerCase())
    .filter(Boolean);
  if (domains.length === 0)
    throw new ConfigError('SIGNUP_DOMAINS: required with SIGNUP_POLICY=domains (example.com,…)');
  const bad = domains.filter((d) => !DOMAIN.test(d));
  if (bad.length > 0) throw new ConfigError(`SIGNUP_DOMAINS: not a domain name: ${bad.join(', ')}`);
  return { mode: 'domains', domains };
}

const TLS_FORMS = 'ssl=rds (the Amazon RDS CA bundle) or ssl-ca=<CA file>';

/** The URL's TLS choice; anything it does not understand is refused rather than ignored. */
function tlsOf(url: URL, name: string): DatabaseTls | null {
  const keys = [...url.searchParams.keys()];
  const unknown = keys.filter((key) => key !== 'ssl' && key !== 'ssl-ca');
  if (unknown.length > 0)
    throw new ConfigError(`${name}: unknown parameter ${unknown.join(', ')}; use ${TLS_FORMS}`);
  if (keys.length > 1) throw new ConfigError(`${name}: give one of ${TLS_FORMS}, once`);
  const ssl = url.searchParams.get('ssl');
  if (ssl !== null) {
    if (ssl !== 'rds') throw new ConfigError(`${name}: ssl must be rds; or use ssl-ca=<CA file>`);
    return { ca: 'rds' };
  }
  const caFile = url.searchParams.get('ssl-ca');
  if (caFile === null) return null;
  const file = path.resolve(caFile);
  let pem: string;
  try {
    pem = readFileSync(file, 'utf8');
    new X509Certificate(pem);
  } catch (error) {
    throw new ConfigError(
      `${name}: ssl-ca ${file} is not a readable PEM certificate (${(error as Error).message})`,
    );
  }
  return { ca: 'file', file, pem };
}

/**
 * A database URL as the backend, its CLIs and the test harness connect with it:
 * `mysql://user:pass@host:3306/db` (plain), with `?ssl=rds` or `?ssl-ca=<file>` for
 * verified TLS, or `sqlite:<path>`. `name` is the variable the URL came from, for errors.
 */
export function databaseFromUrl(text: string, name = 'DATABASE_URL'): Config['database'] {
  if (text.startsWith('sqlite:'))
    return { client: 'sqlite', filename: path.resolve(text.slice('sqlite:'.length)) };
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new ConfigError(`${name}: not a valid mysql:// URL`);
  }
  if (url.protocol !== 'mysql:' || !url.hostname)
    throw new ConfigError(`${name}: must be mysql://user:pass@host:3306/db or sqlite:<path>`);
  const tls = tlsOf(url, name);
  // mysql2 (with Node's TLS) checks an address against the name "localhost", not itself.
  if (tls && isIP(url.hostname.replace(/^\[|\]$/g, '')))
    throw new ConfigError(
      `${name}: with TLS, give the server's host name as its certificate names it, not an address`,
    );
  return { client: 'mysql', url: text, tls };
}

/** The database URL with its password masked, safe for logs. */
export function describeDatabase(database: Config['database']): string {
  if (database.client === 'sqlite') return `sqlite:${database.filename}`;
  const url = new URL(database.url);
  if (url.password) url.password = '***';
  return url.toString();
}
