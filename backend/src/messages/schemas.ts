import { z } from 'zod';
import { toIso } from '../http/iso';
import '../http/openapi';
import { UserRefSchema } from '../users/schemas';
import type { ConversationRecord, MessageRecord } from './repository';

export const MessageSchema = z
  .object({
    id: z.number().int(),
    senderId: z.number().int(),
    recipientId: z.number().int(),
    body: z.string(),
    createdAt: z.string(),
  })
  .openapi('Message');

export const ConversationSchema = z
  .object({ peer: UserRefSchema, lastMessage: MessageSchema })
  .openapi('Conversation');

/** Stored exactly as written (no trimming): what the sender typed is what the reader sees. */
export const SendMessageBody = z
  .object({
    body: z
      .string({ error: 'Message is required' })
      .refine((b) => b.trim().length > 0, 'Message is required')
      .refine((b) => [...b].length <= 2000, 'Message must be at most 2000 characters'),
  })
  .openapi('SendMessage');

export const UserIdParam = z.object({
  userId: z.coerce.number().int('userId must be a whole number').min(1).max(2_147_483_647),
});

export const HistoryQuery = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(50),
  before: z
    .string()
    .regex(/^[1-9][0-9]{0,15}$/, 'before must be a cursor from a previous page')
    .transform(Number)
    .optional(),
});

export const ConversationsQuery = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(20),
});

export const HistorySchema = z
  .object({ peer: UserRefSchema, items: z.array(MessageSchema), nextCursor: z.string().nullable() })
  .openapi('MessageHistory');

export const toMessageDto = (m: MessageRecord) => ({
  id: m.id,
  senderId: m.senderId,
  recipientId: m.recipientId,
  body: m.body,
  createdAt: toIso(m.createdAt),
});

export const toConversationDto = (c: ConversationRecord) => ({
  peer: c.peer,
  lastMessage: toMessageDto(c.lastMessage),
});
