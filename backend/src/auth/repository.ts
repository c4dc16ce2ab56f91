import { dialectOf, type Executor, run, select } from '../db/knex';
import type { Role } from '../actor';

const SESSIONS = 'sessions';
const THROTTLE = 'login_throttle';

/** A session and its user, under prefixed names so they can sit beside another read's columns. */
export interface SessionColumns {
  session_id: number;
  session_user_id: number;
  session_last_seen_at: number | string;
  session_expires_at: number | string;
  session_name: string;
  session_surname: string;
  session_email: string;
  session_role: string;
  session_created_at: number | string;
  session_must_change_password: number | boolean;
}

export interface SessionRecord {
  id: number;
  userId: number;
  lastSeenAt: number;
  expiresAt: number;
}

export interface SessionWithUser extends SessionRecord {
  user: {
    id: number;
    name: string;
    surname: string;
    email: string;
    role: Role;
    createdAt: number;
    mustChangePassword: boolean;
  };
}

const SESSION_COLUMNS = `s.id AS session_id, s.user_id AS session_user_id,
    s.last_seen_at AS session_last_seen_at, s.expires_at AS session_expires_at,
    su.name AS session_name, su.surname AS session_surname, su.email AS session_email,
    su.role AS session_role, su.created_at AS session_created_at,
    su.must_change_password AS session_must_change_password`;

const FIND_SESSION = `SELECT ${SESSION_COLUMNS}
  FROM ${SESSIONS} s JOIN users su ON su.id = s.user_id
  WHERE s.token_hash = ?`;

/**
 * SQL that finds the session by its token hash and reads `columns` from `joins`
 * beside it, so a hot page costs one round trip to the database instead of two.
 * `joins` must be LEFT JOINs with every condition in their ON clauses: then there
 * is no row when there is no such session, and one row whose read columns are
 * all NULL when the read found nothing. The read stays flat rather than a derived
 * table, which MariaDB may materialise in full before joining it. Bindings:
 * `joins`', then the token hash. Build it once, not per request.
 */
export function withSessionSql(read: { columns: string; joins: string; orderBy: string }): string {
  return `SELECT ${SESSION_COLUMNS}, ${read.columns}
  FROM ${SESSIONS} s JOIN users su ON su.id = s.user_id
  ${read.joins}
  WHERE s.token_hash = ?
  ORDER BY ${read.orderBy}`;
}

/** The session in a row of FIND_SESSION or of a `withSessionSql` statement. */
export function sessionFromRow(row: SessionColumns): SessionWithUser {
  return {
    id: row.session_id,
    userId: row.session_user_id,
    lastSeenAt: Number(row.session_last_seen_at),
    expiresAt: Number(row.session_expires_at),
    user: {
      id: row.session_user_id,
      name: row.session_name,
      surname: row.session_surname,
      email: row.session_email,
      role: row.session_role === 'admin' ? 'admin' : 'member',
      createdAt: Number(row.session_created_at),
      mustChangePassword: Boolean(row.session_must_change_password),
    },
  };
}

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
      const [row] = await select<SessionColumns>(db, FIND_SESSION, [tokenHash]);
      return row ? sessionFromRow(row) : null;
    },

    async touch(id: number, now: number): Promise<void> {
      await db(SESSIONS).where({ id }).update({ last_seen_at: now });
    },

    async remove(id: number): Promise<void> {
      await db(SESSIONS).where({ id }).delete();
    },

    /** Ends every session of a user, but `keep` (the one asking) when given. */
    async removeAllOf(userId: number, keep?: number, trx: Executor = db): Promise<number> {
      const query = trx(SESSIONS).where({ user_id: userId });
      if (keep !== undefined) query.whereNot({ id: keep });
      return query.delete();
    },
  };
}

/** What counting one attempt against a key found. */
export type Reservation =
  | { readonly blocked: false; readonly failures: number; readonly lockouts: number }
  | { readonly blocked: true; readonly blockedUntil: number };

export function createThrottleRepository(db: Executor) {
  return {
    /**
     * Counts one attempt against `key` and answers the count, or that the key is
     * blocked (then nothing is counted). One UPDATE adds the attempt (starting a new
     * window when the last one is over), so concurrent attempts each see their own
     * count; inside the caller's transaction the row stays locked until it commits.
     */
    async count(trx: Executor, key: string, now: number, windowMs: number): Promise<Reservation> {
      const windowOver = now - windowMs;
      // Unqualified columns are the stored row's (SQLite's DO UPDATE, and MySQL's
      // ON DUPLICATE KEY UPDATE, which assigns left to right: `failures` is assigned
      // before the columns it reads change). One statement, one exclusive row lock.
      const conflict =
        dialectOf(trx) === 'mysql'
          ? 'ON DUPLICATE KEY UPDATE'
          : 'ON CONFLICT (throttle_key) DO UPDATE SET';
      await run(
        trx,
        `INSERT INTO ${THROTTLE} (throttle_key, failures, window_started_at, blocked_until, lockouts, updated_at)
         VALUES (?, 1, ?, 0, 0, ?)
         ${conflict}
           failures = CASE WHEN blocked_until > ? THEN failures
                           WHEN window_started_at <= ? THEN 1 ELSE failures + 1 END,
           window_started_at = CASE WHEN blocked_until > ? THEN window_started_at
                                    WHEN window_started_at <= ? THEN ? ELSE window_started_at END,
           updated_at = ?`,
        [key, now, now, now, windowOver, now, windowOver, now, now],
      );
      const [row] = await select<{
        failures: number;
        lockouts: number;
        blocked_until: number | string;
      }>(trx, `SELECT failures, lockouts, blocked_until FROM ${THROTTLE} WHERE throttle_key = ?`, [
        key,
      ]);
      const blockedUntil = Number(row.blocked_until);
      if (blockedUntil > now) return { blocked: true, blockedUntil };
      return { blocked: false, failures: Number(row.failures), lockouts: Number(row.lockouts) };
    },

    /** Blocks `key` until `until`; the next block will last twice as long. */
    async block(trx: Executor, key: string, until: number, now: number): Promise<void> {
      await trx(THROTTLE)
        .where({ throttle_key: key })
        .update({
          blocked_until: until,
          failures: 0,
          lockouts: trx.raw('lockouts + 1'),
          updated_at: now,
        });
    },

    /** A sign-in succeeded: its attempt no longer counts against `key`. */
    async release(key: string, now: number): Promise<void> {
      await db(THROTTLE)
        .where({ throttle_key: key })
        .where('failures', '>', 0)
        .update({ failures: db.raw('failures - 1'), updated_at: now });
    },

    async clear(key: string): Promise<void> {
      await db(THROTTLE).where({ throttle_key: key }).delete();
    },
  };
}

export type SessionsRepository = ReturnType<typeof createSessionsRepository>;
export type ThrottleRepository = ReturnType<typeof createThrottleRepository>;
