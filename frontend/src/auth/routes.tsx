import { h } from '../views/html';
import type { Request, Response, Router } from 'express';
import { setFlash } from '../http/flash';
import { field, formFailure, safeNext } from '../http/forms';
import { newSessionId, nowSeconds, sessionFromBackend, writeSession } from '../http/session';
import type { Render } from '../http/render';
import { LoginPage, SignupPage } from './pages';

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
      signedIn(req, res, next ?? '/');
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
