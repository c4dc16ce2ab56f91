import type { NextFunction, Request, Response } from 'express';
import type { Role, Session } from '../backend/types';
import { cookieName, parseCookies, setCookie } from './cookies';
import { randomBase64url } from './random';
import { signJson, verifyJson } from './signing';

export interface SessionUser {
  id: number;
  name: string;
  role: Role;
}

/**
 * Everything the frontend remembers about a visitor lives in one signed cookie, so
 * any replica can serve any request. `sid` is random per session (anonymous too) and
 * changes at login and logout; the CSRF token is derived from it.
 */
export interface SessionData {
  sid: string;
  /** Last activity, epoch seconds; the session ends after the idle limit. */
  at: number;
  token?: string;
  /** Backend token expiry, epoch seconds. */
  exp?: number;
  user?: SessionUser;
}

const PURPOSE = 'session';
const BASE_NAME = 'sid';
/** Refresh the activity stamp at most once a minute, to keep Set-Cookie off most responses. */
const TOUCH_AFTER_SECONDS = 60;

export const nowSeconds = () => Math.floor(Date.now() / 1000);

export function newSessionId(): string {
  return randomBase64url(18);
}

function isSessionData(value: unknown): value is SessionData {
  const s = value as SessionData | null;
  return (
    typeof s === 'object' &&
    s !== null &&
    typeof s.sid === 'string' &&
    typeof s.at === 'number' &&
    (s.user === undefined || (typeof s.user.id === 'number' && typeof s.user.name === 'string'))
  );
}

export interface SessionRead {
  session: SessionData;
  /** The cookie must be (re)written on this response. */
  dirty: boolean;
  /** A signed-in session ended by idleness or expiry; its token should be revoked. */
  expiredToken?: string;
}

export function readSession(
  req: Request,
  secret: string,
  idleSeconds: number,
  secure: boolean,
): SessionRead {
  const raw = parseCookies(req.headers.cookie).get(cookieName(BASE_NAME, secure));
  const parsed = raw ? verifyJson(secret, PURPOSE, raw) : undefined;
  const now = nowSeconds();
  if (!isSessionData(parsed)) return { session: { sid: newSessionId(), at: now }, dirty: true };
  const idle = now - parsed.at > idleSeconds;
  const expired = parsed.exp !== undefined && parsed.exp <= now;
  if (parsed.token && (idle || expired)) {
    return { session: { sid: newSessionId(), at: now }, dirty: true, expiredToken: parsed.token };
  }
  if (parsed.token && now - parsed.at >= TOUCH_AFTER_SECONDS) {
    return { session: { ...parsed, at: now }, dirty: true };
  }
  return { session: parsed, dirty: false };
}

export function writeSession(res: Response, secret: string, secure: boolean, data: SessionData) {
  const maxAge = data.exp !== undefined ? Math.max(0, data.exp - nowSeconds()) : undefined;
  setCookie(res, cookieName(BASE_NAME, secure), signJson(secret, PURPOSE, data), {
    secure,
    maxAgeSeconds: maxAge,
  });
}

/** A fresh session (new id: no fixation) for someone the backend just signed in. */
export function sessionFromBackend(session: Session): SessionData {
  const exp = Math.floor(Date.parse(session.expiresAt) / 1000);
  return {
    sid: newSessionId(),
    at: nowSeconds(),
    token: session.token,
    exp: Number.isFinite(exp) ? exp : undefined,
    user: { id: session.user.id, name: session.user.name, role: session.user.role },
  };
}

/** Pages behind sign-in send anonymous visitors to the login form, then back. */
export function requireUser(req: Request, res: Response, next: NextFunction) {
  if (req.ctx.session.user) return next();
  if (req.method !== 'GET') {
    res.redirect(303, '/login');
    return;
  }
  res.redirect(303, `/login?next=${encodeURIComponent(req.originalUrl)}`);
}
