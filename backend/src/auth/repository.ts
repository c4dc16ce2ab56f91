import { type Executor, select } from '../db/knex';
import type { Role } from '../users/repository';

const SESSIONS = 'sessions';
const THROTTLE = 'login_throttle';

interface SessionRow {
  id: number;
  user_id: number;
  created_at: number | string;
  last_seen_at: number | string;
  expires_at: number | string;
}

interface UserColumns {
  name: string;
  surname: string;
  email: string;
  role: string;
}

interface ThrottleRow {
  email_normalized: string;
  failures: number;
  window_started_at: number | string;
  blocked_until: number | string;
}

export interface SessionRecord {
  id: number;
  userId: number;
  lastSeenAt: number;
  expiresAt: number;
}

export interface SessionWithUser extends SessionRecord {
  user: { id: number; name: string; surname: string; email: string; role: Role; createdAt: number };
}

export interface ThrottleRecord {
  failures: number;
  windowStartedAt: number;
  blockedUntil: number;
}

const FIND_SESSION = `SELECT s.id, s.user_id, s.last_seen_at, s.expires_at,
    u.name, u.surname, u.email, u.role, u.created_at
  FROM ${SESSIONS} s JOIN users u ON u.id = s.user_id
  WHERE s.token_hash = ?`;

const toSession = (row: SessionRow): SessionRecord => ({
  id: row.id,
  userId: row.user_id,
  lastSeenAt: Number(row.last_seen_at),
  expiresAt: Number(row.expires_at),
});

const toThrottle = (row: ThrottleRow): ThrottleRecord => ({
  failures: row.failures,
  windowStartedAt: Number(row.window_started_at),
  blockedUntil: Number(row.blocked_until),
});

export function createSessionsRepository(db: Executor) {
  return {
    async insert(userId: number, tokenHash: string, now: number, expiresAt: number): Promise<void> {
      await db(SESSIONS).insert({
        user_id: userId,
        token_hash: tokenHash,
        created_at: now,
        last_seen_at: now,
        expires_at: expiresAt,
      });
    },

    /**
     * The session and its user's id, name and role in one indexed lookup. Runs on
     * every authenticated request, so it is plain SQL: no query builder per call.
     */
    async findByTokenHash(tokenHash: string): Promise<SessionWithUser | null> {
      const [row] = await select<SessionRow & UserColumns>(db, FIND_SESSION, [tokenHash]);
      if (!row) return null;
      return {
        ...toSession(row),
        user: {
          id: row.user_id,
          name: row.name,
          surname: row.surname,
          email: row.email,
          role: row.role === 'admin' ? 'admin' : 'member',
          createdAt: Number(row.created_at),
        },
      };
    },

    async touch(id: number, now: number): Promise<void> {
      await db(SESSIONS).where({ id }).update({ last_seen_at: now });
    },

    async remove(id: number): Promise<void> {
      await db(SESSIONS).where({ id }).delete();
    },

    async removeForUser(userId: number, trx: Executor = db): Promise<void> {
      await trx(SESSIONS).where({ user_id: userId }).delete();
    },
  };
}

export function createThrottleRepository(db: Executor) {
  return {
    async find(email: string, trx: Executor = db): Promise<ThrottleRecord | null> {
      const row = await trx<ThrottleRow>(THROTTLE)
        .where({ email_normalized: email })
        .forUpdate()
        .first();
      return row ? toThrottle(row) : null;
    },

    async save(email: string, record: ThrottleRecord, trx: Executor = db): Promise<void> {
      await trx(THROTTLE)
        .insert({
          email_normalized: email,
          failures: record.failures,
          window_started_at: record.windowStartedAt,
          blocked_until: record.blockedUntil,
        })
        .onConflict('email_normalized')
        .merge();
    },

    async clear(email: string): Promise<void> {
      await db(THROTTLE).where({ email_normalized: email }).delete();
    },
  };
}

export type SessionsRepository = ReturnType<typeof createSessionsRepository>;
export type ThrottleRepository = ReturnType<typeof createThrottleRepository>;
