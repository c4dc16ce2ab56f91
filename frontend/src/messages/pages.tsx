import { h } from '../views/html';
import {
  isWholeUser,
  type Conversation,
  type ConversationPage,
  type Page,
  type VisibleUser,
} from '../backend/types';
import {
  ActionButton,
  CsrfField,
  FormAlert,
  TextArea,
  type FieldErrors,
  type FormValues,
} from '../views/components/form';
import { DateTime, fullName } from '../views/components/format';
import { Pagination } from '../views/components/pagination';

export function ConversationList({ items, me }: { items: Conversation[]; me: number }) {
  if (items.length === 0) return <p class="empty">No conversations yet.</p>;
  return (
    <ul class="list">
      {items.map((c) => (
        <li class="list__item">
          <a href={`/messages/${c.peer.id}`} class="list__title">
            {fullName(c.peer)}
          </a>
          <p class="list__snippet">
            {c.lastMessage.senderId === me ? 'You: ' : ''}
            {c.lastMessage.body.length > 120
              ? `${c.lastMessage.body.slice(0, 120)}…`
              : c.lastMessage.body}
          </p>
          <DateTime iso={c.lastMessage.createdAt} />
        </li>
      ))}
    </ul>
  );
}

export function ConversationsPage({ items, me }: { items: Conversation[]; me: number }) {
  return (
    <section>
      <div class="page-head">
        <h1>Messages</h1>
        <a class="button" href="/messages/new">
          New message
        </a>
      </div>
      <ConversationList items={items} me={me} />
    </section>
  );
}

export function PickRecipientPage({ page, me }: { page: Page<VisibleUser>; me: number }) {
  const others = page.items.filter((u) => u.id !== me);
  return (
    <section>
      <p class="breadcrumb">
        <a href="/messages">Messages</a>
      </p>
      <h1>Who do you want to write to?</h1>
      <ul class="list">
        {others.map((u) => (
          <li class="list__item">
            <a href={`/messages/${u.id}`} class="list__title">
              {fullName(u)}
            </a>
            {isWholeUser(u) ? <span class="muted">{u.email}</span> : null}
          </li>
        ))}
      </ul>
      <Pagination
        page={page.page}
        totalPages={page.totalPages}
        href={(p) => `/messages/new?page=${p}`}
        label="People pages"
      />
    </section>
  );
}

interface ThreadProps {
  conversation: ConversationPage;
  me: number;
  csrf: string;
  idempotencyKey: string;
  values: FormValues;
  errors: FieldErrors;
  alert?: string;
}

/** History newest first, as the API pages it; the send form sits on top. */
export function ThreadPage(props: ThreadProps) {
  const { conversation, me } = props;
  const peerId = conversation.peer.id;
  return (
    <section>
      <p class="breadcrumb">
        <a href="/messages">Messages</a>
      </p>
      <h1>
        Conversation with <a href={`/users/${peerId}`}>{fullName(conversation.peer)}</a>
      </h1>
      <FormAlert message={props.alert} />
      <form method="post" action={`/messages/${peerId}`} class="panel" novalidate>
        <CsrfField token={props.csrf} />
        <input type="hidden" name="idempotencyKey" value={props.idempotencyKey} />
        <TextArea
          name="body"
          label="Your message"
          value={props.values.body}
          errors={props.errors}
          maxLength={2000}
          required
        />
        <button type="submit" class="button">
          Send
        </button>
      </form>
      {conversation.items.length === 0 ? (
        <p class="empty">No messages yet. Say hello!</p>
      ) : (
        <ol class="thread">
          {conversation.items.map((m) => {
            const mine = m.senderId === me;
            return (
              <li class={mine ? 'bubble bubble--mine' : 'bubble'}>
                <p class="bubble__meta">
                  <strong>{mine ? 'You' : conversation.peer.name}</strong> ·{' '}
                  <DateTime iso={m.createdAt} />
                </p>
                <p class="bubble__body">{m.body}</p>
                {mine ? (
                  <ActionButton
                    action={`/messages/${peerId}/${m.id}/delete`}
                    csrf={props.csrf}
                    label="Delete"
                    describedAs={`Delete your message “${excerpt(m.body)}”`}
                  />
                ) : null}
              </li>
            );
          })}
        </ol>
      )}
      {conversation.nextCursor ? (
        <p>
          <a
            href={`/messages/${peerId}?before=${encodeURIComponent(conversation.nextCursor)}`}
            rel="next"
          >
            Older messages
          </a>
        </p>
      ) : null}
    </section>
  );
}

/** The start of a message, to name its delete button for screen readers. */
function excerpt(body: string): string {
  const chars = [...body.replace(/\s+/g, ' ').trim()];
  return chars.length > 40 ? `${chars.slice(0, 40).join('')}…` : chars.join('');
}
