import { h } from '../views/html';
import { requireUser } from '../http/session';
import type { Router } from 'express';
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
import { OrderFormPage, OrderPage, OrdersPage } from './pages';

export const ORDERS_PAGE_SIZE = 25;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const today = () => new Date().toISOString().slice(0, 10);

export function ordersRoutes(router: Router, { render }: { render: Render }): void {
  router.use('/orders', requireUser);

  router.get('/orders', async (req, res) => {
    const page = parsePage(req.query.page);
    const result = await req.ctx.api.listOrders(page, ORDERS_PAGE_SIZE);
    if (page > 1 && page > result.totalPages) {
      return res.redirect(303, `/orders?page=${Math.max(1, result.totalPages)}`);
    }
    render(req, res, 'Orders', <OrdersPage page={result} />);
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

  router.get('/orders/:id', async (req, res) => {
    if (!UUID.test(req.params.id)) throw notFound();
    const order = await req.ctx.api.getOrder(req.params.id.toLowerCase());
    render(req, res, `Order ${order.id}`, <OrderPage order={order} />);
  });
}
