import type { NextFunction, Request, Response } from 'express';
import type { Metrics } from '../metrics';
import type { Lifecycle } from '../routes/ops';

function routeLabel(req: Request, res: Response): string {
  const route = req.route as { path?: unknown } | undefined;
  if (route && (typeof route.path === 'string' || Array.isArray(route.path))) {
    const path = Array.isArray(route.path) ? route.path.join('|') : route.path;
    return `${req.baseUrl}${path}`;
  }
  return typeof res.locals.route === 'string' ? res.locals.route : 'unmatched';
}

/** Metrics by route template (never the raw URL: bounded label values) and one access log line. */
export function observe(metrics: Metrics) {
  return (req: Request, res: Response, next: NextFunction) => {
    const started = process.hrtime.bigint();
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

/** While draining, every response tells the peer to drop its keep-alive connection. */
export function drain(lifecycle: Lifecycle) {
  return (_req: Request, res: Response, next: NextFunction) => {
    if (lifecycle.draining) res.setHeader('Connection', 'close');
    next();
  };
}
