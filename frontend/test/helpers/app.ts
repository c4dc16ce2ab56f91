import type { Express } from 'express';
import request from 'supertest';
import { createApp } from '../../src/app';
import { createBackendClient, type BackendClient } from '../../src/backend/client';
import { loadConfig, type Config } from '../../src/config';
import { loadAssets } from '../../src/http/assets';
import { createLogger } from '../../src/logger';
import { createMetrics, type Metrics } from '../../src/metrics';
import { createLifecycle, type Lifecycle } from '../../src/lifecycle';

export interface TestFrontend {
  app: Express;
  config: Config;
  metrics: Metrics;
  client: BackendClient;
  lifecycle: Lifecycle;
}

/** The real app from its composition pieces, against whatever BACKEND_URL says. */
export function buildFrontend(env: Record<string, string>): TestFrontend {
  const config = loadConfig({
    LOG_LEVEL: 'silent',
    COOKIE_SECRET: 'test-secret-that-is-long-enough-0123456789',
    ...env,
  });
  const metrics = createMetrics();
  const client = createBackendClient({ ...config.backend, metrics });
  const lifecycle = createLifecycle();
  const app = createApp({
    config,
    logger: createLogger('silent'),
    metrics,
    client,
    assets: loadAssets(),
    lifecycle,
  });
  return { app, config, metrics, client, lifecycle };
}

/** A browser-like visitor: keeps cookies, reads the CSRF token from the last form. */
export function visitor(app: Express) {
  const agent = request.agent(app);
  let csrf = '';
  const remember = (html: string) => {
    const match = /name="_csrf" value="([^"]+)"/.exec(html);
    if (match?.[1]) csrf = match[1];
  };
  return {
    agent,
    get csrf() {
      return csrf;
    },
    async get(path: string) {
      const res = await agent.get(path);
      remember(res.text ?? '');
      return res;
    },
    /** Submit a form the way a browser does (same origin, token included). */
    async post(path: string, fields: Record<string, string> = {}) {
      const res = await agent
        .post(path)
        .type('form')
        .set('Sec-Fetch-Site', 'same-origin')
        .send({ _csrf: csrf, ...fields });
      remember(res.text ?? '');
      return res;
    },
  };
}

export function cookieHeader(res: { headers: Record<string, unknown> }): string[] {
  const raw = res.headers['set-cookie'];
  return Array.isArray(raw) ? (raw as string[]) : typeof raw === 'string' ? [raw] : [];
}
