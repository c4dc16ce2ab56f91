import type { Clock } from '../clock';
import type { DefineRoute } from '../http/route';
import {
  CreateOrderBody,
  OrderIdParam,
  OrderPageSchema,
  OrderSchema,
  OrdersQuery,
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
        'Orders, newest first: `page` for "page X of Y", or `cursor` for clients walking the list',
      query: OrdersQuery,
      success: { status: 200, description: 'A page of orders', schema: OrderPageSchema },
    },
    async ({ caller, query }) => {
      const result =
        query.cursor === undefined
          ? await orders.page(caller, query.page ?? 1, query.pageSize)
          : await orders.after(query.cursor, query.pageSize);
      return { status: 200, body: { ...result, items: result.items.map(toOrderDto) } };
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
}
