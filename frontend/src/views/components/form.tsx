import { h, type Children } from '../html';

/** The form field that carries the CSRF token (checked by http/csrf.ts). */
export const CSRF_FIELD = '_csrf';

export type FieldErrors = Readonly<Record<string, string>>;
export type FormValues = Readonly<Record<string, string>>;

export function CsrfField({ token }: { token: string }) {
  return <input type="hidden" name={CSRF_FIELD} value={token} />;
}

interface FieldProps {
  name: string;
  label: string;
  type?: 'text' | 'email' | 'password' | 'number' | 'date';
  value?: string;
  errors?: FieldErrors;
  hint?: string;
  autocomplete?: string;
  required?: boolean;
  inputMode?: 'numeric' | 'text';
  min?: number;
  max?: number;
  minLength?: number;
  maxLength?: number;
  autofocus?: boolean;
}

/** A labelled input whose hint and error are tied to it by aria-describedby. */
export function Field(props: FieldProps) {
  const id = `field-${props.name}`;
  const error = props.errors?.[props.name];
  // One component for every input type; preact types `type` as a discriminated union.
  const typeAttr: Record<string, string> = { type: props.type ?? 'text' };
  const described = [props.hint && `${id}-hint`, error && `${id}-error`].filter(Boolean).join(' ');
  return (
    <div class={error ? 'field field--invalid' : 'field'}>
      <label for={id}>{props.label}</label>
      {props.hint && (
        <p class="field__hint" id={`${id}-hint`}>
          {props.hint}
        </p>
      )}
      <input
        id={id}
        name={props.name}
        {...typeAttr}
        value={props.value ?? ''}
        autocomplete={props.autocomplete}
        required={props.required}
        inputMode={props.inputMode}
        min={props.min}
        max={props.max}
        minLength={props.minLength}
        maxLength={props.maxLength}
        autofocus={props.autofocus}
        aria-invalid={error ? 'true' : undefined}
        aria-describedby={described || undefined}
      />
      {error && (
        <p class="field__error" id={`${id}-error`}>
          {error}
        </p>
      )}
    </div>
  );
}

interface TextAreaProps {
  name: string;
  label: string;
  value?: string;
  errors?: FieldErrors;
  maxLength?: number;
  required?: boolean;
}

export function TextArea(props: TextAreaProps) {
  const id = `field-${props.name}`;
  const error = props.errors?.[props.name];
  return (
    <div class={error ? 'field field--invalid' : 'field'}>
      <label for={id}>{props.label}</label>
      <textarea
        id={id}
        name={props.name}
        rows={3}
        maxLength={props.maxLength}
        required={props.required}
        aria-invalid={error ? 'true' : undefined}
        aria-describedby={error ? `${id}-error` : undefined}
      >
        {props.value ?? ''}
      </textarea>
      {error && (
        <p class="field__error" id={`${id}-error`}>
          {error}
        </p>
      )}
    </div>
  );
}

/** A message for errors that belong to no single field (wrong password, conflicts). */
export function FormAlert({ message }: { message?: string }) {
  if (!message) return null;
  return (
    <div class="alert alert--error" role="alert">
      {message}
    </div>
  );
}

/** A one-button form for a POST action (sign out, delete). */
export function ActionButton(props: {
  action: string;
  csrf: string;
  label: string;
  /** The accessible name when the visible label alone is ambiguous (a list of "Delete" buttons). */
  describedAs?: string;
  danger?: boolean;
  children?: Children;
}) {
  return (
    <form method="post" action={props.action} class="inline-form">
      <CsrfField token={props.csrf} />
      {props.children}
      <button
        type="submit"
        aria-label={props.describedAs}
        class={props.danger ? 'button button--danger' : 'button button--quiet'}
      >
        {props.label}
      </button>
    </form>
  );
}
