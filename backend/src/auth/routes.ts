import { toIso } from '../http/iso';
import type { DefineRoute } from '../http/route';
import { toUserDto, UserSchema } from '../users/schemas';
import { IdParam } from '../http/schemas';
import {
  AcceptInvitationBody,
  ChangePasswordBody,
  LoginBody,
  SessionSchema,
  SignupBody,
  TemporaryPasswordSchema,
} from './schemas';
import type { AuthService } from './service';

type Session = Awaited<ReturnType<AuthService['login']>>;
const toSessionDto = (s: Session) => ({
  token: s.token,
  expiresAt: toIso(s.expiresAt),
  user: toUserDto(s.user),
  passwordChangeRequired: s.user.mustChangePassword,
});

export function authRoutes(route: DefineRoute, auth: AuthService): void {
  const tag = 'auth';

  route(
    {
      method: 'post',
      path: '/auth/signup',
      tag,
      summary: 'Create an account and sign in',
      auth: false,
      body: SignupBody,
      success: {
        status: 201,
        description: 'Account created; a session for it',
        schema: SessionSchema,
      },
      errors: [403, 409],
    },
    async ({ body }) => ({ status: 201, body: toSessionDto(await auth.signup(body)) }),
  );

  route(
    {
      method: 'post',
      path: '/auth/invitations/accept',
      tag,
      summary: "Use an invitation: make the invited address's account and sign in",
      auth: false,
      body: AcceptInvitationBody,
      success: {
        status: 201,
        description: 'Account created; a session for it',
        schema: SessionSchema,
      },
      errors: [404, 409],
    },
    async ({ body }) => ({
      status: 201,
      body: toSessionDto(await auth.acceptInvitation(body)),
    }),
  );

  route(
    {
      method: 'post',
      path: '/auth/login',
      tag,
      summary: 'Sign in with email and password',
      auth: false,
      body: LoginBody,
      success: { status: 200, description: 'A new session', schema: SessionSchema },
      errors: [401, 429],
    },
    async ({ body, clientAddress }) => ({
      status: 200,
      body: toSessionDto(await auth.login(body.email, body.password, clientAddress)),
    }),
  );

  route(
    {
      method: 'post',
      path: '/auth/logout',
      tag,
      summary: 'Revoke the current session',
      whilePasswordChangeDue: true,
      success: { status: 204, description: 'Signed out' },
    },
    async ({ caller }) => {
      await auth.logout((await caller.actor()).sessionId);
      return { status: 204 };
    },
  );

  route(
    {
      method: 'get',
      path: '/me',
      tag,
      summary: 'The signed-in user',
      whilePasswordChangeDue: true,
      success: { status: 200, description: 'The user behind the token', schema: UserSchema },
    },
    async ({ caller }) => ({ status: 200, body: toUserDto(await caller.actor()) }),
  );

  route(
    {
      method: 'post',
      path: '/me/password',
      tag,
      summary: 'Change your password (the current one required); your other sessions end',
      whilePasswordChangeDue: true,
      body: ChangePasswordBody,
      success: { status: 204, description: 'Changed' },
    },
    async ({ caller, body }) => {
      await auth.changePassword(await caller.actor(), body.currentPassword, body.newPassword);
      return { status: 204 };
    },
  );

  route(
    {
      method: 'post',
      path: '/users/{id}/password-reset',
      tag,
      summary:
        'Force a password reset (admins only): a temporary password, to be changed at the next sign-in',
      params: IdParam,
      success: {
        status: 201,
        description: 'The temporary password, shown only this once',
        schema: TemporaryPasswordSchema,
      },
      errors: [403, 404],
    },
    async ({ caller, params }) => ({
      status: 201,
      body: await auth.forceReset(await caller.actor(), params.id),
    }),
  );
}
