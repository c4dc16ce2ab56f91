import { type Executor, run } from '../db/knex';

const TABLE = 'idempotency_keys';
/** On every keyed create: plain SQL rather than a query built per call. */
const CLAIM = `INSERT INTO ${TABLE} (user_id, idem_key, request_hash, status, response_body, created_at)
  VALUES (?, ?, ?, ?, ?, ?)`;

interface Row {
  user_id: number;
  idem_key: string;
  request_hash: string;
  status: number;
  response_body: string;
}

export interface StoredResponse {
  requestHash: string;
  status: number;
  body: unknown;
}

/** A key claimed together with the response it stands for. */
export interface KeyClaim {
  userId: number;
  key: string;
  requestHash: string;
  status: number;
  /** The response body as JSON. */
  responseBody: string;
  createdAt: number;
}

/**
 * Inserts the claim in `trx`; throws a unique violation when the key was claimed
 * before (after waiting for that claim's transaction to end).
 */
export async function insertClaim(trx: Executor, claim: KeyClaim): Promise<void> {
  await run(trx, CLAIM, [
    claim.userId,
    claim.key,
    claim.requestHash,
    claim.status,
    claim.responseBody,
    claim.createdAt,
  ]);
}

export function createIdempotencyRepository(db: Executor) {
  return {
    async find(userId: number, key: string): Promise<StoredResponse | null> {
      const row = await db<Row>(TABLE).where({ user_id: userId, idem_key: key }).first();
      if (!row) return null;
      return {
        requestHash: row.request_hash,
        status: row.status,
        body: row.response_body ? (JSON.parse(row.response_body) as unknown) : null,
      };
    },

    async purgeOlderThan(cutoff: number): Promise<number> {
      return db(TABLE).where('created_at', '<', cutoff).delete();
    },
  };
}

export type IdempotencyRepository = ReturnType<typeof createIdempotencyRepository>;
