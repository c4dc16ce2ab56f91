import { h, Fragment } from '../views/html';
import { isWholeUser, type Page, type VisibleUser } from '../backend/types';
import {
  CsrfField,
  Field,
  FormAlert,
  type FieldErrors,
  type FormValues,
} from '../views/components/form';
import { DateTime, fullName } from '../views/components/format';
import { Pagination } from '../views/components/pagination';

export function UsersPage({ page, isAdmin }: { page: Page<VisibleUser>; isAdmin: boolean }) {
  return (
    <section>
      <div class="page-head">
        <h1>Users</h1>
        {isAdmin ? (
          <span class="actions">
            <a class="button" href="/users/new">
              Create user
            </a>{' '}
            <a class="button" href="/users/invite">
              Invite
            </a>
          </span>
        ) : null}
      </div>
      <div class="table-wrap">
        <table class="table">
          <caption class="visually-hidden">Users</caption>
          <thead>
            <tr>
              <th scope="col">Name</th>
              {isAdmin ? <th scope="col">Email</th> : null}
              {isAdmin ? <th scope="col">Role</th> : null}
              {isAdmin ? <th scope="col">Joined</th> : null}
            </tr>
          </thead>
          <tbody>
            {page.items.map((u) => (
              <tr>
                <td>
                  <a href={`/users/${u.id}`}>{fullName(u)}</a>
                </td>
                {isWholeUser(u) ? <td>{u.email}</td> : null}
                {isWholeUser(u) ? <td>{u.role}</td> : null}
                {isWholeUser(u) ? (
                  <td>
                    <DateTime iso={u.createdAt} />
                  </td>
                ) : null}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <Pagination
        page={page.page}
        totalPages={page.totalPages}
        href={(p) => `/users?page=${p}`}
        label="Users pages"
      />
    </section>
  );
}

interface ProfileProps {
  user: VisibleUser;
  csrf: string;
  isSelf: boolean;
  canEdit: boolean;
  canDelete: boolean;
  canReset?: boolean;
  values?: FormValues;
  errors?: FieldErrors;
  alert?: string;
}

export function UserPage(props: ProfileProps) {
  const { user } = props;
  const values = props.values ?? { name: user.name, surname: user.surname };
  return (
    <section class="panel">
      <p class="breadcrumb">
        <a href="/users">Users</a>
      </p>
      <h1>{fullName(user)}</h1>
      {isWholeUser(user) ? (
        <dl class="details">
          <dt>Email</dt>
          <dd>{user.email}</dd>
          <dt>Role</dt>
          <dd>{user.role}</dd>
          <dt>Joined</dt>
          <dd>
            <DateTime iso={user.createdAt} />
          </dd>
        </dl>
      ) : null}
      {!props.isSelf ? (
        <p>
          <a class="button" href={`/messages/${user.id}`}>
            Send a message
          </a>
        </p>
      ) : null}
      {props.canEdit ? (
        <>
          <h2>{props.isSelf ? 'Edit your name' : 'Edit name'}</h2>
          <FormAlert message={props.alert} />
          <form method="post" action={`/users/${user.id}`} novalidate>
            <CsrfField token={props.csrf} />
            <div class="grid-2">
              <Field
                name="name"
                label="First name"
                value={values.name}
                errors={props.errors}
                maxLength={100}
                autocomplete="given-name"
                required
              />
              <Field
                name="surname"
                label="Surname"
                value={values.surname}
                errors={props.errors}
                maxLength={100}
                autocomplete="family-name"
                required
              />
            </div>
            <button type="submit" class="button">
              Save
            </button>
          </form>
        </>
      ) : null}
      {props.canReset ? (
        <form method="post" action={`/users/${user.id}/password-reset`} class="danger-zone">
          <CsrfField token={props.csrf} />
          <button type="submit" class="button button--danger">
            Reset password
          </button>
        </form>
      ) : null}
      {props.isSelf ? (
        <p>
          <a href="/password">Change my password</a>
        </p>
      ) : null}
      {props.canDelete ? (
        <p class="danger-zone">
          <a class="button button--danger" href={`/users/${user.id}/delete`}>
            {props.isSelf ? 'Delete my account' : 'Delete user'}
          </a>
        </p>
      ) : null}
    </section>
  );
}

export function DeleteUserPage({
  user,
  csrf,
  isSelf,
}: {
  user: VisibleUser;
  csrf: string;
  isSelf: boolean;
}) {
  return (
    <section class="panel panel--narrow">
      <h1>{isSelf ? 'Delete your account?' : `Delete ${fullName(user)}?`}</h1>
      <p>
        {isSelf
          ? 'Your account and your messages will be deleted and you will be signed out. '
          : 'The account and its messages will be deleted. '}
        Orders stay, without a user. This cannot be undone.
      </p>
      <form method="post" action={`/users/${user.id}/delete`} class="form-actions">
        <CsrfField token={csrf} />
        <button type="submit" class="button button--danger">
          Yes, delete
        </button>
        <a class="button button--quiet" href={`/users/${user.id}`}>
          Cancel
        </a>
      </form>
    </section>
  );
}

export function NewUserPage(props: {
  csrf: string;
  values: FormValues;
  errors: FieldErrors;
  alert?: string;
}) {
  const { values, errors } = props;
  return (
    <section class="panel panel--narrow">
      <p class="breadcrumb">
        <a href="/users">Users</a>
      </p>
      <h1>Create a user</h1>
      <FormAlert message={props.alert} />
      <form method="post" action="/users" novalidate autocomplete="off">
        <CsrfField token={props.csrf} />
        <Field
          name="name"
          label="First name"
          value={values.name}
          errors={errors}
          maxLength={100}
          required
        />
        <Field
          name="surname"
          label="Surname"
          value={values.surname}
          errors={errors}
          maxLength={100}
          required
        />
        <Field
          name="email"
          label="Email"
          type="email"
          value={values.email}
          errors={errors}
          required
        />
        <Field
          name="password"
          label="Initial password"
          type="password"
          hint="At least 12 characters."
          errors={errors}
          autocomplete="new-password"
          required
        />
        <fieldset class="field">
          <legend>Role</legend>
          <label class="choice">
            <input type="radio" name="role" value="member" checked={values.role !== 'admin'} />{' '}
            Member
          </label>
          <label class="choice">
            <input type="radio" name="role" value="admin" checked={values.role === 'admin'} /> Admin
          </label>
        </fieldset>
        <button type="submit" class="button">
          Create user
        </button>
      </form>
    </section>
  );
}

export function InvitePage(props: {
  csrf: string;
  values: FormValues;
  errors: FieldErrors;
  alert?: string;
  /** The link just made, shown once. */
  link?: { href: string; email: string; expiresAt: string };
}) {
  const { values, errors, link } = props;
  return (
    <section class="panel panel--narrow">
      <p class="breadcrumb">
        <a href="/users">Users</a>
      </p>
      <h1>Invite someone</h1>
      {link ? (
        <div class="flash" role="status">
          <p>
            Send this link to <strong>{link.email}</strong>. It works once, until{' '}
            {link.expiresAt.slice(0, 10)}, and is not shown again:
          </p>
          <p>
            <code class="invitation-link">{link.href}</code>
          </p>
        </div>
      ) : null}
      <FormAlert message={props.alert} />
      <form method="post" action="/users/invite" novalidate autocomplete="off">
        <CsrfField token={props.csrf} />
        <Field
          name="email"
          label="Email"
          type="email"
          value={values.email}
          errors={errors}
          required
        />
        <fieldset class="field">
          <legend>Role</legend>
          <label class="choice">
            <input type="radio" name="role" value="member" checked={values.role !== 'admin'} />{' '}
            Member
          </label>
          <label class="choice">
            <input type="radio" name="role" value="admin" checked={values.role === 'admin'} /> Admin
          </label>
        </fieldset>
        <button type="submit" class="button">
          Make an invitation link
        </button>
      </form>
    </section>
  );
}

export function TemporaryPasswordPage({ user, password }: { user: VisibleUser; password: string }) {
  return (
    <section class="panel panel--narrow">
      <p class="breadcrumb">
        <a href={`/users/${user.id}`}>{fullName(user)}</a>
      </p>
      <h1>Password reset</h1>
      <p>
        {fullName(user)} is signed out everywhere. Give them this temporary password; it is not
        shown again, and they must choose their own when they sign in with it:
      </p>
      <p>
        <code class="temporary-password">{password}</code>
      </p>
    </section>
  );
}
