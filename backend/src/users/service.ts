import type { Actor, Role } from '../actor';
import type { Clock } from '../clock';
import { isUniqueViolation } from '../db/knex';
import { AppError, forbidden, notFound } from '../errors';
import { hashPassword } from './password';
import type { NewUser, UserRecord, UsersRepository } from './repository';

export const emailTaken = () =>
  new AppError('email_taken', 409, 'An account with this email already exists', [
    { field: 'email', message: 'An account with this email already exists' },
  ]);

const canManage = (actor: Actor, id: number) => actor.role === 'admin' || actor.id === id;

export function createUsersService(deps: { users: UsersRepository; clock: Clock }) {
  const { users, clock } = deps;

  async function create(
    input: Omit<NewUser, 'passwordHash'> & { password: string },
  ): Promise<UserRecord> {
    if (await users.findByEmail(input.email)) throw emailTaken();
    const passwordHash = await hashPassword(input.password);
    try {
      return await users.insert({ ...input, passwordHash }, clock());
    } catch (error) {
      // Two sign-ups with one address at once: the unique index decides.
      if (isUniqueViolation(error)) throw emailTaken();
      throw error;
    }
  }

  return {
    create,

    async createByAdmin(actor: Actor, input: Omit<NewUser, 'passwordHash'> & { password: string }) {
      if (actor.role !== 'admin') throw forbidden('Only admins create users');
      return create(input);
    },

    async list(page: number, pageSize: number) {
      const [items, total] = await Promise.all([
        users.list((page - 1) * pageSize, pageSize),
        users.count(),
      ]);
      return { items, page, pageSize, total, totalPages: Math.max(1, Math.ceil(total / pageSize)) };
    },

    async get(id: number): Promise<UserRecord> {
      const user = await users.findById(id);
      if (!user) throw notFound('User');
      return user;
    },

    async update(actor: Actor, id: number, changes: { name?: string; surname?: string }) {
      if (!canManage(actor, id)) throw forbidden('You can only edit your own profile');
      const user = await users.findById(id);
      if (!user) throw notFound('User');
      await users.update(id, changes, clock());
      return { ...user, ...changes };
    },

    /**
     * Their sessions, messages, conversations and keys go with them (the schema's
     * foreign keys cascade); their orders stay, unattributed.
     */
    async remove(actor: Actor, id: number): Promise<void> {
      if (!canManage(actor, id)) throw forbidden('Only admins can delete other users');
      if (!(await users.remove(id))) throw notFound('User');
    },

    /** The configured first admin: created when missing, promoted when present. */
    async ensureAdmin(
      email: string,
      password: string,
    ): Promise<'created' | 'promoted' | 'present'> {
      const existing = await users.findByEmail(email);
      if (!existing) {
        await create({ name: 'Admin', surname: 'User', email, password, role: 'admin' });
        return 'created';
      }
      if (existing.role === 'admin') return 'present';
      await users.update(existing.id, { role: 'admin' satisfies Role }, clock());
      return 'promoted';
    },
  };
}

export type UsersService = ReturnType<typeof createUsersService>;
