import { createHash, randomBytes } from 'node:crypto';
import type { Knex } from 'knex';
import type { Actor, Caller } from '../actor';
import type { Clock } from '../clock';
import { type Executor, select } from '../db/knex';
import { AppError } from '../errors';
import {
  type SessionColumns,
  type SessionWithUser,
  type SessionsRepository,
  sessionFromRow,
  withSessionSql,
} from './repository';

export const IDLE_TIMEOUT_MS = 30 * 60 * 1000;
export const ABSOLUTE_TIMEOUT_MS = 12 * 60 * 60 * 1000;
/** last_seen_at is written at most this often, so reads don't each become a write. */
const TOUCH_INTERVAL_MS = 60 * 1000;

export const newToken = () => randomBytes(32).toString('base64url');
export const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

const unauthenticated = () =>
  new AppError(
    'unauthenticated',
    401,
    'Sign in first: the session is missing, expired or revoked',
    undefined,
    { 'WWW-Authenticate': 'Bearer' },
  );

const BEARER = /^Bearer ([A-Za-z0-9_-]{20,200})$/;

/** What a caller made here knows: its token's hash, and how to judge the session found by it. */
interface Credentials {
  tokenHash: string;
  accept(session: SessionWithUser | null): Promise<Actor>;
  checked?: Promise<Actor>;
}
const credentials = new WeakMap<Caller, Credentials>();

/** Opaque bearer tokens: 256 random bits, looked up by hash, revocable at any time. */
export function createSessionAuthenticator(deps: { sessions: SessionsRepository; clock: Clock }) {
  /**
   * The user behind a session found by its token hash, or 401 when there is none
   * or it has expired (then it is removed). Keeps the idle clock running.
   */
  async function accept(session: SessionWithUser | null): Promise<Actor> {
    if (!session) throw unauthenticated();
    const now = deps.clock();
    if (now >= session.expiresAt || now - session.lastSeenAt >= IDLE_TIMEOUT_MS) {
      await deps.sessions.remove(session.id);
      throw unauthenticated();
    }
    if (now - session.lastSeenAt >= TOUCH_INTERVAL_MS) await deps.sessions.touch(session.id, now);
    return { ...session.user, sessionId: session.id };
  }

  return {
    /**
     * The caller behind an `Authorization` header: 401 at once without a bearer token;
     * its session is looked up when first asked for, or by a `sessionRead`.
     */
    callerOf: (authorization: string | undefined): Caller => {
      const match = BEARER.exec(authorization ?? '');
      if (!match) throw unauthenticated();
      const found: Credentials = { tokenHash: hashToken(match[1]), accept };
      const caller: Caller = {
        actor: () =>
          (found.checked ??= deps.sessions.findByTokenHash(found.tokenHash).then(accept)),
      };
      credentials.set(caller, found);
      return caller;
    },
  };
}

/** A read that also finds the caller's session, and gives its rows only to a good one. */
export interface SessionRead<Row> {
  /** The statement: the read's bindings, then the token hash. Exported for plan tests. */
  readonly sql: string;
  run(db: Executor, caller: Caller, bindings: readonly Knex.Value[]): Promise<Row[]>;
}

/**
 * The one way a repository read carries the session check: the session is found in
 * the same statement as the read (one round trip to the database instead of two on
 * the busiest page; docs/architecture.md, "The session in the page's statement"), and
 * the rows come back only once that session is accepted, else 401. `read` follows
 * `withSessionSql`'s rules; when `run` returns, there is at least one row.
 */
export function sessionRead<Row>(read: {
  columns: string;
  joins: string;
  orderBy: string;
}): SessionRead<Row> {
  const sql = withSessionSql(read);
  return {
    sql,
    async run(db, caller, bindings) {
      const found = credentials.get(caller);
      if (!found) throw unauthenticated();
      const rows = await select<SessionColumns & Row>(db, sql, [...bindings, found.tokenHash]);
      const session = rows[0] ? sessionFromRow(rows[0]) : null;
      found.checked ??= found.accept(session);
      await found.checked;
      // Accepted earlier in this request, and revoked since.
      if (!session) throw unauthenticated();
      return rows;
    },
  };
}
