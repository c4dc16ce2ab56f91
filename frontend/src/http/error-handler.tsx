import { h } from '../views/html';
import type { NextFunction, Request, Response } from 'express';
import { BackendProblem, BackendUnavailable } from '../backend/errors';
import type { RequestContext } from './types';
import { AppError } from '../errors';
import { setFlash } from './flash';
import { newSessionId, nowSeconds, writeSession } from './session';
import type { Render } from './render';
import { ErrorPage } from '../views/error-page';

interface Shown {
  status: number;
  title: string;
  message: string;
  retryAfter?: number;
}

const TITLES: Record<number, string> = {
  400: 'Bad request',
  403: 'Not allowed',
  404: 'Page not found',
  413: 'Too much data',
  429: 'Too many requests',
  500: 'Something went wrong',
  503: 'Temporarily unavailable',
};

function describe(err: unknown): Shown {
  if (err instanceof AppError) {
    return { status: err.status, title: TITLES[err.status] ?? 'Error', message: err.message };
  }
  if (err instanceof BackendUnavailable) {
    return {
      status: 503,
      title: TITLES[503],
      message: 'Tradepost cannot reach its data right now. Please try again in a moment.',
      retryAfter: err.retryAfterSeconds,
    };
  }
  if (err instanceof BackendProblem) {
    if (err.status === 404)
      return describe(new AppError('not_found', 404, 'We could not find that.'));
    if (err.status === 403) {
      return { status: 403, title: TITLES[403], message: 'You are not allowed to do that.' };
    }
    if (err.status === 429) {
      return {
        status: 429,
        title: TITLES[429],
        message: 'Please slow down and try again shortly.',
        retryAfter: err.retryAfterSeconds,
      };
    }
    if (err.status >= 400 && err.status < 500 && err.status !== 401) {
      return { status: 400, title: TITLES[400], message: 'The request could not be processed.' };
    }
  }
  // body-parser and other HTTP errors carry a 4xx status of their own.
  const status = (err as { status?: unknown } | null)?.status;
  if (typeof status === 'number' && status >= 400 && status < 500) {
    return {
      status,
      title: TITLES[status] ?? 'Bad request',
      message: 'The request could not be processed.',
    };
  }
  return {
    status: 500,
    title: TITLES[500],
    message: 'An unexpected error occurred. It has been logged.',
  };
}

/** The single error middleware: friendly pages, no internals; 5xx details go to the log only. */
export function errorHandler({ render, secret }: { render: Render; secret: string }) {
  return (err: unknown, req: Request, res: Response, next: NextFunction) => {
    if (res.headersSent) return next(err);
    const ctx = req.ctx as RequestContext | undefined;
    // The backend no longer knows this token (expired, revoked): sign out here too.
    if (err instanceof BackendProblem && err.status === 401 && ctx) {
      writeSession(res, secret, ctx.secure, { sid: newSessionId(), at: nowSeconds() });
      setFlash(res, ctx.secure, 'session_expired');
      const back = req.method === 'GET' ? `?next=${encodeURIComponent(req.originalUrl)}` : '';
      return res.redirect(303, `/login${back}`);
    }
    // Signed in with a temporary password: choosing a new one comes first.
    if (err instanceof BackendProblem && err.code === 'password_change_required')
      return res.redirect(303, '/password?required=1');
    const shown = describe(err);
    if (err instanceof BackendUnavailable)
      req.log.warn({ reason: err.reason }, 'backend unavailable');
    else if (shown.status >= 500) req.log.error({ err }, 'request failed');
    else
      req.log.info(
        { code: (err as { code?: unknown }).code, status: shown.status },
        'request refused',
      );
    if (shown.retryAfter !== undefined) res.setHeader('Retry-After', String(shown.retryAfter));
    render(req, res, shown.title, <ErrorPage {...shown} requestId={req.id} />, shown.status);
  };
}
