import { z } from 'zod';
import type { DefineRoute } from '../http/route';
import { IdParam } from '../http/schemas';
import {
  ConversationSchema,
  ConversationsQuery,
  HistoryQuery,
  HistorySchema,
  MessageSchema,
  SendMessageBody,
  toConversationDto,
  toMessageDto,
  UserIdParam,
} from './schemas';
import type { MessagesService } from './service';

export function messagesRoutes(route: DefineRoute, messages: MessagesService): void {
  const tag = 'messages';

  route(
    {
      method: 'get',
      path: '/conversations',
      tag,
      summary: "The caller's conversations, latest first, each with its last message",
      query: ConversationsQuery,
      success: {
        status: 200,
        description: 'Conversations',
        schema: z.object({ items: z.array(ConversationSchema) }),
      },
    },
    async ({ caller, query }) => {
      const items = await messages.conversations(await caller.actor(), query.limit);
      return { status: 200, body: { items: items.map(toConversationDto) } };
    },
  );

  route(
    {
      method: 'get',
      path: '/conversations/{userId}/messages',
      tag,
      summary: 'History with one user, newest first, cursor-paged',
      params: UserIdParam,
      query: HistoryQuery,
      success: { status: 200, description: 'A page of messages', schema: HistorySchema },
      errors: [404],
    },
    async ({ caller, params, query }) => {
      const actor = await caller.actor();
      const page = await messages.history(actor, params.userId, query.limit, query.before);
      return { status: 200, body: { ...page, items: page.items.map(toMessageDto) } };
    },
  );

  route(
    {
      method: 'post',
      path: '/conversations/{userId}/messages',
      tag,
      summary: 'Send a message to a user',
      params: UserIdParam,
      body: SendMessageBody,
      idempotent: true,
      success: { status: 201, description: 'The message', schema: MessageSchema },
      errors: [404, 409],
    },
    async ({ caller, params, body, idempotencyKey }) =>
      messages.send(await caller.actor(), params.userId, body.body, idempotencyKey),
  );

  route(
    {
      method: 'delete',
      path: '/messages/{id}',
      tag,
      summary: 'Delete a message you sent',
      params: IdParam,
      success: { status: 204, description: 'Deleted' },
      errors: [403, 404],
    },
    async ({ caller, params }) => {
      await messages.remove(await caller.actor(), params.id);
      return { status: 204 };
    },
  );
}
