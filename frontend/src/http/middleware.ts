import { randomUUID } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import type { Lifecycle } from '../lifecycle';
import type { Logger } from '../logger';
import type { Metrics } from '../metrics';
import { randomHex } from './random';
import type { Trace } from './types';

const REQUEST_ID = /^[A-Za-z0-9._:-]{8,128}$/;
/** W3C trace context, version 00 shape; an all-zero trace or parent id is invalid. */
const TRACEPARENT =
  /^(?!ff)[0-9a-f]{2}-(?<traceId>(?!0{32})[0-9a-f]{32})-(?!0{16})[0-9a-f]{16}-(?<flags>[0-9a-f]{2})$/;

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

/** The route template, never the raw URL: metrics stay bounded whatever clients send. */
function routeLabel(req: Request, res: Response): string {
  const route = req.route as { path?: unknown } | undefined;
  if (route && (typeof route.path === 'string' || Array.isArray(route.path))) {
    const path = Array.isArray(route.path) ? route.path.join('|') : route.path;
    return `${req.baseUrl}${path}`;
  }
  return typeof res.locals.route === 'string' ? res.locals.route : 'unmatched';
}

/**
 * Request id and trace context (nginx's when they look sane), a logger bound to them,
 * one access log line and RED metrics by route template per request.
 */
export function observe(logger: Logger, metrics: Metrics, lifecycle: Lifecycle) {
  return (req: Request, res: Response, next: NextFunction) => {
    const started = process.hrtime.bigint();
    const incoming = req.get('x-request-id');
    req.id = incoming && REQUEST_ID.test(incoming) ? incoming : randomUUID();
    req.trace = continueTrace(req.get('traceparent'));
    req.log = logger.child({
      reqId: req.id,
      traceparent: req.trace.incoming,
      traceId: req.trace.traceId,
      spanId: req.trace.spanId,
    });
    res.setHeader('X-Request-Id', req.id);
    // While draining, tell keep-alive peers to reconnect elsewhere (docs/reliability.md, "Shutdown").
    if (lifecycle.draining) res.setHeader('Connection', 'close');
    res.once('finish', () => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const labels = {
        method: req.method,
        route: routeLabel(req, res),
        status: String(res.statusCode),
      };
      metrics.httpRequests.inc(labels);
      metrics.httpDuration.observe(labels, seconds);
      req.log.info(
        {
          method: req.method,
          route: labels.route,
          status: res.statusCode,
          ms: Math.round(seconds * 1e4) / 10,
        },
        'request',
      );
    });
    next();
  };
}
