import type { Logger } from '../logger';
import type { RequestContext } from './context';
import type { Trace } from './middleware';

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
