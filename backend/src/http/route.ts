import {
  Router as ExpressRouter,
  type Request,
  type RequestHandler,
  type Response,
  type Router,
} from 'express';
import { pipeline } from 'node:stream/promises';
import type { Readable } from 'node:stream';
import { z } from 'zod';
import type { Caller } from '../actor';
import { AppError } from '../errors';
import { type OpenAPIRegistry, ProblemSchema } from './openapi';
import { ROUTING } from './routing';
import { parse } from './validate';

export interface Reply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
  /**
   * A body written as it is produced (an export), in place of `body`: piped with
   * backpressure, and destroyed when the client goes away, which ends its source.
   */
  stream?: Readable;
}

export interface RouteContext<P, Q, B> {
  params: P;
  query: Q;
  body: B;
  /** Who the request says it is: `await caller.actor()` for the checked user. */
  caller: Caller;
  requestId: string;
  /** The client's address: `req.ip`, as the app's `trust proxy` setting reads it. */
  clientAddress: string;
  idempotencyKey: string | undefined;
}

/** The caller of the API's credentials, from its `Authorization` header (401 when unusable). */
export type CallerOf = (authorization: string | undefined) => Caller;

/** The caller on the routes that take no session (sign-up, login). */
const NOBODY: Caller = {
  actor: () => Promise.reject(new AppError('unauthenticated', 401, 'This route takes no session')),
};

type Method = 'get' | 'post' | 'patch' | 'delete';

interface RouteSpec<P extends z.ZodType, Q extends z.ZodType, B extends z.ZodType> {
  method: Method;
  /** OpenAPI style, relative to /api/v1: `/users/{id}` */
  path: string;
  tag: string;
  summary: string;
  /** false only for signup and login */
  auth?: boolean;
  /** Open to a session whose password must be changed first (changing it, signing out). */
  whilePasswordChangeDue?: boolean;
  params?: P;
  query?: Q;
  body?: B;
  idempotent?: boolean;
  success: {
    status: number;
    description: string;
    schema?: z.ZodType;
    /** application/json unless said (text/csv for an export). */
    contentType?: string;
  };
  errors?: number[];
}

const ERROR_TEXT: Record<number, string> = {
  400: 'Invalid input (problem+json with every field at fault)',
  401: 'Missing, expired or revoked session',
  403: 'Not allowed for this user (or a temporary password must be changed first)',
  404: 'Not found',
  409: 'Conflict',
  413: 'Body too large',
  415: 'Body is not application/json',
  422: 'Idempotency-Key reused with a different request',
  429: 'Too many attempts',
};

const passwordChangeDue = () =>
  new AppError(
    'password_change_required',
    403,
    'Change your temporary password first (POST /api/v1/me/password)',
  );

/** Routes without parameters or query still accept (and ignore) what clients send. */
const ANY_OBJECT = z.object({});

const IdempotencyKeySchema = z
  .string()
  .regex(/^[\x21-\x7e]{1,200}$/, 'must be 1–200 printable ASCII characters');

/**
 * Declare one endpoint: its schemas validate the request, type the handler and
 * document the operation in the OpenAPI registry — one source of truth.
 */
function defineRoute<
  P extends z.ZodType = z.ZodObject<Record<string, never>>,
  Q extends z.ZodType = z.ZodObject<Record<string, never>>,
  B extends z.ZodType = z.ZodUndefined,
