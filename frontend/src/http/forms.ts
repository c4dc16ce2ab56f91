import { randomUUID } from 'node:crypto';
import type { Request } from 'express';
import { BackendProblem } from '../backend/errors';
import { notFound } from '../errors';

/** A form field as one string: absent, repeated or odd values become ''. */
export function field(req: Request, name: string): string {
  const body = req.body as Record<string, unknown> | undefined;
  const value = body?.[name];
  return typeof value === 'string' ? value : '';
}

/** The Idempotency-Key rendered into the form, or a fresh one if it was tampered with. */
export function formIdempotencyKey(req: Request): string {
  const key = field(req, 'idempotencyKey');
  return /^[A-Za-z0-9-]{16,64}$/.test(key) ? key : randomUUID();
}

export const newIdempotencyKey = () => randomUUID();

export function parseId(raw: string | undefined): number {
  if (!raw || !/^[1-9][0-9]{0,9}$/.test(raw)) throw notFound();
  const id = Number(raw);
  if (id > 2_147_483_647) throw notFound();
  return id;
}

export function parsePage(raw: unknown): number {
  if (typeof raw !== 'string' || !/^[1-9][0-9]{0,6}$/.test(raw)) return 1;
  return Number(raw);
}

/** Only same-site paths may be a post-login destination (no `//evil.example`). */
export function safeNext(raw: unknown): string | undefined {
  if (typeof raw !== 'string' || raw.length > 512) return undefined;
  if (!raw.startsWith('/') || raw.startsWith('//') || raw.startsWith('/\\')) return undefined;
  return raw;
}

export interface FormFailure {
  errors: Record<string, string>;
  alert?: string;
  status: number;
}

const GENERIC_FORM_ALERT = 'Please correct the highlighted fields.';

/**
 * Turn a backend refusal of a form into errors beside the fields (400/409/422) or a
 * form-level message (401 wrong password, 429 throttled); anything else is not the
 * form's business and is rethrown to the error page.
 */
export function formFailure(err: unknown): FormFailure {
  if (!(err instanceof BackendProblem)) throw err;
  const errors = err.fieldErrors();
  switch (err.code) {
    case 'validation_failed':
      return { errors, alert: GENERIC_FORM_ALERT, status: 400 };
    case 'email_taken':
      return {
        errors: { email: errors.email ?? 'An account with this email already exists.' },
        alert: GENERIC_FORM_ALERT,
        status: 409,
      };
    case 'signup_closed':
      return { errors: {}, alert: err.message, status: 403 };
    case 'invalid_credentials':
      return { errors: {}, alert: 'Email or password is incorrect.', status: 401 };
    case 'too_many_attempts': {
      const wait = err.retryAfterSeconds ? ` Try again in ${err.retryAfterSeconds} seconds.` : '';
      return { errors: {}, alert: `Too many attempts.${wait}`, status: 429 };
    }
    case 'idempotency_key_reused':
      return {
        errors: {},
        alert: 'This form was already submitted with other values. Please submit it again.',
        status: 422,
      };
    case 'payload_too_large':
      return { errors: {}, alert: 'That is too much text.', status: 413 };
    default:
      throw err;
  }
}
