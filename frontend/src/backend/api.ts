import { setTimeout as sleep } from 'node:timers/promises';
import type { BackendCall, BackendClient, CallContext } from './client';
import { BackendProblem } from './errors';
import type {
  Conversation,
  Invitation,
  NewInvitation,
  Role,
  ConversationPage,
  Message,
  NewUserInput,
  Order,
  OrderEvent,
  OrderFindPage,
  OrderInput,
  OrderMoveInput,
  OrderQuery,
  Page,
  Session,
  SignupInput,
  User,
  VisibleUser,
} from './types';

/**
 * A keyed POST whose twin is still in flight (double click) answers 409; the first
 * one finishes within milliseconds, and then the same key replays its response.
 */
async function keyedPost<T>(client: BackendClient, ctx: CallContext, call: BackendCall) {
  for (let i = 0; ; i += 1) {
    try {
      return await client.call<T>(ctx, call);
    } catch (err) {
      const inFlight = err instanceof BackendProblem && err.code === 'idempotency_in_flight';
      if (!inFlight || i >= 4 || Date.now() + 250 > ctx.deadline) throw err;
      await sleep(100 * (i + 1));
    }
  }
}

const enc = encodeURIComponent;

/** Typed calls to the backend, bound to one page request's identity and deadline. */
export function createApi(client: BackendClient, ctx: CallContext) {
  const get = <T>(path: string, query?: BackendCall['query']) =>
    client.call<T>(ctx, { method: 'GET', path, query });
  return {
    signup: (input: SignupInput) =>
      client.call<Session>(ctx, { method: 'POST', path: '/auth/signup', body: input }),
    login: (email: string, password: string) =>
      client.call<Session>(ctx, { method: 'POST', path: '/auth/login', body: { email, password } }),
    acceptInvitation: (input: { token: string; name: string; surname: string; password: string }) =>
      client.call<Session>(ctx, { method: 'POST', path: '/auth/invitations/accept', body: input }),
    getInvitation: (token: string) => get<Invitation>(`/invitations/${enc(token)}`),
    invite: (email: string, role: Role) =>
      client.call<NewInvitation>(ctx, {
        method: 'POST',
        path: '/invitations',
        body: { email, role },
      }),
    changePassword: (currentPassword: string, newPassword: string) =>
      client.call<void>(ctx, {
        method: 'POST',
        path: '/me/password',
        body: { currentPassword, newPassword },
      }),
    resetPassword: (id: number) =>
      client.call<{ temporaryPassword: string }>(ctx, {
        method: 'POST',
        path: `/users/${id}/password-reset`,
      }),
    logout: () => client.call<void>(ctx, { method: 'POST', path: '/auth/logout' }),

    listUsers: (page: number, pageSize: number) =>
      get<Page<VisibleUser>>('/users', { page, pageSize }),
    getUser: (id: number) => get<VisibleUser>(`/users/${id}`),
    createUser: (input: NewUserInput) =>
      client.call<User>(ctx, { method: 'POST', path: '/users', body: input }),
    updateUser: (id: number, patch: { name: string; surname: string }) =>
      client.call<VisibleUser>(ctx, { method: 'PATCH', path: `/users/${id}`, body: patch }),
    deleteUser: (id: number) => client.call<void>(ctx, { method: 'DELETE', path: `/users/${id}` }),

    listConversations: (limit: number) =>
      get<{ items: Conversation[] }>('/conversations', { limit }),
    getConversation: (userId: number, limit: number, before?: string) =>
      get<ConversationPage>(`/conversations/${userId}/messages`, { limit, before }),
    sendMessage: (userId: number, body: string, idempotencyKey: string) =>
      keyedPost<Message>(client, ctx, {
        method: 'POST',
        path: `/conversations/${userId}/messages`,
        body: { body },
        idempotencyKey,
      }),
    deleteMessage: (id: number) =>
      client.call<void>(ctx, { method: 'DELETE', path: `/messages/${id}` }),

    listOrders: (page: number, pageSize: number) => get<Page<Order>>('/orders', { page, pageSize }),
    findOrders: (query: OrderQuery, pageSize: number, cursor?: string) =>
      get<OrderFindPage>('/orders', { ...query, pageSize, cursor }),
    /** The filter's orders as CSV, read as the backend writes them. */
    exportOrders: (query: OrderQuery) =>
      client.stream(ctx, { path: '/orders/export.csv', query: { ...query } }),
    getOrder: (id: string) => get<Order>(`/orders/${enc(id)}`),
    orderHistory: (id: string) => get<{ items: OrderEvent[] }>(`/orders/${enc(id)}/history`),
    moveOrder: (id: string, input: OrderMoveInput, idempotencyKey: string) =>
      keyedPost<Order>(client, ctx, {
        method: 'POST',
        path: `/orders/${enc(id)}/moves`,
        body: input,
        idempotencyKey,
      }),
    createOrder: (input: OrderInput, idempotencyKey: string) =>
      keyedPost<Order>(client, ctx, {
        method: 'POST',
        path: '/orders',
        body: input,
        idempotencyKey,
      }),
  };
}

export type Api = ReturnType<typeof createApi>;
