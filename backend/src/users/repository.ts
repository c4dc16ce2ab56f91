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
}

export interface NewUser {
  name: string;
  surname: string;
  email: string;
  passwordHash: string;
  role: Role;
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
        created_at: now,
        updated_at: now,
      });
      return { id: Number(id), ...user, email: user.email.trim(), createdAt: now };
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
      changes: { name?: string; surname?: string; role?: Role; passwordHash?: string },
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
          updated_at: now,
        });
    },

    async remove(id: number, trx: Executor = db): Promise<boolean> {
      return (await trx(TABLE).where({ id }).delete()) > 0;
    },
  };
}

export type UsersRepository = ReturnType<typeof createUsersRepository>;
