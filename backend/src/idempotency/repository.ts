import type { Executor } from '../db/knex';

const TABLE = 'idempotency_keys';

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

export function createIdempotencyRepository(db: Executor) {
  return {
    /** Claims the key; throws a unique violation when it was claimed before. */
    async claim(userId: number, key: string, requestHash: string, now: number, trx: Executor) {
      await trx(TABLE).insert({
        user_id: userId,
        idem_key: key,
        request_hash: requestHash,
        status: 0,
        response_body: '',
        created_at: now,
      });
    },

    async complete(userId: number, key: string, status: number, body: unknown, trx: Executor) {
      await trx(TABLE)
        .where({ user_id: userId, idem_key: key })
        .update({ status, response_body: JSON.stringify(body) });
    },

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
