import type { Clock } from '../clock';
import { type Db, type Executor, dialectOf } from '../db/knex';
import { KEY_RETENTION_MS } from '../idempotency/service';
import type { Logger } from '../logger';
import { MAX_BLOCK_MS } from './service';

/** A table's rows that are no longer needed: `where` with its bindings at time `now`. */
interface Job {
  table: string;
  where: string;
  bindings: (now: number) => number[];
}

const JOBS: Job[] = [
  // Past the absolute timeout: no request can use them any more.
  { table: 'sessions', where: 'expires_at < ?', bindings: (now) => [now] },
  // Untouched for a day and not blocked: its count could no longer refuse anything.
  {
    table: 'login_throttle',
    where: 'updated_at < ? AND blocked_until < ?',
    bindings: (now) => [now - MAX_BLOCK_MS, now],
  },
  {
    table: 'idempotency_keys',
    where: 'created_at < ?',
    bindings: (now) => [now - KEY_RETENTION_MS],
  },
  { table: 'invitations', where: 'expires_at < ?', bindings: (now) => [now] },
];

/**
 * Deletes at most `limit` rows matching the job, in one statement: MySQL's
 * `DELETE … LIMIT`, SQLite's rowid subquery (its DELETE takes no LIMIT). Each batch
 * is its own short statement, so replicas purging at once only share the work.
 */
async function purgeBatch(db: Executor, job: Job, now: number, limit: number): Promise<number> {
  const bindings = [...job.bindings(now), limit];
  const sql =
    dialectOf(db) === 'mysql'
      ? `DELETE FROM ${job.table} WHERE ${job.where} LIMIT ?`
      : `DELETE FROM ${job.table} WHERE rowid IN (SELECT rowid FROM ${job.table} WHERE ${job.where} LIMIT ?)`;
  const result: unknown = await db.raw(sql, bindings);
  // mysql2 answers [ResultSetHeader, …]; better-sqlite3 through knex an info object or [].
  const header = (Array.isArray(result) ? result[0] : result) as
    { affectedRows?: number; changes?: number } | undefined;
  return Number(header?.affectedRows ?? header?.changes ?? 0);
}

/**
 * InnoDB may pick one of two replicas' concurrent DELETEs over the same rows as a
 * deadlock victim and roll that statement back: nothing is half done, so the batch is
 * simply asked again (the other replica's batch has taken its rows by then).
 */
const CONTENDED = new Set(['ER_LOCK_DEADLOCK', 'ER_LOCK_WAIT_TIMEOUT']);
const CONTENDED_TRIES = 5;

async function purgeBatchContended(
  db: Executor,
  job: Job,
  now: number,
  limit: number,
): Promise<number> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await purgeBatch(db, job, now, limit);
    } catch (err) {
      const code = (err as { code?: string }).code ?? '';
      if (!CONTENDED.has(code) || attempt >= CONTENDED_TRIES) throw err;
    }
  }
}

/**
 * Removes expired sessions, stale throttle counts, old idempotency keys and expired
 * invitations on a schedule, in bounded batches, so the tables stay bounded and no
 * purge holds locks for long. Safe to run on every replica at once.
 */
export function createHousekeeping(deps: {
  db: Db;
  clock: Clock;
  logger?: Logger;
  batchSize?: number;
  /** Batches per table per run: a run never takes long, a backlog clears over runs. */
  maxBatches?: number;
}) {
  const batchSize = deps.batchSize ?? 1000;
  const maxBatches = deps.maxBatches ?? 50;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<unknown> | undefined;

  async function purge(): Promise<Record<string, number>> {
    const now = deps.clock();
    const removed: Record<string, number> = {};
    for (const job of JOBS) {
      removed[job.table] = 0;
      for (let i = 0; i < maxBatches; i++) {
        const n = await purgeBatchContended(deps.db, job, now, batchSize);
        removed[job.table] += n;
        if (n < batchSize) break;
      }
    }
    return removed;
  }

  return {
    purge,

    /** Purges every `intervalMs` (the first after a random part of it, so replicas spread). */
    start(intervalMs: number): void {
      if (intervalMs <= 0 || timer) return;
      const tick = () => {
        running ??= purge()
          .then((removed) => deps.logger?.debug({ removed }, 'housekeeping'))
          .catch((error: unknown) => deps.logger?.warn({ err: error }, 'housekeeping failed'))
          .finally(() => {
            running = undefined;
          });
      };
      timer = setTimeout(
        function again() {
          tick();
          timer = setTimeout(again, intervalMs).unref();
        },
        Math.floor(Math.random() * intervalMs),
      ).unref();
    },

    /** Stops the schedule and waits for a purge in progress. */
    async stop(): Promise<void> {
      if (timer) clearTimeout(timer);
      timer = undefined;
      await running;
    },
  };
}

export type Housekeeping = ReturnType<typeof createHousekeeping>;
