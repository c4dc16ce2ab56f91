import type { NextFunction, Request, Response } from 'express';
import { createApi } from '../backend/api';
import type { BackendClient } from '../backend/client';
import { csrfTokenFor } from './csrf';
import { takeFlash } from './flash';
import { readSession, writeSession } from './session';

export interface PageContextDeps {
  client: BackendClient;
  secret: string;
  idleSeconds: number;
  pageDeadlineMs: number;
}

/** Session, CSRF token, flash and a backend API bound to this request's identity and deadline. */
export function pageContext(deps: PageContextDeps) {
  return (req: Request, res: Response, next: NextFunction) => {
    const secure = req.secure;
    const deadline = Date.now() + deps.pageDeadlineMs;
    const read = readSession(req, deps.secret, deps.idleSeconds, secure);
    if (read.dirty) writeSession(res, deps.secret, secure, read.session);
    if (read.expiredToken) {
      const revoke = createApi(deps.client, {
        requestId: req.id,
        traceparent: req.trace.outgoing,
        token: read.expiredToken,
        deadline,
      });
      revoke.logout().catch(() => undefined);
    }
    req.ctx = {
      secure,
      deadline,
      session: read.session,
      csrfToken: csrfTokenFor(deps.secret, read.session.sid),
      flash: req.method === 'GET' ? takeFlash(req, res, secure) : undefined,
      api: createApi(deps.client, {
        requestId: req.id,
        traceparent: req.trace.outgoing,
        token: read.session.token,
        clientAddress: req.ip,
        deadline,
      }),
    };
    next();
  };
}
