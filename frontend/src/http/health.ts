import { Router } from 'express';
import type { Lifecycle } from '../lifecycle';
import type { Metrics } from '../metrics';
import { ROUTING } from './routing';

/** Every path the health router answers. */
export const HEALTH_PATHS = ['/healthz', '/livez', '/readyz', '/metrics'];

/**
 * /healthz and /livez: the process answers. /readyz: not draining. None of them asks the
 * backend: when it is down this service still answers, with its own 503 page, and a
 * backend outage must not take every frontend out of rotation too.
 */
export function healthRoutes(lifecycle: Lifecycle, metrics: Metrics): Router {
  const router = Router(ROUTING);
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
