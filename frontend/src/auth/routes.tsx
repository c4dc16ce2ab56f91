import { h } from '../views/html';
import type { Request, Response, Router } from 'express';
import { setFlash } from '../http/flash';
import { BackendProblem } from '../backend/errors';
import { field, formFailure, safeNext } from '../http/forms';
import {
  newSessionId,
  nowSeconds,
  requireUser,
  sessionFromBackend,
  writeSession,
} from '../http/session';
import type { Render } from '../http/render';
import { notFound } from '../errors';
import { AcceptInvitationPage, ChangePasswordPage, LoginPage, SignupPage } from './pages';

export interface AuthRoutesDeps {
  render: Render;
  secret: string;
}

export function authRoutes(router: Router, { render, secret }: AuthRoutesDeps): void {
  const signedIn = (req: Request, res: Response, next: string) => {
    setFlash(res, req.ctx.secure, req.path === '/signup' ? 'signed_up' : 'signed_in');
    res.redirect(303, next);
  };

  router.get('/login', (req, res) => {
    if (req.ctx.session.user) return res.redirect(303, '/');
    render(
      req,
      res,
      'Log in',
      <LoginPage
        csrf={req.ctx.csrfToken}
        values={{}}
        errors={{}}
        next={safeNext(req.query.next)}
      />,
    );
  });

  router.post('/login', async (req, res) => {
    const email = field(req, 'email');
    const next = safeNext(field(req, 'next'));
    try {
      const session = await req.ctx.api.login(email, field(req, 'password'));
      writeSession(res, secret, req.ctx.secure, sessionFromBackend(session));
      signedIn(req, res, session.passwordChangeRequired ? '/password?required=1' : (next ?? '/'));
    } catch (err) {
      const failure = formFailure(err);
      render(
        req,
        res,
        'Log in',
        <LoginPage
          csrf={req.ctx.csrfToken}
          values={{ email }}
          errors={failure.errors}
          alert={failure.alert}
          next={next}
        />,
        failure.status,
      );
    }
  });

  router.get('/signup', (req, res) => {
    if (req.ctx.session.user) return res.redirect(303, '/');
    render(req, res, 'Sign up', <SignupPage csrf={req.ctx.csrfToken} values={{}} errors={{}} />);
  });

  router.post('/signup', async (req, res) => {
    const values = {
      name: field(req, 'name'),
      surname: field(req, 'surname'),
      email: field(req, 'email'),
    };
    try {
      const session = await req.ctx.api.signup({ ...values, password: field(req, 'password') });
      writeSession(res, secret, req.ctx.secure, sessionFromBackend(session));
      signedIn(req, res, '/');
    } catch (err) {
      const failure = formFailure(err);
      render(
        req,
        res,
        'Sign up',
        <SignupPage
          csrf={req.ctx.csrfToken}
          values={values}
          errors={failure.errors}
          alert={failure.alert}
        />,
        failure.status,
      );
    }
  });

  /** The token as invitation links carry it; anything else is no invitation. */
  const tokenOf = (req: Request) => {
    const token = req.params.token;
    if (typeof token !== 'string' || !/^[A-Za-z0-9_-]{20,200}$/.test(token)) throw notFound();
    return token;
  };
  const invitationOf = async (req: Request, token: string) => {
    try {
      return await req.ctx.api.getInvitation(token);
    } catch (err) {
      if (err instanceof BackendProblem && err.status === 404) throw notFound();
      throw err;
    }
  };

  router.get('/invite/:token', async (req, res) => {
    const token = tokenOf(req);
    const invitation = await invitationOf(req, token);
    render(
      req,
      res,
      'Join Tradepost',
      <AcceptInvitationPage
        csrf={req.ctx.csrfToken}
        token={token}
        email={invitation.email}
        values={{}}
        errors={{}}
      />,
    );
  });

  router.post('/invite/:token', async (req, res) => {
    const token = tokenOf(req);
    const values = { name: field(req, 'name'), surname: field(req, 'surname') };
    try {
      const session = await req.ctx.api.acceptInvitation({
        ...values,
        token,
        password: field(req, 'password'),
      });
      writeSession(res, secret, req.ctx.secure, sessionFromBackend(session));
      setFlash(res, req.ctx.secure, 'signed_up');
      res.redirect(303, '/');
    } catch (err) {
      if (err instanceof BackendProblem && err.status === 404) throw notFound();
      const failure = formFailure(err);
      const invitation = await invitationOf(req, token);
      render(
        req,
        res,
        'Join Tradepost',
        <AcceptInvitationPage
          csrf={req.ctx.csrfToken}
          token={token}
          email={invitation.email}
          values={values}
          errors={failure.errors}
          alert={failure.alert}
        />,
        failure.status,
      );
    }
  });

  router.get('/password', requireUser, (req, res) => {
    render(
      req,
      res,
      'Change password',
      <ChangePasswordPage
        csrf={req.ctx.csrfToken}
        values={{}}
        errors={{}}
        required={req.query.required === '1'}
      />,
    );
  });

  router.post('/password', requireUser, async (req, res) => {
    try {
      await req.ctx.api.changePassword(field(req, 'currentPassword'), field(req, 'newPassword'));
      setFlash(res, req.ctx.secure, 'password_changed');
      res.redirect(303, '/');
    } catch (err) {
      const failure = formFailure(err);
      render(
        req,
        res,
        'Change password',
        <ChangePasswordPage
          csrf={req.ctx.csrfToken}
          values={{}}
          errors={failure.errors}
          alert={failure.alert}
          required={false}
        />,
        failure.status,
      );
    }
  });

  router.post('/logout', async (req, res) => {
    if (req.ctx.session.token) {
      // The local session ends whatever happens; the backend revokes the token if it can.
      await req.ctx.api
        .logout()
        .catch((err: unknown) => req.log.warn({ err }, 'logout: token not revoked'));
    }
    writeSession(res, secret, req.ctx.secure, { sid: newSessionId(), at: nowSeconds() });
    setFlash(res, req.ctx.secure, 'signed_out');
    res.redirect(303, '/login');
  });
}
