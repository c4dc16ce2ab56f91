/** The frontend's one error type: routes throw it, the error middleware renders a page. */
export class AppError extends Error {
  override name = 'AppError';

  constructor(
    readonly code: string,
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export const notFound = () => new AppError('not_found', 404, 'We could not find that page.');
