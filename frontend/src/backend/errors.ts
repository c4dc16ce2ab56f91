export interface FieldError {
  field: string;
  message: string;
}

/** The backend answered with an RFC 9457 problem (any non-2xx status). */
export class BackendProblem extends Error {
  override name = 'BackendProblem';

  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly errors: readonly FieldError[] = [],
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
  }

  /** Errors keyed by field name, first message wins. */
  fieldErrors(): Record<string, string> {
    const out: Record<string, string> = {};
    for (const e of this.errors) out[e.field] ??= e.message;
    return out;
  }
}

/** The backend could not be reached in time (down, hung, overloaded or the breaker is open). */
export class BackendUnavailable extends Error {
  override name = 'BackendUnavailable';

  constructor(
    readonly reason: string,
    readonly retryAfterSeconds: number,
  ) {
    super(`backend unavailable: ${reason}`);
  }
}
