import type { Api } from '../backend/api';
import type { Logger } from '../logger';
import type { SessionData } from './session';

/** What every page route knows about its request (set by http/context.ts). */
export interface RequestContext {
  secure: boolean;
  deadline: number;
  session: SessionData;
  csrfToken: string;
  flash?: string;
  api: Api;
}

/** W3C trace context for one request (made by http/middleware.ts). */
export interface Trace {
  /** What the caller (nginx) sent, when well-formed. */
  incoming?: string;
  traceId: string;
  /** This hop's span id: the parent id the backend sees. */
  spanId: string;
  /** Sent to the backend: same trace id, this hop as the parent. */
  outgoing: string;
}

declare module 'express-serve-static-core' {
  interface Request {
    /** X-Request-Id: the caller's when it looks valid, else a fresh UUID. */
    id: string;
    /** The request's logger: every line carries its ids. */
    log: Logger;
    /** W3C trace context: the incoming traceparent and the one this service sends on. */
    trace: Trace;
    /** Set for page routes (not for /healthz, /metrics or assets). */
    ctx: RequestContext;
  }
}
