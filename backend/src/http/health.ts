import { Router } from 'express';
import type { Db } from '../db/knex';
import { isSchemaCurrent } from '../db/migrate';
import type { Lifecycle } from '../lifecycle';
import type { Metrics } from '../metrics';
import { ROUTING } from './routing';

const PING_TIMEOUT_MS = 500;

/** Every path the health router answers. */
export const HEALTH_PATHS = ['/healthz', '/readyz', '/metrics'];

/**
 * /healthz: the process answers (no dependencies, so a database blip never restarts pods).
 * /readyz: not draining, the database answers within 500 ms, and the schema is current.
 */
export function healthRoutes(db: Db, lifecycle: Lifecycle, metrics: Metrics): Router {
  const router = Router(ROUTING);
  let schemaCurrent = false;

  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });

  router.get('/readyz', async (_req, res) => {
    const fail = (reason: string) =>
      res.status(503).set('Retry-After', '1').json({ status: 'unavailable', reason });
    if (lifecycle.draining) return fail('draining');
    try {
      await db.raw('select 1').timeout(PING_TIMEOUT_MS);
    } catch {
      return fail('database unreachable');
    }
    try {
      schemaCurrent ||= await isSchemaCurrent(db);
    } catch {
      schemaCurrent = false;
    }
    if (!schemaCurrent) return fail('schema not migrated');
    return res.json({ status: 'ok' });
  });

  router.get('/metrics', async (_req, res) => {
    res.type(metrics.registry.contentType).send(await metrics.registry.metrics());
  });

  return router;
}
