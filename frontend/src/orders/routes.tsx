import { pipeline } from 'node:stream/promises';
import { h } from '../views/html';
import { requireUser } from '../http/session';
import type { Request, Router } from 'express';
import { BackendProblem } from '../backend/errors';
import type { OrderMoveInput, OrderQuery } from '../backend/types';
import { setFlash } from '../http/flash';
import {
  field,
  formFailure,
  formIdempotencyKey,
  newIdempotencyKey,
  parsePage,
} from '../http/forms';
import { notFound } from '../errors';
import type { Render } from '../http/render';
import {
  OrderFormPage,
  OrderPage,
  OrdersFoundPage,
  OrdersPage,
  ordersHref,
  type MoveForm,
} from './pages';

export const ORDERS_PAGE_SIZE = 25;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const today = () => new Date().toISOString().slice(0, 10);

/** The list's filter and sort parameters, as they appear in its URL and its form. */
export const FILTER_PARAMS = [
  'storeCode',
  'productCode',
  'userId',
  'from',
  'to',
  'shipping',
  'sort',
  'dir',
] as const;

/** The filters in the URL: non-empty strings only, at most 64 characters. */
export function filtersOf(req: Request): OrderQuery {
  const out: Record<string, string> = {};
  for (const name of FILTER_PARAMS) {
    const value = req.query[name];
    if (typeof value === 'string' && value.trim() !== '') out[name] = value.trim().slice(0, 64);
  }
  return out;
}

export function ordersRoutes(router: Router, { render }: { render: Render }): void {
  router.use('/orders', requireUser);

  router.get('/orders', async (req, res) => {
    const filters = filtersOf(req);
    const cursor = typeof req.query.cursor === 'string' ? req.query.cursor : undefined;
    if (Object.keys(filters).length === 0 && cursor === undefined) {
      const page = parsePage(req.query.page);
      const result = await req.ctx.api.listOrders(page, ORDERS_PAGE_SIZE);
      if (page > 1 && page > result.totalPages) {
        return res.redirect(303, `/orders?page=${Math.max(1, result.totalPages)}`);
      }
      return render(req, res, 'Orders', <OrdersPage page={result} />);
    }
    try {
      const found = await req.ctx.api.findOrders(filters, ORDERS_PAGE_SIZE, cursor);
      render(
        req,
        res,
        'Orders',
        <OrdersFoundPage filters={filters} found={found} paged={cursor !== undefined} />,
      );
    } catch (err) {
      const failure = formFailure(err);
      render(
        req,
        res,
        'Orders',
        <OrdersFoundPage filters={filters} errors={failure.errors} alert={failure.alert} />,
        failure.status,
      );
    }
  });

  // Before /orders/:id, which would take "export.csv" for an id.
  router.get('/orders/export.csv', async (req, res) => {
    const filters = filtersOf(req);
    let download;
    try {
      download = await req.ctx.api.exportOrders(filters);
    } catch (err) {
      // An invalid filter: the list shows it beside its field.
      if (err instanceof BackendProblem && err.code === 'validation_failed')
        return res.redirect(303, ordersHref('/orders', filters));
      throw err;
    }
    res.status(200);
    res.setHeader('Content-Type', 'text/csv; charset=utf-8');
    res.setHeader('Content-Disposition', 'attachment; filename="orders.csv"');
    res.setHeader('Cache-Control', 'no-store');
    // Rows pass through as they come; a client that leaves ends the backend's read too.
    await pipeline(download, res).catch(() => {
      download.destroy();
      res.destroy();
    });
  });

  router.get('/orders/new', (req, res) => {
    render(
      req,
      res,
      'Add order',
      <OrderFormPage
        csrf={req.ctx.csrfToken}
        idempotencyKey={newIdempotencyKey()}
        values={{}}
        errors={{}}
        today={today()}
      />,
    );
  });

  router.post('/orders', async (req, res) => {
    // The card number is sent once to the backend and never echoed back into the form.
    const values = {
      storeCode: field(req, 'storeCode'),
      productCode: field(req, 'productCode'),
      quantity: field(req, 'quantity'),
      orderDate: field(req, 'orderDate'),
      shippingDate: field(req, 'shippingDate'),
    };
    const quantity = /^\s*\d{1,9}\s*$/.test(values.quantity)
      ? Number(values.quantity)
      : values.quantity;
    try {
      const order = await req.ctx.api.createOrder(
        { ...values, quantity, cardNumber: field(req, 'cardNumber') },
        formIdempotencyKey(req),
      );
      setFlash(res, req.ctx.secure, 'order_created');
      res.redirect(303, `/orders/${order.id}`);
    } catch (err) {
      const failure = formFailure(err);
      // A corrected form is a new operation: it gets a new key.
      render(
        req,
        res,
        'Add order',
        <OrderFormPage
          csrf={req.ctx.csrfToken}
          idempotencyKey={newIdempotencyKey()}
          values={values}
          errors={failure.errors}
          alert={failure.alert}
          today={today()}
        />,
        failure.status,
      );
    }
  });

  /** The order page: the order, its history and the moves this user may make. */
  async function showOrder(
    req: Request,
    res: Parameters<Render>[1],
    id: string,
    form?: MoveForm,
    status?: number,
  ) {
    const [order, history] = await Promise.all([
      req.ctx.api.getOrder(id),
      req.ctx.api.orderHistory(id),
    ]);
    const user = req.ctx.session.user;
    render(
      req,
      res,
      `Order ${order.id}`,
      <OrderPage
        order={order}
        history={history.items}
        csrf={req.ctx.csrfToken}
        idempotencyKey={newIdempotencyKey()}
        today={today()}
        mayCancel={user?.role === 'admin' || (order.user !== null && order.user.id === user?.id)}
        form={form}
      />,
      status,
    );
  }

  router.get('/orders/:id', async (req, res) => {
    if (!UUID.test(req.params.id)) throw notFound();
    await showOrder(req, res, req.params.id.toLowerCase());
  });

  router.post('/orders/:id/moves', async (req, res) => {
    if (!UUID.test(req.params.id)) throw notFound();
    const id = req.params.id.toLowerCase();
    const state = field(req, 'state');
    const version = Number(field(req, 'version'));
    if (state !== 'shipped' && state !== 'delivered' && state !== 'cancelled') throw notFound();
    const input: OrderMoveInput = { state, version: Number.isInteger(version) ? version : 0 };
    if (state === 'shipped') input.shippedOn = field(req, 'shippedOn');
    try {
      await req.ctx.api.moveOrder(id, input, formIdempotencyKey(req));
      setFlash(res, req.ctx.secure, 'order_moved');
      res.redirect(303, `/orders/${id}`);
    } catch (err) {
      // A stale copy, a move no longer allowed or not this user's to make: said on the page.
      if (err instanceof BackendProblem && (err.status === 409 || err.status === 403))
        return showOrder(req, res, id, { errors: {}, alert: err.message }, err.status);
      const failure = formFailure(err);
      await showOrder(
        req,
        res,
        id,
        { errors: failure.errors, alert: failure.alert, shippedOn: input.shippedOn },
        failure.status,
      );
    }
  });
}
