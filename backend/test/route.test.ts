import express from 'express';
import request from 'supertest';
import { z } from 'zod';
import { createSessionAuthenticator } from '../src/auth/session';
import type { SessionsRepository, SessionWithUser } from '../src/auth/repository';
import { createRegistry } from '../src/http/openapi';
import { createRouter } from '../src/http/route';
import { errorHandler } from '../src/http/middleware';
import { createLogger } from '../src/logger';
import '../src/http/types';

const NOW = Date.UTC(2026, 0, 10, 12);
const TOKEN = 'a'.repeat(43);
const session: SessionWithUser = {
  id: 1,
  userId: 7,
  lastSeenAt: NOW,
  expiresAt: NOW + 3_600_000,
  user: {
    id: 7,
    name: 'Ada',
    surname: 'Lovelace',
    email: 'ada@example.com',
    role: 'member',
    createdAt: NOW,
  },
};

/** An app with one session-in-read route whose handler is `run`, over a fake session store. */
function appWith(run: Parameters<ReturnType<typeof createRouter>['routeWithSessionInRead']>[1]) {
  const sessions = {
    findByTokenHash: () => Promise.resolve(session),
    touch: () => Promise.resolve(),
    remove: () => Promise.resolve(),
  } as unknown as SessionsRepository;
  const authenticator = createSessionAuthenticator({ sessions, clock: () => NOW });
  const { router, routeWithSessionInRead } = createRouter(createRegistry(), authenticator);
  routeWithSessionInRead(
    {
      method: 'get',
      path: '/things',
      tag: 'test',
      summary: 'test',
      query: z.object({ n: z.coerce.number().int().min(1).optional() }),
      success: { status: 200, description: 'things' },
    },
    run,
  );
  const app = express();
  app.use((req, _res, next) => {
    req.id = 'test-request';
    next();
  });
  app.use('/api/v1', router);
  app.use(errorHandler(createLogger('silent', 'test')));
  return app;
}

describe('routes that read the session in their own statement', () => {
  it('when the handler checks the session, then its reply is sent', async () => {
    const app = appWith(async ({ accept }) => {
      const actor = await accept(session);
      return { status: 200, body: { secret: 'data', for: actor.id } };
    });
    const res = await request(app).get('/api/v1/things').set('Authorization', `Bearer ${TOKEN}`);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ secret: 'data', for: 7 });
  });

  it('when a handler forgets to check the session, then 500 and none of its data', async () => {
    const app = appWith(() => Promise.resolve({ status: 200, body: { secret: 'data' } }));
    const res = await request(app).get('/api/v1/things').set('Authorization', `Bearer ${TOKEN}`);
    expect(res.status).toBe(500);
    expect(res.body.secret).toBeUndefined();
  });

  it('when the session is refused, then 401 whatever the handler would have said', async () => {
    const app = appWith(async ({ accept }) => {
      await accept(null);
      return { status: 200, body: { secret: 'data' } };
    });
    const res = await request(app).get('/api/v1/things').set('Authorization', `Bearer ${TOKEN}`);
    expect(res.status).toBe(401);
    expect(res.body.secret).toBeUndefined();
    expect((await request(app).get('/api/v1/things')).status).toBe(401);
  });
});
