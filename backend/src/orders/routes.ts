import { z } from 'zod';
import type { Clock } from '../clock';
import type { DefineRoute } from '../http/route';
import { csvOf } from './csv';
import {
  CreateOrderBody,
  ExportQuery,
  MoveOrderBody,
  OrderHistorySchema,
  OrderIdParam,
  OrderPageSchema,
  OrderSchema,
  OrdersQuery,
  toEventDto,
  toOrderDto,
} from './schemas';
import type { OrdersService } from './service';

export function ordersRoutes(route: DefineRoute, orders: OrdersService, clock: Clock): void {
  const tag = 'orders';

  route(
    {
      method: 'get',
      path: '/orders',
      tag,
      summary:
        'Orders. Unfiltered: newest first, `page` for "page X of Y" or `cursor`. With any of ' +
        '`storeCode`, `productCode`, `userId`, `from`, `to`, `shipping` (not_shipped, shipped, ' +
        'overdue), `sort` (orderDate, shippingDate) or `dir` (desc, asc): pages by `cursor` ' +
        '(keyset); the first page has `total`, exact or, when `totalExact` is false, a lower bound',
      query: OrdersQuery,
      success: { status: 200, description: 'A page of orders', schema: OrderPageSchema },
    },
    async ({ caller, query }) => {
      const result = query.find
        ? await orders.find(query.find, query.pageSize)
        : query.cursor === undefined
          ? await orders.page(caller, query.page ?? 1, query.pageSize)
          : await orders.after(query.cursor, query.pageSize);
      return { status: 200, body: { ...result, items: result.items.map(toOrderDto) } };
    },
  );

  route(
    {
      method: 'get',
      path: '/orders/export.csv',
      tag,
      summary:
        'Every order the list filter matches, in its sort, as CSV (RFC 4180), streamed; ' +
        'cards as brand and last four, cells that could start a formula prefixed with an apostrophe',
      query: ExportQuery,
      success: {
        status: 200,
        description: 'The orders as CSV',
        schema: z.string(),
        contentType: 'text/csv',
      },
    },
    async ({ caller, query }) => {
      // Nothing is read before the session is known good.
      await caller.actor();
      return {
        status: 200,
        headers: {
          'Content-Type': 'text/csv; charset=utf-8',
          'Content-Disposition': 'attachment; filename="orders.csv"',
          'Cache-Control': 'no-store',
        },
        stream: csvOf(orders.batches(query)),
      };
    },
  );

  route(
    {
      method: 'post',
      path: '/orders',
      tag,
      summary: 'Add an order; the card number is reduced to brand and last four digits',
      body: CreateOrderBody(clock),
      idempotent: true,
      success: { status: 201, description: 'The order', schema: OrderSchema },
      errors: [409],
    },
    async ({ caller, body, idempotencyKey }) =>
      orders.create(await caller.actor(), body, idempotencyKey),
  );

  route(
    {
      method: 'get',
      path: '/orders/{id}',
      tag,
      summary: 'One order',
      params: OrderIdParam,
      success: { status: 200, description: 'The order', schema: OrderSchema },
      errors: [404],
    },
    async ({ params }) => ({ status: 200, body: toOrderDto(await orders.get(params.id)) }),
  );

  route(
    {
      method: 'post',
      path: '/orders/{id}/moves',
      tag,
      summary:
        'Move an order: placed → shipped (with `shippedOn`) or cancelled, shipped → delivered. ' +
        'Any member ships or delivers; only admins or the member who placed it cancel. ' +
        '`version` is the version the caller saw: 409 `order_changed` (with `current` and ' +
        '`changes`) when the order moved since',
      params: OrderIdParam,
      body: MoveOrderBody(clock),
      idempotent: true,
      success: { status: 200, description: 'The order, moved', schema: OrderSchema },
      errors: [403, 404, 409],
    },
    async ({ caller, params, body, idempotencyKey }) =>
      orders.move(await caller.actor(), params.id, body, idempotencyKey),
  );

  route(
    {
      method: 'get',
      path: '/orders/{id}/history',
      tag,
      summary: "An order's changes, oldest first, with who made each and when",
      params: OrderIdParam,
      success: { status: 200, description: 'The changes', schema: OrderHistorySchema },
      errors: [404],
    },
    async ({ params }) => ({
      status: 200,
      body: { items: (await orders.history(params.id)).map(toEventDto) },
    }),
  );
}
