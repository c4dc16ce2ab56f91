import { h } from '../views/html';
import { requireUser } from '../http/session';
import type { Router } from 'express';
import { setFlash } from '../http/flash';
import {
  field,
  formFailure,
  formIdempotencyKey,
  newIdempotencyKey,
  parseId,
  parsePage,
} from '../http/forms';
import type { Render } from '../http/render';
import { ConversationsPage, PickRecipientPage, ThreadPage } from './pages';

const THREAD_PAGE_SIZE = 50;

function cursor(raw: unknown): string | undefined {
  return typeof raw === 'string' && /^[A-Za-z0-9_.:=-]{1,200}$/.test(raw) ? raw : undefined;
}

export function messagesRoutes(router: Router, { render }: { render: Render }): void {
  router.use('/messages', requireUser);

  router.get('/messages', async (req, res) => {
    const { items } = await req.ctx.api.listConversations(50);
    render(req, res, 'Messages', <ConversationsPage items={items} me={req.ctx.session.user!.id} />);
  });

  router.get('/messages/new', async (req, res) => {
    const page = await req.ctx.api.listUsers(parsePage(req.query.page), 50);
    render(
      req,
      res,
      'New message',
      <PickRecipientPage page={page} me={req.ctx.session.user!.id} />,
    );
  });

  router.get('/messages/:userId', async (req, res) => {
    const peerId = parseId(req.params.userId);
    const conversation = await req.ctx.api.getConversation(
      peerId,
      THREAD_PAGE_SIZE,
      cursor(req.query.before),
    );
    render(
      req,
      res,
      `Conversation with ${conversation.peer.name}`,
      <ThreadPage
        conversation={conversation}
        me={req.ctx.session.user!.id}
        csrf={req.ctx.csrfToken}
        idempotencyKey={newIdempotencyKey()}
        values={{}}
        errors={{}}
      />,
    );
  });

  router.post('/messages/:userId', async (req, res) => {
    const peerId = parseId(req.params.userId);
    const body = field(req, 'body');
    try {
      await req.ctx.api.sendMessage(peerId, body, formIdempotencyKey(req));
      setFlash(res, req.ctx.secure, 'message_sent');
      res.redirect(303, `/messages/${peerId}`);
    } catch (err) {
      const failure = formFailure(err);
      const conversation = await req.ctx.api.getConversation(peerId, THREAD_PAGE_SIZE);
      render(
        req,
        res,
        `Conversation with ${conversation.peer.name}`,
        <ThreadPage
          conversation={conversation}
          me={req.ctx.session.user!.id}
          csrf={req.ctx.csrfToken}
          idempotencyKey={newIdempotencyKey()}
          values={{ body }}
          errors={failure.errors}
          alert={failure.alert}
        />,
        failure.status,
      );
    }
  });

  router.post('/messages/:userId/:messageId/delete', async (req, res) => {
    const peerId = parseId(req.params.userId);
    await req.ctx.api.deleteMessage(parseId(req.params.messageId));
    setFlash(res, req.ctx.secure, 'message_deleted');
    res.redirect(303, `/messages/${peerId}`);
  });
}
