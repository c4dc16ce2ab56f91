import { createHash, randomBytes } from 'node:crypto';
import type { RequestHandler } from 'express';
import { AppError } from '../errors';
import type { Clock } from '../clock';
import type { UserRecord } from '../users/repository';
import type { SessionsRepository } from './repository';

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

/** Opaque bearer tokens: 256 random bits, looked up by hash, revocable at any time. */
export function createSessionAuthenticator(deps: { sessions: SessionsRepository; clock: Clock }) {
  async function resolve(token: string): Promise<AuthenticatedUser> {
    const session = await deps.sessions.findByTokenHash(hashToken(token));
    if (!session) throw unauthenticated();
    const now = deps.clock();
    if (now >= session.expiresAt || now - session.lastSeenAt >= IDLE_TIMEOUT_MS) {
      await deps.sessions.remove(session.id);
      throw unauthenticated();
    }
    if (now - session.lastSeenAt >= TOUCH_INTERVAL_MS) await deps.sessions.touch(session.id, now);
    return { ...session.user, sessionId: session.id };
  }

  const middleware: RequestHandler = async (req, _res, next) => {
    const match = /^Bearer ([A-Za-z0-9_-]{20,200})$/.exec(req.get('authorization') ?? '');
    if (!match) throw unauthenticated();
    req.actor = await resolve(match[1]);
    next();
  };

  return { resolve, middleware };
}
