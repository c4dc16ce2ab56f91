import { dialectOf, type Executor, select } from '../db/knex';

const TABLE = 'messages';
const CONVERSATIONS = 'conversations';

interface Row {
  id: number | string;
  sender_id: number;
  recipient_id: number;
  body: string;
  created_at: number | string;
}

export interface MessageRecord {
  id: number;
  senderId: number;
  recipientId: number;
  body: string;
  createdAt: number;
}

export interface ConversationRecord {
  peer: { id: number; name: string; surname: string };
  lastMessage: MessageRecord;
}

/**
 * A conversation page is an index range on (user_low, user_high, id), newest first and
 * stopped after `limit`: plain SQL, run per page view. MariaDB is told to use that index:
 * left to itself it looked a cursor page up by the pair alone and walked back from the
 * newest message to the cursor, so the older the page, the more rows it read. Exported for
 * the test that checks the rows it touches.
 */
export function historySql(dialect: 'mysql' | 'sqlite', before: boolean): string {
  const hint = dialect === 'mysql' ? ` FORCE INDEX (${PAIR_INDEX})` : '';
  return `SELECT id, sender_id, recipient_id, body, created_at FROM ${TABLE}${hint}
  WHERE user_low = ? AND user_high = ?${before ? ' AND id < ?' : ''} ORDER BY id DESC LIMIT ?`;
}

/** knex's name for the (user_low, user_high, id) index of the messages migration. */
const PAIR_INDEX = 'messages_user_low_user_high_id_index';

const pair = (a: number, b: number) => ({ user_low: Math.min(a, b), user_high: Math.max(a, b) });

function toMessage(row: Row): MessageRecord {
  return {
    id: Number(row.id),
    senderId: row.sender_id,
    recipientId: row.recipient_id,
    body: row.body,
    createdAt: Number(row.created_at),
  };
}

export function createMessagesRepository(db: Executor) {
  const history = {
    latest: historySql(dialectOf(db), false),
    before: historySql(dialectOf(db), true),
  };

  /** Point both sides' conversation rows at the newest message; never move them backwards. */
  async function pointConversations(a: number, b: number, messageId: number, trx: Executor) {
    const newest =
      dialectOf(trx) === 'mysql'
        ? trx.raw('GREATEST(last_message_id, VALUES(last_message_id))')
        : trx.raw('MAX(last_message_id, excluded.last_message_id)');
    const [low, high] = a < b ? [a, b] : [b, a];
    // Fixed row order (low owner first) so two senders in one pair cannot deadlock.
    for (const [owner, peer] of [
      [low, high],
      [high, low],
    ] as const) {
      await trx(CONVERSATIONS)
        .insert({ owner_id: owner, peer_id: peer, last_message_id: messageId })
        .onConflict(['owner_id', 'peer_id'])
        .merge({ last_message_id: newest });
    }
  }

  return {
    async insert(senderId: number, recipientId: number, body: string, now: number, trx: Executor) {
      const [id] = await trx(TABLE).insert({
        sender_id: senderId,
        recipient_id: recipientId,
        ...pair(senderId, recipientId),
        body,
        created_at: now,
      });
      const message = { id: Number(id), senderId, recipientId, body, createdAt: now };
      await pointConversations(senderId, recipientId, message.id, trx);
      return message;
    },

    async findById(id: number, trx: Executor = db): Promise<MessageRecord | null> {
      const row = await trx<Row>(TABLE).where({ id }).first();
      return row ? toMessage(row) : null;
    },

    /** Delete and repoint (or drop) the pair's conversation rows if it was the latest. */
    async remove(message: MessageRecord, trx: Executor): Promise<void> {
      const { user_low, user_high } = pair(message.senderId, message.recipientId);
      await trx(CONVERSATIONS)
        .whereIn(
          ['owner_id', 'peer_id'],
          [
            [user_low, user_high],
            [user_high, user_low],
          ],
        )
        .forUpdate()
        .select('owner_id');
      await trx(TABLE).where({ id: message.id }).delete();
      const latest = (await trx(TABLE)
        .where({ user_low, user_high })
        .orderBy('id', 'desc')
        .first('id')) as { id: number | string } | undefined;
      const conversations = trx(CONVERSATIONS).whereIn(
        ['owner_id', 'peer_id'],
        [
          [user_low, user_high],
          [user_high, user_low],
        ],
      );
      if (latest) await conversations.update({ last_message_id: Number(latest.id) });
      else await conversations.delete();
    },

    /** Newest first; `before` is the id cursor from the previous page. */
    async history(a: number, b: number, limit: number, before?: number): Promise<MessageRecord[]> {
      const { user_low, user_high } = pair(a, b);
      const rows =
        before === undefined
          ? await select<Row>(db, history.latest, [user_low, user_high, limit])
          : await select<Row>(db, history.before, [user_low, user_high, before, limit]);
      return rows.map(toMessage);
    },

    async conversations(ownerId: number, limit: number): Promise<ConversationRecord[]> {
      const rows = (await db(`${CONVERSATIONS} as c`)
        .join(`${TABLE} as m`, 'm.id', 'c.last_message_id')
        .join('users as u', 'u.id', 'c.peer_id')
        .where('c.owner_id', ownerId)
        .orderBy('c.last_message_id', 'desc')
        .limit(limit)
        .select('m.*', 'u.name as peer_name', 'u.surname as peer_surname', 'c.peer_id')) as (Row & {
        peer_id: number;
        peer_name: string;
        peer_surname: string;
      })[];
      return rows.map((row) => ({
        peer: { id: row.peer_id, name: row.peer_name, surname: row.peer_surname },
        lastMessage: toMessage(row),
      }));
    },
  };
}

/** Recompute every conversation row from the messages table (after a bulk load). */
export async function rebuildConversations(db: Executor): Promise<void> {
  const mysql = dialectOf(db) === 'mysql';
  for (const [owner, peer] of [
    ['user_low', 'user_high'],
    ['user_high', 'user_low'],
  ]) {
    const select = `SELECT ${owner}, ${peer}, MAX(id) FROM ${TABLE} WHERE 1 = 1 GROUP BY ${owner}, ${peer}`;
    await db.raw(
      mysql
        ? `INSERT INTO ${CONVERSATIONS} (owner_id, peer_id, last_message_id) ${select}
           ON DUPLICATE KEY UPDATE last_message_id = VALUES(last_message_id)`
        : `INSERT INTO ${CONVERSATIONS} (owner_id, peer_id, last_message_id) ${select}
           ON CONFLICT (owner_id, peer_id) DO UPDATE SET last_message_id = excluded.last_message_id`,
    );
  }
}

export type MessagesRepository = ReturnType<typeof createMessagesRepository>;
