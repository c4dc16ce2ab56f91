import { createHash, randomBytes } from 'node:crypto';
import type { Request, RequestHandler } from 'express';
import { AppError } from '../errors';
import type { Clock } from '../clock';
import type { UserRecord } from '../users/repository';
import type { SessionWithUser, SessionsRepository } from './repository';

export const IDLE_TIMEOUT_MS = 30 * 60 * 1000;
export const ABSOLUTE_TIMEOUT_MS = 12 * 60 * 60 * 1000;
/** last_seen_at is written at most this often, so reads don't each become a write. */
const TOUCH_INTERVAL_MS = 60 * 1000;

export type AuthenticatedUser = Omit<UserRecord, 'passwordHash'> & { sessionId: number };

export const newToken = () => randomBytes(32).toString('base64url');
export const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

const unauthenticated = () =>
  new AppError(
    'unauthenticated',
    401,
    'Sign in first: the session is missing, expired or revoked',
    undefined,
    {
      'WWW-Authenticate': 'Bearer',
    },
  );

const BEARER = /^Bearer ([A-Za-z0-9_-]{20,200})$/;

/** Opaque bearer tokens: 256 random bits, looked up by hash, revocable at any time. */
export function createSessionAuthenticator(deps: { sessions: SessionsRepository; clock: Clock }) {
  /** The hash of the request's bearer token, the key its session is stored under; 401 without one. */
  function tokenHashOf(req: Request): string {
    const match = BEARER.exec(req.get('authorization') ?? '');
    if (!match) throw unauthenticated();
    return hashToken(match[1]);
  }

  /**
   * The user behind a session found by its token hash, or 401 when there is none
   * or it has expired (then it is removed). Keeps the idle clock running.
   */
  async function accept(session: SessionWithUser | null): Promise<AuthenticatedUser> {
    if (!session) throw unauthenticated();
    const now = deps.clock();
    if (now >= session.expiresAt || now - session.lastSeenAt >= IDLE_TIMEOUT_MS) {
      await deps.sessions.remove(session.id);
      throw unauthenticated();
    }
    if (now - session.lastSeenAt >= TOUCH_INTERVAL_MS) await deps.sessions.touch(session.id, now);
    return { ...session.user, sessionId: session.id };
  }

  /** The user behind the session stored under `tokenHash`, or 401. */
  async function authenticate(tokenHash: string): Promise<AuthenticatedUser> {
    return accept(await deps.sessions.findByTokenHash(tokenHash));
  }

  const middleware: RequestHandler = async (req, _res, next) => {
    req.actor = await authenticate(tokenHashOf(req));
    next();
  };

  return { tokenHashOf, accept, authenticate, middleware };
}

export type SessionAuthenticator = ReturnType<typeof createSessionAuthenticator>;
