import { h } from '../views/html';
import type { Router } from 'express';
import type { Render } from '../http/render';
import { HomePage } from './pages';

export function homeRoutes(router: Router, { render }: { render: Render }): void {
  router.get('/', async (req, res) => {
    const { user } = req.ctx.session;
    if (!user) return res.redirect(303, '/login');
    const [conversations, orders] = await Promise.all([
      req.ctx.api.listConversations(5),
      req.ctx.api.listOrders(1, 5),
    ]);
    render(
      req,
      res,
      'Home',
      <HomePage user={user} conversations={conversations.items} orders={orders.items} />,
    );
  });
}
