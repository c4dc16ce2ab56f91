import express from 'express';
import swaggerUi from 'swagger-ui-express';
import { authRoutes } from './auth/routes';
import type { Clock } from './clock';
import type { Db } from './db/knex';
import { errorHandler, notFoundRoute } from './http/error-handler';
import { HEALTH_PATHS, healthRoutes } from './http/health';
import { guard, observe, requireJson } from './http/middleware';
import { buildDocument, createRegistry } from './http/openapi';
import { createRouter } from './http/route';
import './http/types';
import type { Lifecycle } from './lifecycle';
import type { Logger } from './logger';
import { messagesRoutes } from './messages/routes';
import type { Metrics } from './metrics';
import { ordersRoutes } from './orders/routes';
import type { Services } from './services';
import { usersRoutes } from './users/routes';

export interface AppDeps {
  db: Db;
  logger: Logger;
  metrics: Metrics;
  lifecycle: Lifecycle;
  clock: Clock;
  services: Services;
  limits: { maxInFlight: number; requestTimeoutMs: number };
  /** Express's `trust proxy` (config TRUST_PROXY). */
  trustProxy: string;
}

/** Builds the express app from its dependencies; never listens, never reads the environment. */
export function createApp(deps: AppDeps): express.Express {
  const { services } = deps;
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.set('query parser', 'simple');
  // One spelling per path: /api/v1/auth/login/ and /API/V1/AUTH/LOGIN are not the
  // login route. Set before the first route, when express builds its router.
  app.set('case sensitive routing', true);
  app.set('strict routing', true);
  app.set('trust proxy', deps.trustProxy);

  app.use(observe(deps.logger, deps.metrics, deps.lifecycle));
  // Mounted on its own paths: other requests pass by without entering the router.
  app.get(HEALTH_PATHS, healthRoutes(deps.db, deps.lifecycle, deps.metrics));

  const registry = createRegistry();
  // One router for the whole API: its guards first, then every route in a flat list.
  const { router: api, route } = createRouter(registry, services.authenticator.callerOf);
  api.use(guard({ maxInFlight: deps.limits.maxInFlight, timeoutMs: deps.limits.requestTimeoutMs }));
  api.use(requireJson);
  api.use(express.json({ limit: '64kb', strict: true, type: 'application/json' }));
  authRoutes(route, services.auth);
  usersRoutes(route, services.users);
  messagesRoutes(route, services.messages);
  ordersRoutes(route, services.orders, deps.clock);
  app.use('/api/v1', api);

  const document = buildDocument(registry);
  app.get('/openapi.json', (_req, res) => {
    res.json(document);
  });
  app.use(
    '/docs',
    swaggerUi.serve,
    swaggerUi.setup(document, { customSiteTitle: 'Tradepost API' }),
  );

  app.use(notFoundRoute);
  app.use(errorHandler(deps.logger));
  return app;
}
