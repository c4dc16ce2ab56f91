import { createHash } from 'node:crypto';
import { AppError } from '../errors';
import { isUniqueViolation, type Db, type Trx } from '../db/knex';
import type { Clock } from '../clock';
import { type IdempotencyRepository, type KeyClaim, insertClaim } from './repository';

/** Keys are kept at least this long; a retry within it replays the first response. */
export const KEY_RETENTION_MS = 24 * 60 * 60 * 1000;
const PURGE_EVERY_MS = 60 * 60 * 1000;

/** What a create answers. */
export interface Creation<T> {
  status: number;
  body: T;
}

export interface Created<T> extends Creation<T> {
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
 * Creates under an Idempotency-Key: the key is claimed, with the response it stands
 * for, atomically with what the create writes. A concurrent or later retry hits the
 * primary key, waits for the first to commit, rolls its own work back and gets the
 * stored response: one resource per key, whatever the timing.
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

  /** After a create failed: the stored response when it failed on a key claimed before. */
  async function replay<T>(
    error: unknown,
    userId: number,
    key: string | undefined,
    hash: string,
  ): Promise<Created<T>> {
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

  return {
    /**
     * The response stored for a key already used, or null. For a change whose checks
     * would refuse its own retry (a move made once finds the order moved): ask first,
     * and again when refused, since a concurrent twin may have committed in between.
     */
    async previous<T>(userId: number, key: string, hash: string): Promise<Created<T> | null> {
      const stored = await deps.keys.find(userId, key);
      if (!stored) return null;
      if (stored.requestHash !== hash) {
        throw new AppError(
          'idempotency_key_reused',
          422,
          'This Idempotency-Key was already used for a different request',
        );
      }
      return { status: stored.status, body: stored.body as T, replayed: true };
    },

    /** A create whose response depends on what it wrote: one transaction for both and the claim. */
    async inTransaction<T>(
      userId: number,
      key: string | undefined,
      hash: string,
      create: (trx: Trx) => Promise<Creation<T>>,
    ): Promise<Created<T>> {
      if (key !== undefined) purgeNowAndThen();
      try {
        const created = await deps.db.transaction(async (trx) => {
          const response = await create(trx);
          if (key !== undefined)
            await insertClaim(trx, claimOf(userId, key, hash, response, deps.clock()));
          return response;
        });
        return { ...created, replayed: false };
      } catch (error) {
        return replay<T>(error, userId, key, hash);
      }
    },

    /**
     * A create whose response is known before it writes: `write` must store the
     * claim (when there is a key) and the resource atomically, as one statement or
     * one transaction of its own.
     */
    async write<T>(
      userId: number,
      key: string | undefined,
      hash: string,
      response: Creation<T>,
      write: (claim: KeyClaim | undefined) => Promise<void>,
    ): Promise<Created<T>> {
      if (key !== undefined) purgeNowAndThen();
      try {
        await write(
          key === undefined ? undefined : claimOf(userId, key, hash, response, deps.clock()),
        );
        return { ...response, replayed: false };
      } catch (error) {
        return replay<T>(error, userId, key, hash);
      }
    },
  };
}

function claimOf(
  userId: number,
  key: string,
  hash: string,
  response: Creation<unknown>,
  now: number,
): KeyClaim {
  return {
    userId,
    key,
    requestHash: hash,
    status: response.status,
    responseBody: JSON.stringify(response.body),
    createdAt: now,
  };
}

export type Idempotency = ReturnType<typeof createIdempotency>;
