import type { Role } from '../actor';
import type { Executor } from '../db/knex';

const TABLE = 'users';

interface Row {
  id: number;
  name: string;
  surname: string;
  email: string;
  email_normalized: string;
  password_hash: string;
  role: string;
  bootstrap_admin: number | boolean;
  must_change_password: number | boolean;
  created_at: number | string;
  updated_at: number | string;
}

export interface UserRecord {
  id: number;
  name: string;
  surname: string;
  email: string;
  role: Role;
  passwordHash: string;
  createdAt: number;
  /** Made by the ADMIN_EMAIL/ADMIN_PASSWORD bootstrap or `admin:create`. */
  bootstrapAdmin: boolean;
  /** Signed in with a temporary password: may only change it. */
  mustChangePassword: boolean;
}

export interface NewUser {
  name: string;
  surname: string;
  email: string;
  passwordHash: string;
  role: Role;
  bootstrapAdmin?: boolean;
  mustChangePassword?: boolean;
}

export const normalizeEmail = (email: string) => email.trim().toLowerCase();

function toUser(row: Row): UserRecord {
  return {
    id: row.id,
    name: row.name,
    surname: row.surname,
    email: row.email,
    role: row.role === 'admin' ? 'admin' : 'member',
    passwordHash: row.password_hash,
    createdAt: Number(row.created_at),
    bootstrapAdmin: Boolean(row.bootstrap_admin),
    mustChangePassword: Boolean(row.must_change_password),
  };
}

export function createUsersRepository(db: Executor) {
  return {
    async insert(user: NewUser, now: number, trx: Executor = db): Promise<UserRecord> {
      const [id] = await trx(TABLE).insert({
        name: user.name,
        surname: user.surname,
        email: user.email.trim(),
        email_normalized: normalizeEmail(user.email),
        password_hash: user.passwordHash,
        role: user.role,
        bootstrap_admin: user.bootstrapAdmin ?? false,
        must_change_password: user.mustChangePassword ?? false,
        created_at: now,
        updated_at: now,
      });
      return {
        id: Number(id),
        ...user,
        email: user.email.trim(),
        createdAt: now,
        bootstrapAdmin: user.bootstrapAdmin ?? false,
        mustChangePassword: user.mustChangePassword ?? false,
      };
    },

    async findById(id: number, trx: Executor = db): Promise<UserRecord | null> {
      const row = await trx<Row>(TABLE).where({ id }).first();
      return row ? toUser(row) : null;
    },

    async findByEmail(email: string, trx: Executor = db): Promise<UserRecord | null> {
      const row = await trx<Row>(TABLE)
        .where({ email_normalized: normalizeEmail(email) })
        .first();
      return row ? toUser(row) : null;
    },

    /** The account the admin bootstrap made, if it still exists. */
    async findBootstrapAdmin(trx: Executor = db): Promise<UserRecord | null> {
      const row = await trx<Row>(TABLE).where({ bootstrap_admin: true }).orderBy('id').first();
      return row ? toUser(row) : null;
    },

    async hasAdmin(trx: Executor = db): Promise<boolean> {
      return (await trx(TABLE).where({ role: 'admin' }).first('id')) !== undefined;
    },

    async list(offset: number, limit: number, trx: Executor = db): Promise<UserRecord[]> {
      const rows = await trx<Row>(TABLE).orderBy('id', 'asc').offset(offset).limit(limit);
      return rows.map(toUser);
    },

    async count(trx: Executor = db): Promise<number> {
      const row = (await trx(TABLE).count({ n: '*' }).first()) as
        { n: number | string } | undefined;
      return Number(row?.n ?? 0);
    },

    async update(
      id: number,
      changes: {
        name?: string;
        surname?: string;
        role?: Role;
        passwordHash?: string;
        mustChangePassword?: boolean;
      },
      now: number,
      trx: Executor = db,
    ): Promise<void> {
      await trx(TABLE)
        .where({ id })
        .update({
          ...(changes.name !== undefined ? { name: changes.name } : {}),
          ...(changes.surname !== undefined ? { surname: changes.surname } : {}),
          ...(changes.role !== undefined ? { role: changes.role } : {}),
          ...(changes.passwordHash !== undefined ? { password_hash: changes.passwordHash } : {}),
          ...(changes.mustChangePassword !== undefined
            ? { must_change_password: changes.mustChangePassword }
            : {}),
          updated_at: now,
        });
    },

    async remove(id: number, trx: Executor = db): Promise<boolean> {
      return (await trx(TABLE).where({ id }).delete()) > 0;
    },
  };
}

export type UsersRepository = ReturnType<typeof createUsersRepository>;
