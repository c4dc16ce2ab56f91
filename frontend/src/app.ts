import express, { type Express } from 'express';
import { authRoutes } from './auth/routes';
import type { BackendClient } from './backend/client';
import type { Config } from './config';
import { notFound } from './errors';
import { homeRoutes } from './home/routes';
import type { Assets } from './http/assets';
import { pageContext } from './http/context';
import { csrfProtection } from './http/csrf';
import { errorHandler } from './http/error-handler';
import { HEALTH_PATHS, healthRoutes } from './http/health';
import { observe } from './http/middleware';
import { createRenderer } from './http/render';
import { ROUTING } from './http/routing';
import { securityHeaders } from './http/security';
import type { Lifecycle } from './lifecycle';
import type { Logger } from './logger';
import { messagesRoutes } from './messages/routes';
import type { Metrics } from './metrics';
import { ordersRoutes } from './orders/routes';
import { usersRoutes } from './users/routes';

export interface AppDeps {
  config: Config;
  logger: Logger;
  metrics: Metrics;
  lifecycle: Lifecycle;
  client: BackendClient;
  assets: Assets;
}

/** Builds the express app from its dependencies; never listens, never reads the environment. */
export function createApp(deps: AppDeps): Express {
  const { config, client, assets } = deps;
  const secret = config.cookieSecret;
  const render = createRenderer(assets.href('app.css'));
  const app = express();
  app.set('trust proxy', 1);
  // One spelling per path: /login/ and /LOGIN are not /login (nginx's limits and blocks
  // match exact paths). Set before the first route, when express builds its router.
  app.set('case sensitive routing', true);
  app.set('strict routing', true);
  app.set('etag', false);
  app.disable('x-powered-by');

  app.use(observe(deps.logger, deps.metrics, deps.lifecycle));
  app.use(securityHeaders());
  // Mounted on its own paths: page requests pass by without entering the router.
  app.get(HEALTH_PATHS, healthRoutes(deps.lifecycle, deps.metrics));
  app.use(assets.middleware);

  const forms = express.urlencoded({ extended: false, limit: '32kb', parameterLimit: 50 });
  // Only a POST carries a form; other methods skip the body parser altogether.
  app.use((req, res, next) => (req.method === 'POST' ? forms(req, res, next) : next()));
  app.use(
    pageContext({
      client,
      secret,
      idleSeconds: config.sessionIdleMinutes * 60,
      pageDeadlineMs: config.pageDeadlineMs,
    }),
  );
  app.use(csrfProtection(config.publicOrigins));
  // One router for every page, in this order: a request is matched against one
  // flat list instead of entering a nested router per feature.
  const pages = express.Router(ROUTING);
  authRoutes(pages, { render, secret });
  homeRoutes(pages, { render });
  usersRoutes(pages, { render, secret });
  messagesRoutes(pages, { render });
  ordersRoutes(pages, { render });
  app.use(pages);

  app.use(() => {
    throw notFound();
  });
  app.use(errorHandler({ render, secret }));
  return app;
}
