import express, { type Express } from 'express';
import type { BackendClient } from './backend/client';
import type { Config } from './config';
import type { Assets } from './http/assets';
import { pageContext, requestId } from './http/context';
import { csrfProtection } from './http/csrf';
import { errorHandler } from './http/error-handler';
import { notFound } from './http/errors';
import { drain, observe } from './http/observe';
import { securityHeaders } from './http/security';
import type { Logger } from './logger';
import type { Metrics } from './metrics';
import { authRoutes } from './routes/auth';
import { homeRoutes } from './routes/home';
import { messageRoutes } from './routes/messages';
import { OPS_PATHS, opsRoutes, type Lifecycle } from './routes/ops';
import { orderRoutes } from './routes/orders';
import { userRoutes } from './routes/users';
import { createRenderer } from './views/render';

export interface AppDeps {
  config: Config;
  logger: Logger;
  metrics: Metrics;
  client: BackendClient;
  assets: Assets;
  lifecycle: Lifecycle;
}

/** Builds the express app from its dependencies; never listens, never reads process.env. */
export function createApp(deps: AppDeps): Express {
  const { config, metrics, client, assets, lifecycle } = deps;
  const secret = config.COOKIE_SECRET;
  const render = createRenderer(assets.href('app.css'));
  const app = express();
  app.set('trust proxy', 1);
  app.set('etag', false);
  app.disable('x-powered-by');

  app.use(requestId(deps.logger));
  app.use(observe(metrics));
  app.use(drain(lifecycle));
  app.use(securityHeaders());
  // Mounted on its own paths: page requests pass by without entering the router.
  app.get(OPS_PATHS, opsRoutes({ metrics, lifecycle }));
  app.use(assets.middleware);

  const forms = express.urlencoded({ extended: false, limit: '32kb', parameterLimit: 50 });
  // Only a POST carries a form; other methods skip the body parser altogether.
  app.use((req, res, next) => (req.method === 'POST' ? forms(req, res, next) : next()));
  app.use(
    pageContext({
      client,
      secret,
      idleSeconds: config.SESSION_IDLE_MINUTES * 60,
      pageDeadlineMs: config.PAGE_DEADLINE_MS,
    }),
  );
  app.use(csrfProtection(config.PUBLIC_ORIGINS));
  // One router for every page, in this order: a request is matched against one
  // flat list instead of entering a nested router per feature.
  const pages = express.Router();
  authRoutes(pages, { render, secret });
  homeRoutes(pages, { render });
  userRoutes(pages, { render, secret });
  messageRoutes(pages, { render });
  orderRoutes(pages, { render });
  app.use(pages);

  app.use(() => {
    throw notFound();
  });
  app.use(errorHandler({ render, secret }));
  return app;
}
