import { randomUUID } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import { createApi, type Api } from '../backend/api';
import type { BackendClient } from '../backend/client';
import type { Logger } from '../logger';
import { csrfTokenFor } from './csrf';
import { takeFlash } from './flash';
import { readSession, writeSession, type SessionData } from './session';

export interface RequestContext {
  secure: boolean;
  deadline: number;
  session: SessionData;
  csrfToken: string;
  flash?: string;
  api: Api;
}

declare module 'express-serve-static-core' {
  interface Request {
    /** Set for every request, first thing. */
    id: string;
    log: Logger;
    /** Set for page routes (not for /healthz, /metrics or assets). */
    ctx: RequestContext;
  }
}

const VALID_REQUEST_ID = /^[A-Za-z0-9._:-]{8,128}$/;

/** Take nginx's X-Request-Id when it looks sane, else make one; echo it back. */
export function requestId(logger: Logger) {
  return (req: Request, res: Response, next: NextFunction) => {
    const incoming = req.get('x-request-id');
    req.id = incoming && VALID_REQUEST_ID.test(incoming) ? incoming : randomUUID();
    req.log = logger.child({ reqId: req.id });
    res.setHeader('X-Request-Id', req.id);
    next();
  };
}

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
      api: createApi(deps.client, { requestId: req.id, token: read.session.token, deadline }),
    };
    next();
  };
}
