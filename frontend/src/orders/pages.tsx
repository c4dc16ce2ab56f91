import { h } from '../views/html';
import type { Order, Page } from '../backend/types';
import {
  CsrfField,
  Field,
  FormAlert,
  type FieldErrors,
  type FormValues,
} from '../views/components/form';
import { DateTime, MaskedCard, fullName } from '../views/components/format';
import { Pagination } from '../views/components/pagination';

function OrderUser({ order }: { order: Order }) {
  if (!order.user) return <span class="muted">Deleted user</span>;
  return <a href={`/users/${order.user.id}`}>{fullName(order.user)}</a>;
}

export function OrdersPage({ page }: { page: Page<Order> }) {
  return (
    <section>
      <div class="page-head">
        <h1>Orders</h1>
        <a class="button" href="/orders/new">
          Add order
        </a>
      </div>
      {page.items.length === 0 ? (
        <p class="empty">No orders yet.</p>
      ) : (
        <div class="table-wrap">
          <table class="table">
            <caption class="visually-hidden">Orders, newest first</caption>
            <thead>
              <tr>
                <th scope="col">Order</th>
                <th scope="col">User</th>
                <th scope="col">Card</th>
                <th scope="col">Store</th>
                <th scope="col">Product</th>
                <th scope="col" class="num">
                  Qty
                </th>
                <th scope="col">Order date</th>
                <th scope="col">Shipping date</th>
              </tr>
            </thead>
            <tbody>
              {page.items.map((o) => (
                <tr>
                  <td>
                    <a class="mono" href={`/orders/${o.id}`}>
                      {o.id}
                    </a>
                  </td>
                  <td>
                    <OrderUser order={o} />
                  </td>
                  <td>
                    <MaskedCard brand={o.cardBrand} last4={o.cardLast4} />
                  </td>
                  <td>{o.storeCode}</td>
                  <td>{o.productCode}</td>
                  <td class="num">{o.quantity}</td>
                  <td>{o.orderDate}</td>
                  <td>{o.shippingDate}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <Pagination
        page={page.page}
        totalPages={page.totalPages}
        href={(p) => `/orders?page=${p}`}
        label="Orders pages"
      />
    </section>
  );
}

interface OrderFormProps {
  csrf: string;
  idempotencyKey: string;
  values: FormValues;
  errors: FieldErrors;
  alert?: string;
  today: string;
}

export function OrderFormPage(props: OrderFormProps) {
  const { values, errors } = props;
  return (
    <section class="panel">
      <h1>Add an order</h1>
      <FormAlert message={props.alert} />
      <form method="post" action="/orders" novalidate autocomplete="off">
        <CsrfField token={props.csrf} />
        <input type="hidden" name="idempotencyKey" value={props.idempotencyKey} />
        <div class="grid-2">
          <Field
            name="storeCode"
            label="Store code"
            value={values.storeCode}
            errors={errors}
            maxLength={32}
            hint="Letters, digits and dashes."
            required
          />
          <Field
            name="productCode"
            label="Product code"
            value={values.productCode}
            errors={errors}
            maxLength={32}
            hint="Letters, digits and dashes."
            required
          />
          <Field
            name="quantity"
            label="Quantity"
            type="number"
            value={values.quantity}
            errors={errors}
            min={1}
            max={1000}
            inputMode="numeric"
            required
          />
          <Field
            name="cardNumber"
            label="Card number"
            hint="12 to 19 digits; spaces or dashes are fine. Only the last four digits are kept."
            errors={errors}
            inputMode="numeric"
            autocomplete="off"
            maxLength={32}
            required
          />
          <Field
            name="orderDate"
            label="Order date"
            type="date"
            value={values.orderDate ?? props.today}
            errors={errors}
            hint="Not in the future."
            required
          />
          <Field
            name="shippingDate"
            label="Shipping date"
            type="date"
            value={values.shippingDate}
            errors={errors}
            hint="On or after the order date."
            required
          />
        </div>
        <div class="form-actions">
          <button type="submit" class="button">
            Add order
          </button>
          <a href="/orders" class="button button--quiet">
            Cancel
          </a>
        </div>
      </form>
    </section>
  );
}

export function OrderPage({ order }: { order: Order }) {
  return (
    <section class="panel">
      <p class="breadcrumb">
        <a href="/orders">Orders</a>
      </p>
      <h1>
        Order <span class="mono">{order.id}</span>
      </h1>
      <dl class="details">
        <dt>User</dt>
        <dd>
          <OrderUser order={order} />
        </dd>
        <dt>Card</dt>
        <dd>
          <MaskedCard brand={order.cardBrand} last4={order.cardLast4} />
        </dd>
        <dt>Store code</dt>
        <dd>{order.storeCode}</dd>
        <dt>Product code</dt>
        <dd>{order.productCode}</dd>
        <dt>Quantity</dt>
        <dd>{order.quantity}</dd>
        <dt>Order date</dt>
        <dd>{order.orderDate}</dd>
        <dt>Shipping date</dt>
        <dd>{order.shippingDate}</dd>
        <dt>Created</dt>
        <dd>
          <DateTime iso={order.createdAt} />
        </dd>
      </dl>
    </section>
  );
}
