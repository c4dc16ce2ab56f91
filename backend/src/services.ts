import type { Clock } from './clock';
import type { SignupPolicy } from './config';
import type { Db } from './db/knex';
import type { Metrics } from './metrics';
import { createBootstrap } from './auth/bootstrap';
import { createHousekeeping } from './auth/housekeeping';
import { createSessionsRepository, createThrottleRepository } from './auth/repository';
import { createAuthService } from './auth/service';
import { createSessionAuthenticator } from './auth/session';
import { createIdempotencyRepository } from './idempotency/repository';
import { createIdempotency } from './idempotency/service';
import { createMessagesRepository } from './messages/repository';
import { createMessagesService } from './messages/service';
import { createOrdersRepository } from './orders/repository';
import { createOrdersService } from './orders/service';
import { createInvitationsRepository } from './users/invitations';
import { createUsersRepository } from './users/repository';
import { createUsersService } from './users/service';

/** The composition root's middle step: repositories over the database, services over them. */
export function createServices(
  db: Db,
  clock: Clock,
  metrics: Metrics,
  options: { signup: SignupPolicy },
) {
  const users = createUsersRepository(db);
  const sessions = createSessionsRepository(db);
  const idempotency = createIdempotency({ db, keys: createIdempotencyRepository(db), clock });
  const usersService = createUsersService({
    db,
    users,
    invitations: createInvitationsRepository(db),
    clock,
  });
  const auth = createAuthService({
    db,
    users,
    usersService,
    sessions,
    throttle: createThrottleRepository(db),
    clock,
    signup: options.signup,
    onLoginFailed: () => metrics.loginFailures.inc(),
    onSignup: () => metrics.signups.inc(),
  });
  return {
    bootstrap: createBootstrap({ db, users, sessions, clock }),
    housekeeping: createHousekeeping({ db, clock }),
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