>(
  router: Router,
  registry: OpenAPIRegistry,
  callerOf: CallerOf,
  spec: RouteSpec<P, Q, B>,
  run: (ctx: RouteContext<z.output<P>, z.output<Q>, z.output<B>>) => Promise<Reply>,
): void {
  const errorStatuses = [400, ...(spec.auth === false ? [] : [401]), ...(spec.errors ?? [])];
  if (spec.body) errorStatuses.push(413, 415);
  if (spec.idempotent) errorStatuses.push(422);
  registry.registerPath({
    method: spec.method,
    path: spec.path,
    tags: [spec.tag],
    summary: spec.summary,
    ...(spec.auth === false ? {} : { security: [{ bearer: [] }] }),
    request: {
      ...(spec.params ? { params: spec.params as unknown as z.ZodObject } : {}),
      ...(spec.query ? { query: spec.query as unknown as z.ZodObject } : {}),
      ...(spec.idempotent
        ? { headers: z.object({ 'Idempotency-Key': IdempotencyKeySchema.optional() }) }
        : {}),
      ...(spec.body
        ? { body: { content: { 'application/json': { schema: spec.body } }, required: true } }
        : {}),
    },
    responses: {
      [spec.success.status]: {
        description: spec.success.description,
        ...(spec.success.schema
          ? {
              content: {
                [spec.success.contentType ?? 'application/json']: { schema: spec.success.schema },
              },
            }
          : {}),
      },
      ...Object.fromEntries(
        [...new Set(errorStatuses)].map((status) => [
          status,
          {
            description: ERROR_TEXT[status] ?? 'Error',
            content: { 'application/problem+json': { schema: ProblemSchema } },
          },
        ]),
      ),
    },
  });

  // Built once per route: a schema built per request would be compiled per request.
  const paramsSchema = spec.params ?? ANY_OBJECT;
  const querySchema = spec.query ?? ANY_OBJECT;
  const expressPath = spec.path.replace(/\{(\w+)\}/g, ':$1');
  const template = `/api/v1${spec.path}`;
  const handlers: RequestHandler[] = [
    (_req, res, next) => {
      res.locals.route = template;
      next();
    },
  ];
  const checksSession = spec.auth !== false;
  const mayBeDue = spec.whilePasswordChangeDue === true;
  handlers.push(async (req: Request, res: Response) => {
    const caller = checksSession ? callerOf(req.get('authorization')) : NOBODY;
    // A write runs only for a caller whose session is good.
    if (checksSession && spec.method !== 'get') {
      req.actor = await caller.actor();
      if (req.actor.mustChangePassword && !mayBeDue) throw passwordChangeDue();
    }
    let outcome: { ok: true; reply: Reply } | { ok: false; error: unknown };
    try {
      const header = req.get('idempotency-key');
      const reply = await run({
        params: parse(paramsSchema, req.params) as z.output<P>,
        query: parse(querySchema, req.query) as z.output<Q>,
        body: (spec.body ? parse(spec.body, req.body ?? {}) : undefined) as z.output<B>,
        caller,
        requestId: req.id,
        clientAddress: req.ip ?? '',
        idempotencyKey: spec.idempotent && header !== undefined ? parseKey(header) : undefined,
      });
      outcome = { ok: true, reply };
    } catch (error) {
      outcome = { ok: false, error };
    }
    // Nothing is answered, data or error, before the session is known to be good: a
    // caller without one hears 401 first. A read that carried the session check
    // (auth/session.ts, sessionRead) has settled this already; else it is looked up now.
    if (checksSession) {
      req.actor = await caller.actor();
      if (req.actor.mustChangePassword && !mayBeDue) throw passwordChangeDue();
    }
    if (!outcome.ok) throw outcome.error;
    send(res, outcome.reply);
  });
  router[spec.method](expressPath, ...handlers);
}

function parseKey(header: string): string {
  const result = IdempotencyKeySchema.safeParse(header);
  if (!result.success) {
    throw new AppError('validation_failed', 400, 'The request has invalid fields', [
      { field: 'Idempotency-Key', message: result.error.issues[0]?.message ?? 'invalid' },
    ]);
  }
  return result.data;
}

/**
 * Writes the reply. The JSON goes out as a string with its byte length: express's
 * `res.json` would copy it into a Buffer first, on every response.
 */
function send(res: Response, reply: Reply): void {
  if (res.headersSent) return;
  for (const [name, value] of Object.entries(reply.headers ?? {})) res.setHeader(name, value);
  res.statusCode = reply.status;
  if (reply.stream) {
    // The status goes out now, before the first row is read (and before the request's
    // deadline); a failure after that can only cut the body, which the client sees.
    res.flushHeaders();
    pipeline(reply.stream, res).catch(() => res.destroy());
    return;
  }
  if (reply.body === undefined) {
    res.end();
    return;
  }
  const json = JSON.stringify(reply.body);
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.setHeader('Content-Length', Buffer.byteLength(json));
  res.end(json);
}

/** Registers one endpoint: its handler and its OpenAPI operation. */
export type DefineRoute = <
  P extends z.ZodType = z.ZodObject<Record<string, never>>,
  Q extends z.ZodType = z.ZodObject<Record<string, never>>,
  B extends z.ZodType = z.ZodUndefined,
>(
  spec: RouteSpec<P, Q, B>,
  handler: (ctx: RouteContext<z.output<P>, z.output<Q>, z.output<B>>) => Promise<Reply>,
) => void;

/**
 * One router for every API endpoint, so a request is matched against a flat list
 * of routes instead of entering one nested router per feature.
 */
export function createRouter(
  registry: OpenAPIRegistry,
  callerOf: CallerOf,
): { router: Router; route: DefineRoute } {
  const router = ExpressRouter(ROUTING);
  const route: DefineRoute = (spec, run) => defineRoute(router, registry, callerOf, spec, run);
  return { router, route };
}
