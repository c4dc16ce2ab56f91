import type { Role } from '../actor';
import type { Executor } from '../db/knex';
import { normalizeEmail } from './repository';

const TABLE = 'invitations';

interface Row {
  id: number;
  email: string;
  email_normalized: string;
  token_hash: string;
  role: string;
  invited_by: number | null;
  created_at: number | string;
  expires_at: number | string;
  used_at: number | string | null;
}

export interface InvitationRecord {
  id: number;
  email: string;
  role: Role;
  invitedBy: number | null;
  createdAt: number;
  expiresAt: number;
  usedAt: number | null;
}

const toInvitation = (row: Row): InvitationRecord => ({
  id: row.id,
  email: row.email,
  role: row.role === 'admin' ? 'admin' : 'member',
  invitedBy: row.invited_by,
  createdAt: Number(row.created_at),
  expiresAt: Number(row.expires_at),
  usedAt: row.used_at === null ? null : Number(row.used_at),
});

/** Invitations by the SHA-256 of their token; the token itself is never stored. */
export function createInvitationsRepository(db: Executor) {
  return {
    async insert(
      invitation: { email: string; role: Role; invitedBy: number; tokenHash: string },
      now: number,
      expiresAt: number,
    ): Promise<InvitationRecord> {
      const [id] = await db(TABLE).insert({
        email: invitation.email.trim(),
        email_normalized: normalizeEmail(invitation.email),
        token_hash: invitation.tokenHash,
        role: invitation.role,
        invited_by: invitation.invitedBy,
        created_at: now,
        expires_at: expiresAt,
        used_at: null,
      });
      return {
        id: Number(id),
        email: invitation.email.trim(),
        role: invitation.role,
        invitedBy: invitation.invitedBy,
        createdAt: now,
        expiresAt,
        usedAt: null,
      };
    },

    /** The invitation behind a token while it can still be used, else null. */
    async findUsable(tokenHash: string, now: number, trx: Executor = db) {
      const row = await trx<Row>(TABLE)
        .where({ token_hash: tokenHash })
        .whereNull('used_at')
        .where('expires_at', '>', now)
        .first();
      return row ? toInvitation(row) : null;
    },

    /**
     * Marks the invitation used if it still can be: one conditional UPDATE, so of two
     * acceptances at once exactly one sees a changed row.
     */
    async consume(id: number, now: number, trx: Executor = db): Promise<boolean> {
      const changed = await trx(TABLE)
        .where({ id })
        .whereNull('used_at')
        .where('expires_at', '>', now)
        .update({ used_at: now });
      return changed === 1;
    },
  };
}

export type InvitationsRepository = ReturnType<typeof createInvitationsRepository>;
