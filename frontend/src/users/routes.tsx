import { h } from '../views/html';
import type { Request, Router } from 'express';
import type { VisibleUser } from '../backend/types';
import { setFlash } from '../http/flash';
import { field, formFailure, parseId, parsePage } from '../http/forms';
import { newSessionId, nowSeconds, requireUser, writeSession } from '../http/session';
import type { Render } from '../http/render';
import {
  DeleteUserPage,
  InvitePage,
  NewUserPage,
  TemporaryPasswordPage,
  UserPage,
  UsersPage,
} from './pages';

export const USERS_PAGE_SIZE = 20;

export interface UsersRoutesDeps {
  render: Render;
  secret: string;
}

/** What the signed-in user may do to `target`; the backend checks again on every call. */
function rights(req: Request, target: VisibleUser) {
  const me = req.ctx.session.user!;
  const isSelf = me.id === target.id;
  const isAdmin = me.role === 'admin';
  return {
    isSelf,
    canEdit: isSelf || isAdmin,
    canDelete: isSelf || isAdmin,
    canReset: isAdmin && !isSelf,
  };
}

export function usersRoutes(router: Router, { render, secret }: UsersRoutesDeps): void {
  router.use('/users', requireUser);

  router.get('/users', async (req, res) => {
    const page = parsePage(req.query.page);
    const result = await req.ctx.api.listUsers(page, USERS_PAGE_SIZE);
    if (page > 1 && page > result.totalPages) {
      return res.redirect(303, `/users?page=${Math.max(1, result.totalPages)}`);
    }
    render(
      req,
      res,
      'Users',
      <UsersPage page={result} isAdmin={req.ctx.session.user!.role === 'admin'} />,
    );
  });

  router.get('/users/new', (req, res) => {
    render(
      req,
      res,
      'Create user',
      <NewUserPage csrf={req.ctx.csrfToken} values={{}} errors={{}} />,
    );
  });

  router.post('/users', async (req, res) => {
    const values = {
      name: field(req, 'name'),
      surname: field(req, 'surname'),
      email: field(req, 'email'),
      role: field(req, 'role'),
    };
    try {
      const role = values.role === 'admin' ? 'admin' : 'member';
      const user = await req.ctx.api.createUser({
        ...values,
        role,
        password: field(req, 'password'),
      });
      setFlash(res, req.ctx.secure, 'user_created');
      res.redirect(303, `/users/${user.id}`);
    } catch (err) {
      const failure = formFailure(err);
      render(
        req,
        res,
        'Create user',
        <NewUserPage
          csrf={req.ctx.csrfToken}
          values={values}
          errors={failure.errors}
          alert={failure.alert}
        />,
        failure.status,
      );
    }
  });

  router.get('/users/invite', (req, res) => {
    render(req, res, 'Invite', <InvitePage csrf={req.ctx.csrfToken} values={{}} errors={{}} />);
  });

  router.post('/users/invite', async (req, res) => {
    const values = { email: field(req, 'email'), role: field(req, 'role') };
    try {
      const made = await req.ctx.api.invite(
        values.email,
        values.role === 'admin' ? 'admin' : 'member',
      );
      const href = `${req.protocol}://${req.get('host') ?? 'localhost'}/invite/${made.token}`;
      // The token is in the page once; no cache may keep it.
      res.setHeader('Cache-Control', 'no-store');
      render(
        req,
        res,
        'Invite',
        <InvitePage
          csrf={req.ctx.csrfToken}
          values={{}}
          errors={{}}
          link={{ href, email: made.email, expiresAt: made.expiresAt }}
        />,
        201,
      );
    } catch (err) {
      const failure = formFailure(err);
      render(
        req,
        res,
        'Invite',
        <InvitePage
          csrf={req.ctx.csrfToken}
          values={values}
          errors={failure.errors}
          alert={failure.alert}
        />,
        failure.status,
      );
    }
  });

  router.get('/users/:id', async (req, res) => {
    const user = await req.ctx.api.getUser(parseId(req.params.id));
    render(
      req,
      res,
      `${user.name} ${user.surname}`,
      <UserPage user={user} csrf={req.ctx.csrfToken} {...rights(req, user)} />,
    );
  });

  router.post('/users/:id', async (req, res) => {
    const id = parseId(req.params.id);
    const values = { name: field(req, 'name'), surname: field(req, 'surname') };
    try {
      const user = await req.ctx.api.updateUser(id, values);
      const { session } = req.ctx;
      if (session.user && session.user.id === user.id) {
        writeSession(res, secret, req.ctx.secure, {
          ...session,
          user: { ...session.user, name: user.name },
        });
      }
      setFlash(res, req.ctx.secure, 'profile_updated');
      res.redirect(303, `/users/${user.id}`);
    } catch (err) {
      const failure = formFailure(err);
      const user = await req.ctx.api.getUser(id);
      render(
        req,
        res,
        `${user.name} ${user.surname}`,
        <UserPage
          user={user}
          csrf={req.ctx.csrfToken}
          {...rights(req, user)}
          values={values}
          errors={failure.errors}
          alert={failure.alert}
        />,
        failure.status,
      );
    }
  });

  router.post('/users/:id/password-reset', async (req, res) => {
    const id = parseId(req.params.id);
    const { temporaryPassword } = await req.ctx.api.resetPassword(id);
    const user = await req.ctx.api.getUser(id);
    res.setHeader('Cache-Control', 'no-store');
    render(
      req,
      res,
      'Password reset',
      <TemporaryPasswordPage user={user} password={temporaryPassword} />,
      201,
    );
  });

  router.get('/users/:id/delete', async (req, res) => {
    const user = await req.ctx.api.getUser(parseId(req.params.id));
    render(
      req,
      res,
      'Delete user',
      <DeleteUserPage user={user} csrf={req.ctx.csrfToken} isSelf={rights(req, user).isSelf} />,
    );
  });

  router.post('/users/:id/delete', async (req, res) => {
    const id = parseId(req.params.id);
    await req.ctx.api.deleteUser(id);
    if (id === req.ctx.session.user!.id) {
      writeSession(res, secret, req.ctx.secure, { sid: newSessionId(), at: nowSeconds() });
      setFlash(res, req.ctx.secure, 'account_deleted');
      return res.redirect(303, '/login');
    }
    setFlash(res, req.ctx.secure, 'user_deleted');
    res.redirect(303, '/users');
  });
}
