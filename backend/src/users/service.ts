import { createHash, randomBytes } from 'node:crypto';
import type { Actor, Role } from '../actor';
import type { Clock } from '../clock';
import { type Db, isUniqueViolation } from '../db/knex';
import { AppError, forbidden, notFound } from '../errors';
import type { InvitationsRepository } from './invitations';
import { hashPassword } from './password';
import type { NewUser, UserRecord, UsersRepository } from './repository';

/** An invitation link works for seven days, once. */
export const INVITATION_TTL_MS = 7 * 24 * 60 * 60 * 1000;

/** 256 random bits, URL-safe; stored only as its SHA-256, like session tokens. */
const newSecretToken = () => randomBytes(32).toString('base64url');
export const hashSecretToken = (token: string) => createHash('sha256').update(token).digest('hex');

const invitationGone = () =>
  new AppError('not_found', 404, 'This invitation does not exist, has expired or was used');

export const emailTaken = () =>
  new AppError('email_taken', 409, 'An account with this email already exists', [
    { field: 'email', message: 'An account with this email already exists' },
  ]);

const canManage = (actor: Actor, id: number) => actor.role === 'admin' || actor.id === id;

export function createUsersService(deps: {
  db: Db;
  users: UsersRepository;
  invitations: InvitationsRepository;
  clock: Clock;
}) {
  const { users, invitations, clock } = deps;

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

    /**
     * A single-use link for one address (admins only). The token is returned once,
     * here, and kept only as its hash.
     */
    async invite(actor: Actor, input: { email: string; role: Role }) {
      if (actor.role !== 'admin') throw forbidden('Only admins invite people');
      if (await users.findByEmail(input.email)) throw emailTaken();
      const token = newSecretToken();
      const now = clock();
      const invitation = await invitations.insert(
        {
          email: input.email,
          role: input.role,
          invitedBy: actor.id,
          tokenHash: hashSecretToken(token),
        },
        now,
        now + INVITATION_TTL_MS,
      );
      return { invitation, token };
    },

    /** The invitation behind a token, while it is unused and unexpired; else 404. */
    async invitationFor(token: string) {
      const found = await invitations.findUsable(hashSecretToken(token), clock());
      if (!found) throw invitationGone();
      return found;
    },

    /**
     * The account an invitation promised: the invitation is consumed and the account
     * made in one transaction, and the consuming UPDATE only changes an unused,
     * unexpired row, so a token makes at most one account however often it is sent.
     */
    async acceptInvitation(input: {
      token: string;
      name: string;
      surname: string;
      password: string;
    }): Promise<UserRecord> {
      const tokenHash = hashSecretToken(input.token);
      if (!(await invitations.findUsable(tokenHash, clock()))) throw invitationGone();
      const passwordHash = await hashPassword(input.password);
      try {
        return await deps.db.transaction(async (trx) => {
          const now = clock();
          const invitation = await invitations.findUsable(tokenHash, now, trx);
          if (!invitation || !(await invitations.consume(invitation.id, now, trx)))
            throw invitationGone();
          return users.insert(
            {
              name: input.name,
              surname: input.surname,
              email: invitation.email,
              role: invitation.role,
              passwordHash,
            },
            now,
            trx,
          );
        });
      } catch (error) {
        if (isUniqueViolation(error)) throw emailTaken();
        throw error;
      }
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
  };
}

export type UsersService = ReturnType<typeof createUsersService>;
