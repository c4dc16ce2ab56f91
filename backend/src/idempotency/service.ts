import { createHash } from 'node:crypto';
import { AppError } from '../errors';
import { isUniqueViolation, type Db, type Trx } from '../db/knex';
import type { Clock } from '../clock';
import type { IdempotencyRepository } from './repository';

/** Keys are kept at least this long; a retry within it replays the first response. */
export const KEY_RETENTION_MS = 24 * 60 * 60 * 1000;
const PURGE_EVERY_MS = 60 * 60 * 1000;

/** What a create produces; `finish` runs last in the transaction (for writes that take a hot lock). */
export interface Creation<T> {
  status: number;
  body: T;
  finish?: () => Promise<void>;
}

export interface Created<T> {
  status: number;
  body: T;
  replayed: boolean;
}

/** Stable across key order, so a retried request hashes the same. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) =>
      a < b ? -1 : 1,
    );
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

export const requestHash = (operation: string, payload: unknown) =>
  createHash('sha256')
    .update(`${operation}\n${canonical(payload)}`)
    .digest('hex');

/**
 * Run a create in one transaction that also claims (user, key) with the response.
 * A concurrent or later retry hits the primary key, waits for the first to
 * commit, rolls its own work back and gets the stored response: one resource
 * per key, whatever the timing.
 */
export function createIdempotency(deps: { db: Db; keys: IdempotencyRepository; clock: Clock }) {
  let lastPurge = 0;

  function purgeNowAndThen(): void {
    const now = deps.clock();
    if (now - lastPurge < PURGE_EVERY_MS) return;
    lastPurge = now;
    deps.keys.purgeOlderThan(now - KEY_RETENTION_MS).catch(() => {
      lastPurge = 0;
    });
  }

  return async function run<T>(
    userId: number,
    key: string | undefined,
    hash: string,
    create: (trx: Trx) => Promise<Creation<T>>,
  ): Promise<Created<T>> {
    if (key !== undefined) purgeNowAndThen();
    try {
      const created = await deps.db.transaction(async (trx) => {
        const { finish, ...response } = await create(trx);
        if (key !== undefined)
          await deps.keys.claim(userId, key, hash, response, deps.clock(), trx);
        await finish?.();
        return response;
      });
      return { ...created, replayed: false };
    } catch (error) {
      if (key === undefined || !isUniqueViolation(error)) throw error;
      const stored = await deps.keys.find(userId, key);
      if (!stored) {
        // The first request's transaction rolled back after we collided with it.
        throw new AppError(
          'idempotency_in_flight',
          409,
          'A request with this Idempotency-Key is still in progress',
          undefined,
          {
            'Retry-After': '1',
          },
        );
      }
      if (stored.requestHash !== hash) {
        throw new AppError(
          'idempotency_key_reused',
          422,
          'This Idempotency-Key was already used for a different request',
        );
      }
      return { status: stored.status, body: stored.body as T, replayed: true };
    }
  };
}

export type Idempotency = ReturnType<typeof createIdempotency>;
