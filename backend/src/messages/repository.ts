import { dialectOf, type Executor, select } from '../db/knex';

const TABLE = 'messages';
const CONVERSATIONS = 'conversations';

interface Row {
  id: number | string;
  sender_id: number | string;
  recipient_id: number | string;
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

export interface Peer {
  id: number;
  name: string;
  surname: string;
}

export interface ConversationRecord {
  peer: Peer;
  lastMessage: MessageRecord;
}

/**
 * A conversation page with the user it is with, in one statement run per page view: the
 * peer's row by primary key, then the page, an index range on (user_low, user_high, id)
 * read newest first and stopped after `limit`. A UNION ALL keeps each read as plain as it
 * is alone (joined to the peer, MariaDB lost the index order and read the whole
 * conversation; as a derived table it built a temporary table per request). MariaDB is
 * told to use the index: left to itself it looked a cursor page up by the pair alone and
 * walked back from the newest message to the cursor. Exported for the test that checks the
 * rows it touches.
 */
export function peerAndHistorySql(dialect: 'mysql' | 'sqlite', before: boolean): string {
  const peer = `SELECT id AS peer_id, name AS peer_name, surname AS peer_surname, NULL AS id,
    NULL AS sender_id, NULL AS recipient_id, NULL AS body, NULL AS created_at
  FROM users WHERE id = ?`;
  const hint = dialect === 'mysql' ? ` FORCE INDEX (${PAIR_INDEX})` : '';
  const page = `SELECT NULL, NULL, NULL, id, sender_id, recipient_id, body, created_at
  FROM ${TABLE}${hint}
  WHERE user_low = ? AND user_high = ?${before ? ' AND id < ?' : ''} ORDER BY id DESC LIMIT ?`;
  // MariaDB streams a UNION ALL of parenthesised branches without a temporary table;
  // SQLite takes a branch's ORDER BY and LIMIT only inside a subquery.
  return dialect === 'mysql'
    ? `${peer}\n  UNION ALL (${page})`
    : `${peer}\n  UNION ALL SELECT * FROM (${page})`;
}

/** knex's name for the (user_low, user_high, id) index of the messages migration. */
const PAIR_INDEX = 'messages_user_low_user_high_id_index';

type PeerOrMessageRow = {
  peer_id: number | string | null;
  peer_name: string | null;
  peer_surname: string | null;
} & { [K in keyof Row]: Row[K] | null };

const pair = (a: number, b: number) => ({ user_low: Math.min(a, b), user_high: Math.max(a, b) });

function toMessage(row: Row): MessageRecord {
  return {
    id: Number(row.id),
    // Numbers whatever the column's type: in the page's UNION ALL, MariaDB answers these as text.
    senderId: Number(row.sender_id),
    recipientId: Number(row.recipient_id),
    body: row.body,
    createdAt: Number(row.created_at),
  };
}

export function createMessagesRepository(db: Executor) {
  const history = {
    latest: peerAndHistorySql(dialectOf(db), false),
    before: peerAndHistorySql(dialectOf(db), true),
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

    /**
     * The user `peerId` and their conversation with `userId`, newest first; `before` is
     * the id cursor from the previous page. Null when there is no such user.
     */
    async historyWithPeer(
      userId: number,
      peerId: number,
      limit: number,
      before?: number,
    ): Promise<{ peer: Peer; items: MessageRecord[] } | null> {
      const { user_low, user_high } = pair(userId, peerId);
      const rows = await select<PeerOrMessageRow>(
        db,
        before === undefined ? history.latest : history.before,
        before === undefined
          ? [peerId, user_low, user_high, limit]
          : [peerId, user_low, user_high, before, limit],
      );
      const peer = rows.find((row) => row.peer_id !== null);
      if (!peer) return null;
      return {
        peer: { id: Number(peer.peer_id), name: peer.peer_name!, surname: peer.peer_surname! },
        // A UNION ALL promises no order of its own: sort the page's rows here.
        items: rows
          .filter((row): row is PeerOrMessageRow & Row => row.id !== null)
          .map(toMessage)
          .sort((a, b) => b.id - a.id),
      };
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
