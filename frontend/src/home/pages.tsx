import { h, Fragment } from '../views/html';
import type { Conversation, Order } from '../backend/types';
import type { SessionUser } from '../http/session';
import { MaskedCard } from '../views/components/format';
import { ConversationList } from '../messages/pages';

interface HomeProps {
  user: SessionUser;
  conversations: Conversation[];
  orders: Order[];
}

export function HomePage({ user, conversations, orders }: HomeProps) {
  return (
    <>
      <h1>Hello, {user.name}</h1>
      <div class="grid-2">
        <section class="panel">
          <div class="page-head">
            <h2>Recent conversations</h2>
            <a href="/messages">All messages</a>
          </div>
          <ConversationList items={conversations} me={user.id} />
        </section>
        <section class="panel">
          <div class="page-head">
            <h2>Recent orders</h2>
            <a href="/orders">All orders</a>
          </div>
          {orders.length === 0 ? (
            <p class="empty">No orders yet.</p>
          ) : (
            <ul class="list">
              {orders.map((o) => (
                <li class="list__item">
                  <a href={`/orders/${o.id}`} class="list__title">
                    {o.productCode} × {o.quantity}
                  </a>
                  <span class="muted">
                    {o.storeCode} · {o.orderDate} ·{' '}
                    <MaskedCard brand={o.cardBrand} last4={o.cardLast4} />
                  </span>
                </li>
              ))}
            </ul>
          )}
          <p>
            <a class="button" href="/orders/new">
              Add order
            </a>
          </p>
        </section>
      </div>
    </>
  );
}
