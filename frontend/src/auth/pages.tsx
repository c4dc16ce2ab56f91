import { Fragment, h } from '../views/html';
import {
  CsrfField,
  Field,
  FormAlert,
  type FieldErrors,
  type FormValues,
} from '../views/components/form';

interface FormProps {
  csrf: string;
  values: FormValues;
  errors: FieldErrors;
  alert?: string;
}

/** The name fields of a new account, on sign-up and on an invitation alike. */
function NewAccountNames({ values, errors }: { values: FormValues; errors: FieldErrors }) {
  return (
    <Fragment>
      <Field
        name="name"
        label="First name"
        value={values.name}
        errors={errors}
        autocomplete="given-name"
        maxLength={100}
        required
        autofocus
      />
      <Field
        name="surname"
        label="Surname"
        value={values.surname}
        errors={errors}
        autocomplete="family-name"
        maxLength={100}
        required
      />
    </Fragment>
  );
}

/** A new password, with the rule it must meet. */
function NewPasswordField({ errors }: { errors: FieldErrors }) {
  return (
    <Field
      name="password"
      label="Password"
      type="password"
      hint="At least 12 characters. A short sentence works well."
      errors={errors}
      autocomplete="new-password"
      minLength={12}
      maxLength={128}
      required
    />
  );
}

export function LoginPage({ csrf, values, errors, alert, next }: FormProps & { next?: string }) {
  return (
    <section class="panel panel--narrow">
      <h1>Log in</h1>
      <FormAlert message={alert} />
      <form method="post" action="/login" novalidate>
        <CsrfField token={csrf} />
        {next ? <input type="hidden" name="next" value={next} /> : null}
        <Field
          name="email"
          label="Email"
          type="email"
          value={values.email}
          errors={errors}
          autocomplete="username"
          required
          autofocus
        />
        <Field
          name="password"
          label="Password"
          type="password"
          errors={errors}
          autocomplete="current-password"
          required
        />
        <button type="submit" class="button">
          Log in
        </button>
      </form>
      <p class="muted">
        New here? <a href="/signup">Create an account</a>.
      </p>
    </section>
  );
}

export function SignupPage({ csrf, values, errors, alert }: FormProps) {
  return (
    <section class="panel panel--narrow">
      <h1>Create your account</h1>
      <FormAlert message={alert} />
      <form method="post" action="/signup" novalidate>
        <CsrfField token={csrf} />
        <NewAccountNames values={values} errors={errors} />
        <Field
          name="email"
          label="Email"
          type="email"
          value={values.email}
          errors={errors}
          autocomplete="email"
          required
        />
        <NewPasswordField errors={errors} />
        <button type="submit" class="button">
          Sign up
        </button>
      </form>
      <p class="muted">
        Already have an account? <a href="/login">Log in</a>.
      </p>
    </section>
  );
}

export function AcceptInvitationPage({
  csrf,
  token,
  email,
  values,
  errors,
  alert,
}: FormProps & { token: string; email: string }) {
  return (
    <section class="panel panel--narrow">
      <h1>Join Tradepost</h1>
      <FormAlert message={alert} />
      <p>
        You were invited as <strong>{email}</strong>. Choose your name and a password.
      </p>
      <form method="post" action={`/invite/${token}`} novalidate>
        <CsrfField token={csrf} />
        <NewAccountNames values={values} errors={errors} />
        <NewPasswordField errors={errors} />
        <button type="submit" class="button">
          Create my account
        </button>
      </form>
    </section>
  );
}

export function ChangePasswordPage({
  csrf,
  errors,
  alert,
  required,
}: FormProps & { required: boolean }) {
  return (
    <section class="panel panel--narrow">
      <h1>Change your password</h1>
      {required ? (
        <p>You signed in with a temporary password. Choose your own to continue.</p>
      ) : (
        <p>Your other sessions will be signed out.</p>
      )}
      <FormAlert message={alert} />
      <form method="post" action="/password" novalidate>
        <CsrfField token={csrf} />
        <Field
          name="currentPassword"
          label={required ? 'Temporary password' : 'Current password'}
          type="password"
          errors={errors}
          autocomplete="current-password"
          required
          autofocus
        />
        <Field
          name="newPassword"
          label="New password"
          type="password"
          hint="At least 12 characters. A short sentence works well."
          errors={errors}
          autocomplete="new-password"
          minLength={12}
          maxLength={128}
          required
        />
        <button type="submit" class="button">
          Change password
        </button>
      </form>
    </section>
  );
}
