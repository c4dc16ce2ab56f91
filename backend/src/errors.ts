export interface FieldError {
  field: string;
  message: string;
}

/** The one error type the services throw; the error middleware renders it as problem+json. */
export class AppError extends Error {
  constructor(
    readonly code: string,
    readonly status: number,
    message: string,
    readonly fields?: FieldError[],
    readonly headers?: Record<string, string>,
    /** More members of the problem document, such as what changed in a conflict. */
    readonly extra?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'AppError';
  }
}

export const notFound = (what: string) => new AppError('not_found', 404, `${what} not found`);
export const forbidden = (message = 'You are not allowed to do this') =>
  new AppError('forbidden', 403, message);
export const invalid = (fields: FieldError[]) =>
  new AppError('validation_failed', 400, 'The request has invalid fields', fields);
export const unavailable = (message: string, retryAfterSeconds = 1) =>
  new AppError('unavailable', 503, message, undefined, {
    'Retry-After': String(retryAfterSeconds),
  });
