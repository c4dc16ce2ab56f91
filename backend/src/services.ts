import type { Clock } from './clock';
import type { Db } from './db/knex';
import type { Metrics } from './metrics';
import { createSessionsRepository, createThrottleRepository } from './auth/repository';
import { createAuthService } from './auth/service';
import { createSessionAuthenticator } from './auth/session';
import { createIdempotencyRepository } from './idempotency/repository';
import { createIdempotency } from './idempotency/service';
import { createMessagesRepository } from './messages/repository';
import { createMessagesService } from './messages/service';
import { createOrdersRepository } from './orders/repository';
import { createOrdersService } from './orders/service';
import { createUsersRepository } from './users/repository';
import { createUsersService } from './users/service';

/** The composition root's middle step: repositories over the database, services over them. */
export function createServices(db: Db, clock: Clock, metrics: Metrics) {
  const users = createUsersRepository(db);
  const sessions = createSessionsRepository(db);
  const idempotency = createIdempotency({ db, keys: createIdempotencyRepository(db), clock });
  const usersService = createUsersService({ users, clock });
  const auth = createAuthService({
    db,
    users,
    usersService,
    sessions,
    throttle: createThrottleRepository(db),
    clock,
    onLoginFailed: () => metrics.loginFailures.inc(),
    onSignup: () => metrics.signups.inc(),
  });
  return {
    authenticator: createSessionAuthenticator({ sessions, clock }),
    auth,
    users: usersService,
    messages: createMessagesService({
      db,
      messages: createMessagesRepository(db),
      users,
      idempotency,
      clock,
      onSent: () => metrics.messagesSent.inc(),
    }),
    orders: createOrdersService({
      db,
      orders: createOrdersRepository(db),
      idempotency,
      clock,
      onCreated: () => metrics.ordersCreated.inc(),
    }),
  };
}

export type Services = ReturnType<typeof createServices>;
