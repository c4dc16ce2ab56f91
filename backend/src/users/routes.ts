import type { DefineRoute } from '../http/route';
import { IdParam, PageQuery, pageOf } from '../http/schemas';
import { toIso } from '../http/iso';
import {
  CreateInvitationBody,
  CreateUserBody,
  InvitationSchema,
  NewInvitationSchema,
  TokenParam,
  toUserDto,
  UpdateUserBody,
  UserSchema,
  VisibleUserSchema,
  visibleTo,
} from './schemas';
import type { UsersService } from './service';

export function usersRoutes(route: DefineRoute, users: UsersService): void {
  const tag = 'users';

  route(
    {
      method: 'get',
      path: '/users',
      tag,
      summary: 'List users, oldest first (emails and roles for admins only)',
      query: PageQuery(20),
      success: {
        status: 200,
        description: 'A page of users',
        schema: pageOf(VisibleUserSchema, 'UserPage'),
      },
    },
    async ({ caller, query }) => {
      const viewer = await caller.actor();
      const page = await users.list(query.page, query.pageSize);
      return {
        status: 200,
        body: { ...page, items: page.items.map((user) => visibleTo(viewer, user)) },
      };
    },
  );

  route(
    {
      method: 'post',
      path: '/users',
      tag,
      summary: 'Create a user (admins only)',
      body: CreateUserBody,
      success: { status: 201, description: 'The new user', schema: UserSchema },
      errors: [403, 409],
    },
    async ({ caller, body }) => ({
      status: 201,
      body: toUserDto(await users.createByAdmin(await caller.actor(), body)),
    }),
  );

  route(
    {
      method: 'get',
      path: '/users/{id}',
      tag,
      summary: 'One user (email and role for admins and oneself only)',
      params: IdParam,
      success: { status: 200, description: 'The user', schema: VisibleUserSchema },
      errors: [404],
    },
    async ({ caller, params }) => {
      const viewer = await caller.actor();
      return { status: 200, body: visibleTo(viewer, await users.get(params.id)) };
    },
  );

  route(
    {
      method: 'patch',
      path: '/users/{id}',
      tag,
      summary: 'Change name or surname (yourself, or anyone as admin)',
      params: IdParam,
      body: UpdateUserBody,
      success: { status: 200, description: 'The updated user', schema: UserSchema },
      errors: [403, 404],
    },
    async ({ caller, params, body }) => {
      const viewer = await caller.actor();
      return { status: 200, body: visibleTo(viewer, await users.update(viewer, params.id, body)) };
    },
  );

  route(
    {
      method: 'delete',
      path: '/users/{id}',
      tag,
      summary: 'Delete a user (yourself, or anyone as admin); their messages go, their orders stay',
      params: IdParam,
      success: { status: 204, description: 'Deleted' },
      errors: [403, 404],
    },
    async ({ caller, params }) => {
      await users.remove(await caller.actor(), params.id);
      return { status: 204 };
    },
  );

  route(
    {
      method: 'post',
      path: '/invitations',
      tag,
      summary: 'Invite one address (admins only): a single-use token, valid for seven days',
      body: CreateInvitationBody,
      success: {
        status: 201,
        description: 'The invitation and its token, shown only this once',
        schema: NewInvitationSchema,
      },
      errors: [403, 409],
    },
    async ({ caller, body }) => {
      const { invitation, token } = await users.invite(await caller.actor(), body);
      return {
        status: 201,
        body: {
          id: invitation.id,
          email: invitation.email,
          role: invitation.role,
          expiresAt: toIso(invitation.expiresAt),
          token,
        },
      };
    },
  );

  route(
    {
      method: 'get',
      path: '/invitations/{token}',
      tag,
      summary: 'The address an unused, unexpired invitation is for',
      auth: false,
      params: TokenParam,
      success: { status: 200, description: 'The invitation', schema: InvitationSchema },
      errors: [404],
    },
    async ({ params }) => {
      const invitation = await users.invitationFor(params.token);
      return {
        status: 200,
        body: {
          email: invitation.email,
          role: invitation.role,
          expiresAt: toIso(invitation.expiresAt),
        },
      };
    },
  );
}
