import type { Clock } from '../clock';
import { type Db, isUniqueViolation } from '../db/knex';
import { hashPassword, verifyPassword } from '../users/password';
import type { UsersRepository } from '../users/repository';
import type { SessionsRepository } from './repository';

export type BootstrapOutcome =
  /** No admin existed: the configured account was made, and recorded as the bootstrap admin. */
  | 'created'
  /** The bootstrap admin exists and already has the configured password. */
  | 'present'
  /** The configured password changed: the bootstrap admin's was reset and its sessions ended. */
  | 'rotated'
  /** Another admin exists; the configuration is not needed and nothing is done. */
  | 'admin_exists'
  /** No admin, but the address belongs to an existing account: it is never promoted. */
  | 'refused_existing_account';

/**
 * The first admin, without ever taking over an account: an admin is created only when
 * no admin exists and the address is free. Once made, the account is recorded as the
 * bootstrap admin, and a changed ADMIN_PASSWORD resets that account's password (and
 * ends its sessions) at the next start, so a leaked password can be rotated away.
 */
export function createBootstrap(deps: {
  db: Db;
  users: UsersRepository;
  sessions: SessionsRepository;
  clock: Clock;
}) {
  const { users, clock } = deps;

  async function create(
    email: string,
    password: string,
  ): Promise<'created' | 'admin_exists' | 'refused_existing_account'> {
    const passwordHash = await hashPassword(password);
    try {
      return await deps.db.transaction(async (trx) => {
        if (await users.hasAdmin(trx)) return 'admin_exists';
        if (await users.findByEmail(email, trx)) return 'refused_existing_account';
        await users.insert(
          {
            name: 'Admin',
            surname: 'User',
            email,
            passwordHash,
            role: 'admin',
            bootstrapAdmin: true,
          },
          clock(),
          trx,
        );
        return 'created';
      });
    } catch (error) {
      // Two replicas starting at once: the unique address lets one of them make it.
      if (isUniqueViolation(error)) return 'admin_exists';
      throw error;
    }
  }

  return {
    /** The admin from ADMIN_EMAIL/ADMIN_PASSWORD, at every start. */
    async ensure(email: string, password: string): Promise<BootstrapOutcome> {
      const bootstrap = await users.findBootstrapAdmin();
      if (bootstrap) {
        if (await verifyPassword(bootstrap.passwordHash, password)) return 'present';
        await users.update(
          bootstrap.id,
          { passwordHash: await hashPassword(password), mustChangePassword: false },
          clock(),
        );
        await deps.sessions.removeAllOf(bootstrap.id);
        return 'rotated';
      }
      return create(email, password);
    },

    /** `npm run admin:create`: the first admin, only while there is none. */
    create,
  };
}

export type Bootstrap = ReturnType<typeof createBootstrap>;
