import type { Actor } from '../actor';

declare global {
  // Express's request type is extended by declaration merging; a namespace is the only way.
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface Request {
      /** X-Request-Id: the caller's when it looks valid, else a fresh UUID. */
      id: string;
      /** The checked user, once the router has checked the session (for the log line). */
      actor?: Actor;
    }
  }
}
