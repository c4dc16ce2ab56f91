import { randomUUID } from 'node:crypto';
import type { Request, RequestHandler, Response } from 'express';
import { AppError, unavailable } from '../errors';
import type { Lifecycle } from '../lifecycle';
import type { Logger } from '../logger';
import type { Metrics } from '../metrics';
import { sendProblem } from './error-handler';

const REQUEST_ID = /^[A-Za-z0-9._:-]{8,128}$/;
/** W3C trace context, version 00 shape; an all-zero trace or parent id is invalid. */
const TRACEPARENT = /^[0-9a-f]{2}-(?!0{32})[0-9a-f]{32}-(?!0{16})[0-9a-f]{16}-[0-9a-f]{2}$/;

/** The route template, never the raw URL: metrics stay bounded whatever clients send. */
function routeLabel(req: Request, res: Response): string {
  if (typeof res.locals.route === 'string') return res.locals.route;
  const path = (req.route as { path?: unknown } | undefined)?.path;
  return typeof path === 'string' ? `${req.baseUrl}${path}` : 'unmatched';
}

/** The caller's traceparent when well-formed, so one request can be followed across all logs. */
function traceparentOf(req: Request): string | undefined {
  const value = req.get('traceparent');
  return value && TRACEPARENT.test(value) && !value.startsWith('ff') ? value : undefined;
}

/** Request id and traceparent, one JSON log line per request, RED metrics by route template. */
export function observe(logger: Logger, metrics: Metrics, lifecycle: Lifecycle): RequestHandler {
  return (req, res, next) => {
    const incoming = req.get('x-request-id');
    req.id = incoming && REQUEST_ID.test(incoming) ? incoming : randomUUID();
    res.setHeader('X-Request-Id', req.id);
    const traceparent = traceparentOf(req);
    // While draining, tell keep-alive peers to reconnect elsewhere (docs/reliability.md, "Shutdown").
    if (lifecycle.draining) res.setHeader('Connection', 'close');
    const started = process.hrtime.bigint();
    res.on('finish', () => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const route = routeLabel(req, res);
      const labels = { method: req.method, route, status: String(res.statusCode) };
      metrics.httpRequests.inc(labels);
      metrics.httpDuration.observe(labels, seconds);
      const level = res.statusCode >= 500 ? 'error' : 'info';
      logger[level]({
        reqId: req.id,
        traceparent,
        method: req.method,
        route,
        url: req.originalUrl.split('?')[0],
        status: res.statusCode,
        ms: Math.round(seconds * 1000),
        userId: req.actor?.id,
      });
    });
    next();
  };
}

/**
 * Load shedding and a per-request deadline: fail fast with 503 rather than queue
 * (docs/reliability.md, "Overload").
 */
export function guard(options: { maxInFlight: number; timeoutMs: number }): RequestHandler {
  let inFlight = 0;
  return (req, res, next) => {
    if (inFlight >= options.maxInFlight)
      throw unavailable('The service is busy; try again shortly');
    inFlight++;
    const timer = setTimeout(() => {
      if (res.headersSent) return;
      sendProblem(res, unavailable('The request took too long; try again shortly'), req.id);
    }, options.timeoutMs);
    res.once('close', () => {
      inFlight--;
      clearTimeout(timer);
    });
    next();
  };
}

/** POST/PATCH bodies must be JSON; a body in any other type is refused before parsing. */
export const requireJson: RequestHandler = (req, _res, next) => {
  const hasBody =
    Number(req.get('content-length') ?? 0) > 0 || req.get('transfer-encoding') !== undefined;
  if (hasBody && !req.is('application/json')) {
    throw new AppError('unsupported_media_type', 415, 'Send the body as application/json');
  }
  next();
};
