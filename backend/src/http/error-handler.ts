import type { ErrorRequestHandler, RequestHandler, Response } from 'express';
import { isUnavailable } from '../db/knex';
import { AppError, unavailable } from '../errors';
import type { Logger } from '../logger';

export const notFoundRoute: RequestHandler = (req) => {
  throw new AppError('not_found', 404, `No route for ${req.method} ${req.path}`);
};

export function sendProblem(res: Response, error: AppError, requestId: string): void {
  for (const [name, value] of Object.entries(error.headers ?? {})) res.setHeader(name, value);
  res
    .status(error.status)
    .type('application/problem+json')
    .json({
      type: `urn:tradepost:problem:${error.code}`,
      title: error.message,
      status: error.status,
      detail: error.message,
      code: error.code,
      ...(error.fields ? { errors: error.fields } : {}),
      ...error.extra,
      requestId,
    });
}

interface BodyParserError {
  type?: string;
  status?: number;
}

function toAppError(error: unknown): AppError | null {
  if (error instanceof AppError) return error;
  const parserType = (error as BodyParserError | null)?.type;
  if (parserType === 'entity.parse.failed')
    return new AppError('malformed_json', 400, 'The body is not valid JSON');
  if (parserType === 'entity.too.large')
    return new AppError('payload_too_large', 413, 'The body is too large');
  if (parserType === 'encoding.unsupported' || parserType === 'charset.unsupported') {
    return new AppError('unsupported_media_type', 415, 'Send the body as UTF-8 application/json');
  }
  if (parserType !== undefined && (error as BodyParserError).status === 400) {
    return new AppError('malformed_json', 400, 'The body could not be read');
  }
  if (isUnavailable(error)) return unavailable('The database is unavailable; try again shortly', 2);
  return null;
}

/** problem+json for everything; 5xx details go to the log only. */
export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (error: unknown, req, res, _next) => {
    const known = toAppError(error);
    if (!known || known.status >= 500) {
      logger.error(
        { reqId: req.id, err: error },
        known ? 'dependency unavailable' : 'unhandled error',
      );
    }
    if (res.headersSent) return;
    sendProblem(
      res,
      known ?? new AppError('internal', 500, 'Something went wrong on our side'),
      req.id,
    );
  };
}
