import {
  Router as ExpressRouter,
  type Request,
  type RequestHandler,
  type Response,
  type Router,
} from 'express';
import { z } from 'zod';
import { AppError } from '../errors';
import type { AuthenticatedUser, SessionAuthenticator } from '../auth/session';
import { type OpenAPIRegistry, ProblemSchema } from './openapi';
import { parse } from './validate';

export interface Reply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export interface RouteContext<P, Q, B> {
  params: P;
  query: Q;
  body: B;
  actor: AuthenticatedUser;
  requestId: string;
  idempotencyKey: string | undefined;
}

/**
 * For a route that reads the caller's session in the same statement as its data:
 * the hash of the bearer token to look it up by, and the check to run on what was
 * found before anything is used or sent (401 when it is missing or expired).
 */
export interface SessionInRead<P, Q> {
  params: P;
  query: Q;
  tokenHash: string;
  accept: SessionAuthenticator['accept'];
  /** The plain lookup, for a branch of the handler that does not read the session itself. */
  authenticate: () => Promise<AuthenticatedUser>;
}

type Method = 'get' | 'post' | 'patch' | 'delete';

interface RouteSpec<P extends z.ZodType, Q extends z.ZodType, B extends z.ZodType> {
  method: Method;
  /** OpenAPI style, relative to /api/v1: `/users/{id}` */
  path: string;
  tag: string;
  summary: string;
  /** false only for signup and login */
  auth?: boolean;
  params?: P;
  query?: Q;
  body?: B;
  idempotent?: boolean;
  success: { status: number; description: string; schema?: z.ZodType };
  errors?: number[];
}

const ERROR_TEXT: Record<number, string> = {
  400: 'Invalid input (problem+json with every field at fault)',
  401: 'Missing, expired or revoked session',
  403: 'Not allowed for this user',
  404: 'Not found',
  409: 'Conflict',
  413: 'Body too large',
  415: 'Body is not application/json',
  422: 'Idempotency-Key reused with a different request',
  429: 'Too many attempts',
};

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
  authenticator: SessionAuthenticator,
  spec: RouteSpec<P, Q, B>,
  handler:
    | {
        kind: 'actor';
        run: (ctx: RouteContext<z.output<P>, z.output<Q>, z.output<B>>) => Promise<Reply>;
      }
    | {
        kind: 'session-in-read';
        run: (ctx: SessionInRead<z.output<P>, z.output<Q>>) => Promise<Reply>;
      },
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
          ? { content: { 'application/json': { schema: spec.success.schema } } }
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
  if (handler.kind === 'session-in-read') {
    const run = handler.run;
    handlers.push(async (req: Request, res: Response) => {
      const tokenHash = authenticator.tokenHashOf(req);
      let params: z.output<P>;
      let query: z.output<Q>;
      try {
        params = parse(paramsSchema, req.params) as z.output<P>;
        query = parse(querySchema, req.query) as z.output<Q>;
      } catch (error) {
        // A caller without a valid session hears 401 before any word on its input.
        req.actor = await authenticator.authenticate(tokenHash);
        throw error;
      }
      const reply = await run({
        params,
        query,
        tokenHash,
        // req.actor too, so the request's log line names the user.
        accept: async (session) => (req.actor = await authenticator.accept(session)),
        authenticate: async () => (req.actor = await authenticator.authenticate(tokenHash)),
      });
      // Every branch of a handler must have checked the session; one that forgot is a bug,
      // and it must not answer with data.
      if (!req.actor) throw new Error(`${template}: reply built without a session check`);
      send(res, reply);
    });
    router[spec.method](expressPath, ...handlers);
    return;
  }
  const run = handler.run;
  if (spec.auth !== false) handlers.push(authenticator.middleware);
  handlers.push(async (req: Request, res: Response) => {
    const header = req.get('idempotency-key');
    const reply = await run({
      params: parse(paramsSchema, req.params) as z.output<P>,
      query: parse(querySchema, req.query) as z.output<Q>,
      body: (spec.body ? parse(spec.body, req.body ?? {}) : undefined) as z.output<B>,
      actor: req.actor as AuthenticatedUser,
      requestId: req.id,
      idempotencyKey: spec.idempotent && header !== undefined ? parseKey(header) : undefined,
    });
    send(res, reply);
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
 * Registers a GET endpoint that reads the caller's session in the same statement as
 * its data (one round trip instead of two on the hottest pages). Its handler must
 * pass what it found to `accept` before it uses the data.
 */
export type DefineSessionInReadRoute = <
  P extends z.ZodType = z.ZodObject<Record<string, never>>,
  Q extends z.ZodType = z.ZodObject<Record<string, never>>,
>(
  spec: Omit<RouteSpec<P, Q, z.ZodUndefined>, 'auth' | 'body' | 'idempotent'> & { method: 'get' },
  handler: (ctx: SessionInRead<z.output<P>, z.output<Q>>) => Promise<Reply>,
) => void;

/**
 * One router for every API endpoint, so a request is matched against a flat list
 * of routes instead of entering one nested router per feature.
 */
export function createRouter(
  registry: OpenAPIRegistry,
  authenticator: SessionAuthenticator,
): { router: Router; route: DefineRoute; routeWithSessionInRead: DefineSessionInReadRoute } {
  const router = ExpressRouter();
  const route: DefineRoute = (spec, run) =>
    defineRoute(router, registry, authenticator, spec, { kind: 'actor', run });
  const routeWithSessionInRead: DefineSessionInReadRoute = (spec, run) =>
    defineRoute(router, registry, authenticator, spec, { kind: 'session-in-read', run });
  return { router, route, routeWithSessionInRead };
}
