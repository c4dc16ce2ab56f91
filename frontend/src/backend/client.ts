import http from 'node:http';
import https from 'node:https';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Metrics } from '../metrics';
import { CircuitBreaker, type BreakerState } from './breaker';
import { BackendProblem, BackendUnavailable, type FieldError } from './errors';

export interface BackendClientOptions {
  baseUrl: string;
  attemptTimeoutMs: number;
  keepAliveMs: number;
  maxSockets: number;
  breakerFailureThreshold: number;
  breakerCooldownMs: number;
  metrics: Metrics;
}

/** Who is calling and by when the page must be answered. */
export interface CallContext {
  requestId: string;
  /** W3C trace context sent on, so the backend's log line joins this request's trace. */
  traceparent?: string;
  token?: string;
  /** Epoch milliseconds after which no attempt may still be running. */
  deadline: number;
}

export interface BackendCall {
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  path: string;
  query?: Record<string, string | number | undefined>;
  body?: unknown;
  idempotencyKey?: string;
}

export interface BackendClient {
  call<T>(ctx: CallContext, call: BackendCall): Promise<T>;
  readonly breakerState: BreakerState;
  close(): void;
}

interface Response {
  status: number;
  headers: http.IncomingHttpHeaders;
  /** Parsed JSON when the backend said JSON, else the text. */
  data: unknown;
}

type Attempt =
  | { kind: 'response'; response: Response }
  | { kind: 'error'; outcome: 'timeout' | 'connect_error' | 'reset' | 'error'; retryable: boolean };

/** An attempt that ran out of time; `send` destroys the request with it. */
class AttemptTimeout extends Error {
  override name = 'AttemptTimeout';
}

/** A failed request, with whether it went out on a reused keep-alive socket. */
class SendError extends Error {
  constructor(
    readonly error: Error,
    readonly reusedSocket: boolean,
  ) {
    super(error.message, { cause: error });
  }
}

