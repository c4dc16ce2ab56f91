import type { Actor } from '../actor';
import type { Clock } from '../clock';
import type { Db } from '../db/knex';
import { forbidden, invalid, notFound } from '../errors';
import type { Idempotency } from '../idempotency/service';
import { requestHash } from '../idempotency/service';
import type { UsersRepository } from '../users/repository';
import type { MessagesRepository } from './repository';
import { toMessageDto } from './schemas';

export function createMessagesService(deps: {
  db: Db;
  messages: MessagesRepository;
  users: UsersRepository;
  idempotency: Idempotency;
  clock: Clock;
  onSent?: () => void;
}) {
  const { messages, users } = deps;

  async function peerOf(userId: number) {
    const peer = await users.findById(userId);
    if (!peer) throw notFound('User');
    return { id: peer.id, name: peer.name, surname: peer.surname };
  }

  return {
    async send(actor: Actor, recipientId: number, body: string, key: string | undefined) {
      if (recipientId === actor.id) {
        throw invalid([{ field: 'userId', message: 'Pick another user to message' }]);
      }
      await peerOf(recipientId);
      const result = await deps.idempotency.inTransaction(
        actor.id,
        key,
        requestHash(`send-message:${recipientId}`, { body }),
        async (trx) => {
          const message = await messages.insert(actor.id, recipientId, body, deps.clock(), trx);
          return { status: 201, body: toMessageDto(message) };
        },
      );
      if (!result.replayed) deps.onSent?.();
      return result;
    },

    async history(actor: Actor, peerId: number, limit: number, before?: number) {
      const found = await messages.historyWithPeer(actor.id, peerId, limit, before);
      if (!found) throw notFound('User');
      const { peer, items } = found;
      const last = items[items.length - 1];
      return { peer, items, nextCursor: items.length === limit && last ? String(last.id) : null };
    },

    conversations: (actor: Actor, limit: number) => messages.conversations(actor.id, limit),

    async remove(actor: Actor, id: number): Promise<void> {
      await deps.db.transaction(async (trx) => {
        const message = await messages.findById(id, trx);
        if (!message) throw notFound('Message');
        if (message.senderId !== actor.id) throw forbidden('Only the sender can delete a message');
        await messages.remove(message, trx);
      });
    },
  };
}

export type MessagesService = ReturnType<typeof createMessagesService>;
