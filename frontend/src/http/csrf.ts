import type { NextFunction, Request, Response } from 'express';
import { AppError } from '../errors';
import { CSRF_FIELD } from '../views/components/form';
import { hmac, safeEqual } from './signing';

/**
 * The form token is an HMAC of the session id held in the signed session cookie:
 * a signed double-submit bound to the session. A token lifted from another session
 * does not verify against this one, and a cross-site page can read neither.
 */
export function csrfTokenFor(secret: string, sid: string): string {
  return hmac(secret, 'csrf', sid);
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

function sameOrigin(req: Request, allowed: readonly string[]): boolean {
  const site = req.get('sec-fetch-site');
  if (site !== undefined && site !== 'same-origin' && site !== 'none') return false;
  const origin = req.get('origin');
  if (origin === undefined) return true;
  const own = `${req.protocol}://${req.host}`;
  return origin === own || allowed.includes(origin);
}

/** Runs after the session and body parser, before every state-changing route. */
export function csrfProtection(allowedOrigins: readonly string[]) {
  return (req: Request, _res: Response, next: NextFunction) => {
    if (SAFE_METHODS.has(req.method)) return next();
    if (!sameOrigin(req, allowedOrigins)) {
      return next(new AppError('csrf_origin', 403, 'Cross-site form submissions are refused.'));
    }
    const body = req.body as Record<string, unknown> | undefined;
    const sent = body?.[CSRF_FIELD];
    if (typeof sent !== 'string' || !safeEqual(sent, req.ctx.csrfToken)) {
      return next(
        new AppError(
          'csrf_token',
          403,
          'This form has expired. Please go back, reload the page and try again.',
        ),
      );
    }
    next();
  };
}