const CONNECT_ERRORS = new Set(['ECONNREFUSED', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN']);
const UNAVAILABLE_STATUSES = new Set([502, 503, 504]);
const MIN_ATTEMPT_MS = 50;

/**
 * Retries may add at most ~10 % load: every call earns a tenth of a token, every
 * retry spends one, so a failing backend is not hammered twice as hard.
 */
class RetryBudget {
  private tokens = 10;
  earn(): void {
    this.tokens = Math.min(10, this.tokens + 0.1);
  }
  spend(): boolean {
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
}

function classify(err: unknown): Attempt {
  if (!(err instanceof SendError)) return { kind: 'error', outcome: 'error', retryable: false };
  const code = (err.error as NodeJS.ErrnoException).code ?? '';
  if (err.error instanceof AttemptTimeout || code === 'ETIMEDOUT') {
    return { kind: 'error', outcome: 'timeout', retryable: false };
  }
  if (CONNECT_ERRORS.has(code)) return { kind: 'error', outcome: 'connect_error', retryable: true };
  if (code === 'ECONNRESET' || code === 'EPIPE') {
    // Only a reused keep-alive socket closed by the server under our feet is safe to
    // retry: the request was most likely never read (Node docs, request.reusedSocket).
    return { kind: 'error', outcome: 'reset', retryable: err.reusedSocket };
  }
  return { kind: 'error', outcome: 'error', retryable: false };
}

function parseBody(text: string, contentType: string | undefined): unknown {
  if (text === '' || !contentType?.includes('json')) return text;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/**
 * One HTTP exchange on the keep-alive agent, bounded by `timeoutMs` from the first
 * byte sent to the last byte read. node:http directly: the pages make one or two
 * backend calls each, and a general-purpose client's per-call work showed in profiles.
 */
function send(
  agent: http.Agent,
  url: URL,
  method: string,
  headers: http.OutgoingHttpHeaders,
  body: string | undefined,
  timeoutMs: number,
): Promise<Response> {
  return new Promise((resolve, reject) => {
    const request = (url.protocol === 'https:' ? https : http).request(url, {
      method,
      headers,
      agent,
    });
    const fail = (error: Error) => {
      clearTimeout(timer);
      reject(new SendError(error, request.reusedSocket));
    };
    // Settle first, then tear down: whatever the destroyed request emits next is moot.
    const timer = setTimeout(() => {
      const timeout = new AttemptTimeout(`no answer within ${timeoutMs} ms`);
      fail(timeout);
      request.destroy(timeout);
    }, timeoutMs);
    request.on('error', fail);
    request.on('response', (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('error', fail);
      response.on('end', () => {
        clearTimeout(timer);
        const text = chunks.length === 1 ? chunks[0].toString() : Buffer.concat(chunks).toString();
        resolve({
          status: response.statusCode ?? 0,
          headers: response.headers,
          data: parseBody(text, response.headers['content-type']),
        });
      });
    });
    request.end(body);
  });
}

function outcomeOf(status: number): string {
  if (status === 503) return 'unavailable';
  if (status >= 500) return 'server_error';
  if (status >= 400) return 'client_error';
  return 'ok';
}

function toProblem(response: Response): BackendProblem {
  const body = (typeof response.data === 'object' && response.data) || {};
  const problem = body as { code?: unknown; detail?: unknown; title?: unknown; errors?: unknown };
  const errors: FieldError[] = Array.isArray(problem.errors)
    ? (problem.errors as unknown[]).flatMap((e) => {
        const { field, message } = (e ?? {}) as { field?: unknown; message?: unknown };
        return typeof field === 'string' && typeof message === 'string' ? [{ field, message }] : [];
      })
    : [];
  const code = typeof problem.code === 'string' ? problem.code : `http_${response.status}`;
  const detail = [problem.detail, problem.title].find((v): v is string => typeof v === 'string');
  const retryAfter = Number(response.headers['retry-after']);
  return new BackendProblem(
    response.status,
    code,
    detail ?? `backend answered ${response.status}`,
    errors,
    Number.isFinite(retryAfter) ? retryAfter : undefined,
  );
}

/** The one module that talks HTTP to the backend; pages only see typed functions. */
export function createBackendClient(options: BackendClientOptions): BackendClient {
  const { metrics } = options;
  const agentOptions = {
    keepAlive: true,
    // Must stay below the backend's keepAliveTimeout (5 s): we drop idle sockets first.
    timeout: options.keepAliveMs,
    maxSockets: options.maxSockets,
    scheduling: 'lifo' as const,
  };
  const base = new URL(`${options.baseUrl.replace(/\/+$/, '')}/api/v1`);
  const agent =
    base.protocol === 'https:' ? new https.Agent(agentOptions) : new http.Agent(agentOptions);
  const breaker = new CircuitBreaker({
    failureThreshold: options.breakerFailureThreshold,
    cooldownMs: options.breakerCooldownMs,
    onStateChange: (state) =>
      metrics.breakerState.set(state === 'closed' ? 0 : state === 'open' ? 1 : 2),
  });
  metrics.breakerState.set(0);
  const budget = new RetryBudget();

  const unavailable = (reason: string) =>
    new BackendUnavailable(reason, Math.max(1, Math.ceil(breaker.retryAfterMs() / 1000)));

  const urlOf = (call: BackendCall): URL => {
    const url = new URL(base.href + call.path);
    for (const [name, value] of Object.entries(call.query ?? {})) {
      if (value !== undefined) url.searchParams.append(name, String(value));
    }
    return url;
  };

  async function attempt(ctx: CallContext, call: BackendCall, timeout: number): Promise<Attempt> {
    const started = process.hrtime.bigint();
    const headers: http.OutgoingHttpHeaders = {
      accept: 'application/json',
      'x-request-id': ctx.requestId,
    };
    if (ctx.traceparent) headers.traceparent = ctx.traceparent;
    if (ctx.token) headers.authorization = `Bearer ${ctx.token}`;
    if (call.idempotencyKey) headers['idempotency-key'] = call.idempotencyKey;
    const body = call.body === undefined ? undefined : JSON.stringify(call.body);
    if (body !== undefined) {
      headers['content-type'] = 'application/json';
      headers['content-length'] = Buffer.byteLength(body);
    } else if (call.method !== 'GET') {
      headers['content-length'] = 0;
    }
    let result: Attempt;
    try {
      const response = await send(agent, urlOf(call), call.method, headers, body, timeout);
      result = { kind: 'response', response };
    } catch (err) {
      result = classify(err);
    }
    const outcome = result.kind === 'response' ? outcomeOf(result.response.status) : result.outcome;
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    metrics.backendRequests.inc({ outcome });
    metrics.backendDuration.observe({ outcome }, seconds);
    const failed = result.kind === 'error' || UNAVAILABLE_STATUSES.has(result.response.status);
    if (failed) breaker.onFailure();
    else breaker.onSuccess();
    return result;
  }

  async function call<T>(ctx: CallContext, call: BackendCall): Promise<T> {
    budget.earn();
    const mayRetry = call.method === 'GET' || call.idempotencyKey !== undefined;
    let result: Attempt | undefined;
    for (let attemptNo = 1; attemptNo <= 2; attemptNo += 1) {
      if (attemptNo === 2) {
        const retryable =
          result?.kind === 'error' ? result.retryable : result?.response.status === 503;
        if (!mayRetry || !retryable || !budget.spend()) break;
        const backoff = 50 + Math.random() * 100;
        if (ctx.deadline - Date.now() < backoff + MIN_ATTEMPT_MS) break;
        await sleep(backoff);
      }
      const remaining = ctx.deadline - Date.now();
      if (remaining < MIN_ATTEMPT_MS) throw unavailable('deadline');
      if (!breaker.tryAcquire()) {
        metrics.backendRequests.inc({ outcome: 'breaker_open' });
        throw unavailable('circuit open');
      }
      result = await attempt(ctx, call, Math.min(options.attemptTimeoutMs, remaining));
      if (result.kind === 'response' && result.response.status !== 503) break;
    }
    if (!result || result.kind === 'error') throw unavailable(result?.outcome ?? 'no attempt');
    const { response } = result;
    if (response.status >= 200 && response.status < 300) return response.data as T;
    if (UNAVAILABLE_STATUSES.has(response.status)) {
      const problem = toProblem(response);
      throw new BackendUnavailable(`status ${response.status}`, problem.retryAfterSeconds ?? 1);
    }
    throw toProblem(response);
  }

  return {
    call,
    get breakerState() {
      return breaker.current;
    },
    close() {
      agent.destroy();
    },
  };
}
