import { toIso } from '../http/iso';
import type { DefineRoute } from '../http/route';
import { toUserDto, UserSchema } from '../users/schemas';
import { AcceptInvitationBody, LoginBody, SessionSchema, SignupBody } from './schemas';
import type { AuthService } from './service';

type Session = Awaited<ReturnType<AuthService['login']>>;
const toSessionDto = (s: Session) => ({
  token: s.token,
  expiresAt: toIso(s.expiresAt),
  user: toUserDto(s.user),
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
      success: { status: 200, description: 'The user behind the token', schema: UserSchema },
    },
    async ({ caller }) => ({ status: 200, body: toUserDto(await caller.actor()) }),
  );
}
