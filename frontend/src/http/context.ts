import { randomUUID } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import { createApi, type Api } from '../backend/api';
import type { BackendClient } from '../backend/client';
import type { Logger } from '../logger';
import { csrfTokenFor } from './csrf';
import { takeFlash } from './flash';
import { randomHex } from './random';
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
    /** W3C trace context: the incoming traceparent and the one this service sends on. */
    trace: Trace;
    /** Set for page routes (not for /healthz, /metrics or assets). */
    ctx: RequestContext;
  }
}

const VALID_REQUEST_ID = /^[A-Za-z0-9._:-]{8,128}$/;
/** W3C trace context, version 00 shape; an all-zero trace or parent id is invalid. */
const TRACEPARENT =
  /^(?!ff)[0-9a-f]{2}-(?<traceId>(?!0{32})[0-9a-f]{32})-(?!0{16})[0-9a-f]{16}-(?<flags>[0-9a-f]{2})$/;

export interface Trace {
  /** What the caller (nginx) sent, when well-formed. */
  incoming?: string;
  traceId: string;
  /** This hop's span id: the parent id the backend sees. */
  spanId: string;
  /** Sent to the backend: same trace id, this hop as the parent. */
  outgoing: string;
}

/** Continue the caller's trace with a new span for this hop, or start a new trace. */
export function continueTrace(header: string | undefined): Trace {
  const match = header === undefined ? null : TRACEPARENT.exec(header);
  const traceId = match?.groups?.traceId ?? randomHex(16);
  const flags = match?.groups?.flags ?? '01';
  const spanId = randomHex(8);
  return {
    incoming: match ? header : undefined,
    traceId,
    spanId,
    outgoing: `00-${traceId}-${spanId}-${flags}`,
  };
}

/** Take nginx's X-Request-Id when it looks sane, else make one; echo it back. Same for traceparent. */
export function requestId(logger: Logger) {
  return (req: Request, res: Response, next: NextFunction) => {
    const incoming = req.get('x-request-id');
    req.id = incoming && VALID_REQUEST_ID.test(incoming) ? incoming : randomUUID();
    req.trace = continueTrace(req.get('traceparent'));
    req.log = logger.child({
      reqId: req.id,
      traceparent: req.trace.incoming,
      traceId: req.trace.traceId,
      spanId: req.trace.spanId,
    });
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
        deadline,
      }),
    };
    next();
  };
}
