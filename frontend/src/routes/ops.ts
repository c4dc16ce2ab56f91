import { Router } from 'express';
import type { Metrics } from '../metrics';

export interface Lifecycle {
  /** Set on SIGTERM: readiness fails and responses carry `Connection: close`. */
  draining: boolean;
}

/** Every path the ops router answers. */
export const OPS_PATHS = ['/healthz', '/livez', '/readyz', '/metrics'];

/** Probes and metrics: none of them touches the backend (the frontend serves the 503 page itself). */
export function opsRoutes({
  metrics,
  lifecycle,
}: {
  metrics: Metrics;
  lifecycle: Lifecycle;
}): Router {
  const router = Router();
  const noStore = { 'Cache-Control': 'no-store' };

  router.get(['/healthz', '/livez'], (_req, res) => {
    res.set(noStore).json({ status: 'ok' });
  });

  router.get('/readyz', (_req, res) => {
    if (lifecycle.draining) return res.status(503).set(noStore).json({ status: 'draining' });
    res.set(noStore).json({ status: 'ready' });
  });

  router.get('/metrics', async (_req, res) => {
    const body = await metrics.registry.metrics();
    res.set(noStore).type(metrics.registry.contentType).send(body);
  });

  return router;
}
