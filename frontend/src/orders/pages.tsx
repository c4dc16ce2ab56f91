import { h, Fragment } from '../views/html';
import type {
  Order,
  OrderEvent,
  OrderFindPage,
  OrderQuery,
  OrderState,
  Page,
} from '../backend/types';
import {
  ActionButton,
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

const STATE_LABELS: Record<OrderState, string> = {
  placed: 'Placed',
  shipped: 'Shipped',
  delivered: 'Delivered',
  cancelled: 'Cancelled',
};

function OrdersTable({ orders, caption }: { orders: Order[]; caption: string }) {
  return (
    <div class="table-wrap">
      <table class="table">
        <caption class="visually-hidden">{caption}</caption>
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
            <th scope="col">State</th>
          </tr>
        </thead>
        <tbody>
          {orders.map((o) => (
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
              <td>{STATE_LABELS[o.state]}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
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
      <FilterForm filters={{}} errors={{}} />
      {page.items.length === 0 ? (
        <p class="empty">No orders yet.</p>
      ) : (
        <OrdersTable orders={page.items} caption="Orders, newest first" />
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

export function OrderPage(props: {
  order: Order;
  history: OrderEvent[];
  csrf: string;
  idempotencyKey: string;
  today: string;
  mayCancel: boolean;
  form?: MoveForm | undefined;
}) {
  const { order } = props;
  return (
    <section class="panel">
      <p class="breadcrumb">
        <a href="/orders">Orders</a>
      </p>
      <h1>
        Order <span class="mono">{order.id}</span>
      </h1>
      <dl class="details">
        <dt>State</dt>
        <dd>{STATE_LABELS[order.state]}</dd>
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
        {order.shippedOn && (
          <>
            <dt>Shipped on</dt>
            <dd>{order.shippedOn}</dd>
          </>
        )}
        <dt>Created</dt>
        <dd>
          <DateTime iso={order.createdAt} />
        </dd>
      </dl>
      <Moves
        order={order}
        csrf={props.csrf}
        idempotencyKey={props.idempotencyKey}
        today={props.today}
        mayCancel={props.mayCancel}
        form={props.form}
      />
      <History order={order} history={props.history} />
    </section>
  );
}

const SHIPPING_OPTIONS = [
  ['', 'Any'],
  ['not_shipped', 'Not shipped'],
  ['shipped', 'Shipped'],
  ['overdue', 'Overdue (past its shipping date, not shipped)'],
] as const;
const SORT_OPTIONS = [
  ['', 'Order date'],
  ['shippingDate', 'Shipping date'],
] as const;
const DIR_OPTIONS = [
  ['', 'Newest first'],
  ['asc', 'Oldest first'],
] as const;

/** A labelled select whose error is tied to it, as Field does for inputs. */
function Select(props: {
  name: string;
  label: string;
  value: string | undefined;
  options: ReadonlyArray<readonly [string, string]>;
  errors: FieldErrors;
}) {
  const id = `field-${props.name}`;
  const error = props.errors[props.name];
  return (
    <div class={error ? 'field field--invalid' : 'field'}>
      <label for={id}>{props.label}</label>
      <select
        id={id}
        name={props.name}
        aria-invalid={error ? 'true' : undefined}
        aria-describedby={error ? `${id}-error` : undefined}
      >
        {props.options.map(([value, text]) => (
          <option value={value} selected={(props.value ?? '') === value}>
            {text}
          </option>
        ))}
      </select>
      {error && (
        <p class="field__error" id={`${id}-error`}>
          {error}
        </p>
      )}
    </div>
  );
}

/** The list's filters as a GET form: what it sends is the URL, so a filtered page can be shared. */
function FilterForm({ filters, errors }: { filters: OrderQuery; errors: FieldErrors }) {
  const values = filters as FormValues;
  return (
    <form method="get" action="/orders" class="filters" role="search" aria-label="Find orders">
      <div class="grid-2">
        <Field name="storeCode" label="Store code" value={values.storeCode} errors={errors} />
        <Field name="productCode" label="Product code" value={values.productCode} errors={errors} />
        <Field
          name="userId"
          label="Placed by (user id)"
          value={values.userId}
          errors={errors}
          inputMode="numeric"
        />
        <Select
          name="shipping"
          label="Shipping"
          value={values.shipping}
          options={SHIPPING_OPTIONS}
          errors={errors}
        />
        <Field name="from" label="Ordered from" type="date" value={values.from} errors={errors} />
        <Field name="to" label="Ordered to" type="date" value={values.to} errors={errors} />
        <Select
          name="sort"
          label="Sort by"
          value={values.sort}
          options={SORT_OPTIONS}
          errors={errors}
        />
        <Select
          name="dir"
          label="Order"
          value={values.dir === 'desc' ? '' : values.dir}
          options={DIR_OPTIONS}
          errors={errors}
        />
      </div>
      <div class="form-actions">
        <button type="submit" class="button">
          Find orders
        </button>
        <a href="/orders" class="button button--quiet">
          Clear
        </a>
      </div>
    </form>
  );
}

/** A list (or export) URL with these filters, and a cursor. */
export const ordersHref = (path: string, filters: OrderQuery, cursor?: string) => {
  const params = new URLSearchParams(filters as Record<string, string>);
  if (cursor) params.set('cursor', cursor);
  const query = params.toString();
  return query ? `${path}?${query}` : path;
};

const countText = (found: OrderFindPage) => {
  if (found.total === undefined) return null;
  if (found.totalExact === false) return `More than ${found.total.toLocaleString('en')} orders`;
  return found.total === 1 ? '1 order' : `${found.total.toLocaleString('en')} orders`;
};

/** A filtered or sorted list: its form, its count on the first page, and the next page by cursor. */
export function OrdersFoundPage(props: {
  filters: OrderQuery;
  found?: OrderFindPage;
  /** Whether this page came from a cursor (not the first). */
  paged?: boolean;
  errors?: FieldErrors;
  alert?: string;
}) {
  const { filters, found } = props;
  const count = found ? countText(found) : null;
  return (
    <section>
      <div class="page-head">
        <h1>Orders</h1>
        <a class="button button--quiet" href={ordersHref('/orders/export.csv', filters)} download>
          Export CSV
        </a>
        <a class="button" href="/orders/new">
          Add order
        </a>
      </div>
      <FormAlert message={props.alert} />
      <FilterForm filters={filters} errors={props.errors ?? {}} />
      {count && <p class="pagination__status">{count}</p>}
      {found &&
        (found.items.length === 0 ? (
          <p class="empty">No orders match.</p>
        ) : (
          <OrdersTable orders={found.items} caption="Orders matching the filter" />
        ))}
      {found && (
        <nav class="pagination" aria-label="Orders pages">
          <ul class="pagination__list">
            <li>
              {props.paged ? (
                <a class="pagination__step" href={ordersHref('/orders', filters)}>
                  « First
                </a>
              ) : (
                <span class="pagination__step" aria-disabled="true">
                  « First
                </span>
              )}
            </li>
            <li>
              {found.nextCursor ? (
                <a
                  class="pagination__step"
                  rel="next"
                  href={ordersHref('/orders', filters, found.nextCursor)}
                >
                  Next ›
                </a>
              ) : (
                <span class="pagination__step" aria-disabled="true">
                  Next ›
                </span>
              )}
            </li>
          </ul>
        </nav>
      )}
    </section>
  );
}

export interface MoveForm {
  errors: FieldErrors;
  alert?: string;
  shippedOn?: string | undefined;
}

function History({ order, history }: { order: Order; history: OrderEvent[] }) {
  return (
    <section aria-labelledby="history-title">
      <h2 id="history-title">History</h2>
      <ol class="history">
        <li>
          Placed by {order.user ? fullName(order.user) : 'a deleted user'},{' '}
          <DateTime iso={order.createdAt} />
        </li>
        {history.map((e) => (
          <li>
            {STATE_LABELS[e.to]}
            {e.shippedOn ? ` (shipped on ${e.shippedOn})` : ''} by{' '}
            {e.user ? fullName(e.user) : 'a deleted user'}, <DateTime iso={e.at} />
          </li>
        ))}
      </ol>
    </section>
  );
}

/** The moves this user may make from the order's state; each a form carrying the version seen. */
function Moves(props: {
  order: Order;
  csrf: string;
  idempotencyKey: string;
  today: string;
  mayCancel: boolean;
  form: MoveForm | undefined;
}) {
  const { order } = props;
  const action = `/orders/${order.id}/moves`;
  const common = (
    <>
      <input type="hidden" name="version" value={String(order.version)} />
      <input type="hidden" name="idempotencyKey" value={props.idempotencyKey} />
    </>
  );
  if (order.state === 'delivered' || order.state === 'cancelled') return null;
  return (
    <section aria-labelledby="moves-title">
      <h2 id="moves-title">Update</h2>
      <FormAlert message={props.form?.alert} />
      {order.state === 'placed' && (
        <form method="post" action={action} novalidate>
          <CsrfField token={props.csrf} />
          {common}
          <input type="hidden" name="state" value="shipped" />
          <Field
            name="shippedOn"
            label="Shipped on"
            type="date"
            value={props.form?.shippedOn ?? props.today}
            errors={props.form?.errors ?? {}}
            required
          />
          <div class="form-actions">
            <button type="submit" class="button">
              Mark shipped
            </button>
          </div>
        </form>
      )}
      {order.state === 'shipped' && (
        <ActionButton action={action} csrf={props.csrf} label="Mark delivered">
          {common}
          <input type="hidden" name="state" value="delivered" />
        </ActionButton>
      )}
      {order.state === 'placed' && props.mayCancel && (
        <ActionButton action={action} csrf={props.csrf} label="Cancel order" danger>
          {common}
          <input type="hidden" name="state" value="cancelled" />
        </ActionButton>
      )}
    </section>
  );
}
