import express from 'express';
import request from 'supertest';
import { z } from 'zod';
import type { Actor, Caller } from '../src/actor';
import { AppError } from '../src/errors';
import { errorHandler } from '../src/http/error-handler';
import { createRegistry } from '../src/http/openapi';
import { createRouter, type DefineRoute } from '../src/http/route';
import '../src/http/types';
import { createLogger } from '../src/logger';

const GOOD = 'good-token-0123456789abcdef';
const ADA: Actor = {
  id: 7,
  name: 'Ada',
  surname: 'Lovelace',
  email: 'ada@example.com',
  role: 'member',
  createdAt: 0,
  mustChangePassword: false,
  sessionId: 1,
};

/**
 * An app whose one route is declared by `declare`, over a fake session store: the
 * token GOOD is Ada's, any other token is refused. `lookups` counts the sessions looked up.
 */
function appWith(declare: (route: DefineRoute) => void) {
  const seen = { lookups: 0 };
  const callerOf = (authorization: string | undefined): Caller => {
    const token = /^Bearer (\S+)$/.exec(authorization ?? '')?.[1];
    if (!token) throw new AppError('unauthenticated', 401, 'no token');
    let checked: Promise<Actor> | undefined;
    return {
      actor: () =>
        (checked ??= new Promise<Actor>((resolve, reject) => {
          seen.lookups += 1;
          if (token === GOOD) resolve(ADA);
          else reject(new AppError('unauthenticated', 401, 'no such session'));
        })),
    };
  };
  const { router, route } = createRouter(createRegistry(), callerOf);
  declare(route);
  const app = express();
  app.use((req, _res, next) => {
    req.id = 'test-request';
    next();
  });
  app.use(express.json());
  app.use('/api/v1', router);
  app.use(errorHandler(createLogger('silent', 'test')));
  return { app, seen };
}

const spec = (method: 'get' | 'post') => ({
  method,
  path: '/things',
  tag: 'test',
  summary: 'test',
  query: z.object({ n: z.coerce.number().int().min(1).optional() }),
  success: { status: 200, description: 'things' },
});

describe('the router and the session', () => {
  it('when a GET handler never asks for the session, then the router checks it before answering', async () => {
    const { app, seen } = appWith((route) =>
      route(spec('get'), () => Promise.resolve({ status: 200, body: { secret: 'data' } })),
    );
    const ok = await request(app).get('/api/v1/things').set('Authorization', `Bearer ${GOOD}`);
    expect(ok.status).toBe(200);
    expect(ok.body).toEqual({ secret: 'data' });
    expect(seen.lookups).toBe(1);
    const refused = await request(app).get('/api/v1/things').set('Authorization', 'Bearer other');
    expect(refused.status).toBe(401);
    expect(refused.body.secret).toBeUndefined();
    expect((await request(app).get('/api/v1/things')).status).toBe(401);
  });

  it('when a read has already checked the session, then the router does not look it up again', async () => {
    const { app, seen } = appWith((route) =>
      route(spec('get'), async ({ caller }) => {
        const actor = await caller.actor();
        return { status: 200, body: { for: actor.id } };
      }),
    );
    const res = await request(app).get('/api/v1/things').set('Authorization', `Bearer ${GOOD}`);
    expect(res.body).toEqual({ for: 7 });
    expect(seen.lookups).toBe(1);
  });

  it('when a GET handler fails and the session is bad, then 401 rather than the failure', async () => {
    const { app } = appWith((route) =>
      route(spec('get'), () => Promise.reject(new AppError('not_found', 404, 'no such thing'))),
    );
    const anonymous = await request(app).get('/api/v1/things').set('Authorization', 'Bearer x1');
    expect(anonymous.status).toBe(401);
    const signedIn = await request(app)
      .get('/api/v1/things')
      .set('Authorization', `Bearer ${GOOD}`);
    expect(signedIn.status).toBe(404);
  });

  it('when the query is invalid, then 401 without a good session and 400 with one', async () => {
    const { app } = appWith((route) =>
      route(spec('get'), () => Promise.resolve({ status: 200, body: {} })),
    );
    const bad = (token: string) =>
      request(app).get('/api/v1/things?n=0').set('Authorization', `Bearer ${token}`);
    expect((await bad('other')).status).toBe(401);
    expect((await bad(GOOD)).status).toBe(400);
  });

  it('when a write comes with a bad session, then its handler never runs', async () => {
    let ran = 0;
    const { app } = appWith((route) =>
      route(spec('post'), () => {
        ran += 1;
        return Promise.resolve({ status: 200, body: {} });
      }),
    );
    const refused = await request(app).post('/api/v1/things').set('Authorization', 'Bearer other');
    expect(refused.status).toBe(401);
    expect(ran).toBe(0);
    const ok = await request(app).post('/api/v1/things').set('Authorization', `Bearer ${GOOD}`);
    expect(ok.status).toBe(200);
    expect(ran).toBe(1);
  });
});
