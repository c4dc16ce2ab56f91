import { isAxiosError, isCancel, type AxiosResponse } from 'axios';
import {
  BrokenCircuitError,
  CircuitState,
  circuitBreaker,
  ConsecutiveBreaker,
  ExponentialBackoff,
  halfJitterGenerator,
  handleAll,
  handleWhen,
  retry,
  timeout,
  TimeoutStrategy,
} from 'cockatiel';
import type { Readable } from 'node:stream';
import type { Metrics } from '../metrics';
import { BackendProblem, BackendUnavailable, type FieldError } from './errors';
import { createHttp, jsonOrText } from './http';

export interface BackendClientOptions {
  baseUrl: string;
  attemptTimeoutMs: number;
  keepAliveMs: number;
  maxSockets: number;
  /** Sockets for downloads, apart from the pages'. */
  maxStreamSockets: number;
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
  /** The visitor's address, sent as X-Forwarded-For: the backend throttles sign-ins by it. */
  clientAddress?: string;
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

export type BreakerState = 'closed' | 'open' | 'half-open';

export interface BackendClient {
  call<T>(ctx: CallContext, call: BackendCall): Promise<T>;
  /**
   * A GET whose body is read as it arrives (a download), once the backend has said 2xx;
   * a refusal throws as `call` does. Destroy the stream to stop it.
   */
  stream(ctx: CallContext, call: Omit<BackendCall, 'method' | 'body'>): Promise<Readable>;
  readonly breakerState: BreakerState;
  close(): void;
}

const CONNECT_ERRORS = new Set(['ECONNREFUSED', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN']);
const UNAVAILABLE_STATUSES = new Set([502, 503, 504]);
const MIN_ATTEMPT_MS = 50;
const STATES: Record<CircuitState, BreakerState> = {
  [CircuitState.Closed]: 'closed',
  [CircuitState.Open]: 'open',
  [CircuitState.HalfOpen]: 'half-open',
  [CircuitState.Isolated]: 'open',
};

/** The breaker-state gauge's values. */
const GAUGE: Record<BreakerState, number> = { closed: 0, open: 1, 'half-open': 2 };

const statusOf = (result: unknown) => (result as AxiosResponse).status;

/** Why an attempt failed, as the metrics and the retry rule name it. */
function outcomeOfError(err: unknown): 'timeout' | 'connect_error' | 'reset' | 'error' {
  if (isCancel(err)) return 'timeout';
  if (!isAxiosError(err)) return 'error';
  if (err.code === 'ETIMEDOUT') return 'timeout';
  if (CONNECT_ERRORS.has(err.code ?? '')) return 'connect_error';
  if (err.code === 'ECONNRESET' || err.code === 'EPIPE') return 'reset';
  return 'error';
}

function outcomeOfStatus(status: number): string {
  if (status === 503) return 'unavailable';
  if (status >= 500) return 'server_error';
  if (status >= 400) return 'client_error';
  return 'ok';
}

/**
 * A connection that never opened is safe to retry; so is a reused keep-alive socket
 * that the server closed under our feet, as the request was most likely never read
 * (Node docs, request.reusedSocket). A timeout is not: the backend may still be working.
 */
function retryableError(err: Error): boolean {
  const outcome = outcomeOfError(err);
  if (outcome === 'connect_error') return true;
  const request = isAxiosError(err) ? (err.request as { reusedSocket?: boolean }) : undefined;
  return outcome === 'reset' && request?.reusedSocket === true;
}

function toProblem(response: AxiosResponse<unknown>, data: unknown): BackendProblem {
  const body = (typeof data === 'object' && data) || {};
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

/** What every call tells the backend about the request it serves. */
function headersOf(ctx: CallContext): Record<string, string> {
  const headers: Record<string, string> = { 'X-Request-Id': ctx.requestId };
  if (ctx.traceparent) headers.traceparent = ctx.traceparent;
  if (ctx.token) headers.Authorization = `Bearer ${ctx.token}`;
  if (ctx.clientAddress) headers['X-Forwarded-For'] = ctx.clientAddress;
  return headers;
}

function pathOf(call: BackendCall): string {
  if (!call.query) return call.path;
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(call.query)) {
    if (value !== undefined) params.append(name, String(value));
  }
  const query = params.toString();
  return query === '' ? call.path : `${call.path}?${query}`;
}

/**
 * The one module that talks to the backend; pages only see typed functions. The
 * exchange is axios (./http.ts); the attempt timeout, the single retry and the circuit
 * breaker are cockatiel policies around it.
 */
export function createBackendClient(options: BackendClientOptions): BackendClient {
  const { metrics } = options;
  const http = createHttp({
    baseUrl: `${options.baseUrl.replace(/\/+$/, '')}/api/v1`,
    // Must stay below the backend's keepAliveTimeout (5 s): we drop idle sockets first.
    keepAliveMs: options.keepAliveMs,
    maxSockets: options.maxSockets,
    maxStreamSockets: options.maxStreamSockets,
  });

  // Retries may add at most ~10 % load: every call earns a tenth of a token, every
  // retry spends one, so a failing backend is not hammered twice as hard.
  let retryTokens = 10;
  const spendRetryToken = () => retryTokens >= 1 && (retryTokens -= 1) >= 0;

  const breaker = circuitBreaker(
    handleAll.orWhenResult((r) => UNAVAILABLE_STATUSES.has(statusOf(r))),
    {
      halfOpenAfter: options.breakerCooldownMs,
      breaker: new ConsecutiveBreaker(options.breakerFailureThreshold),
    },
  );
  let openedAt = 0;
  breaker.onBreak(() => (openedAt = Date.now()));
  breaker.onStateChange((state) => metrics.breakerState.set(GAUGE[STATES[state]]));
  metrics.breakerState.set(0);
  // Cooperative: the adapter ends the exchange as soon as the signal fires, so there is
  // no need to race it, and nothing to abort once an answer is in.
  const attemptTimeout = timeout(options.attemptTimeoutMs, {
    strategy: TimeoutStrategy.Cooperative,
    abortOnReturn: false,
  });
  const retryOnce = retry(
    handleWhen((err) => retryableError(err) && spendRetryToken()).orWhenResult(
      (r) => statusOf(r) === 503 && spendRetryToken(),
    ),
    {
      maxAttempts: 1,
      // 75–150 ms, so three frontends do not retry in step.
      backoff: new ExponentialBackoff({
        initialDelay: 150,
        maxDelay: 150,
        generator: halfJitterGenerator,
      }),
    },
  );

  const unavailable = (reason: string) =>
    new BackendUnavailable(
      reason,
      Math.max(1, Math.ceil((openedAt + options.breakerCooldownMs - Date.now()) / 1000)),
    );

  /** One request through the breaker and the attempt timeout, measured. */
  function once(ctx: CallContext, call: BackendCall, signal?: AbortSignal) {
    if (Date.now() + MIN_ATTEMPT_MS > ctx.deadline) throw unavailable('deadline');
    // While the single trial call of a half-open circuit is out, refuse at once rather
    // than queue behind it.
    if (breaker.state === CircuitState.HalfOpen) throw new BrokenCircuitError();
    const headers = headersOf(ctx);
    if (call.idempotencyKey) headers['Idempotency-Key'] = call.idempotencyKey;
    if (call.body !== undefined) headers['Content-Type'] = 'application/json';
    // The two policies nested by hand, in `wrap`'s order (the breaker counts what the
    // timeout ends), as `wrap` spreads a context object per layer per call. The timeout
    // derives its signal from the caller's, not the breaker's stand-in for none: that
    // would be one more abort listener added and removed per attempt.
    const attempt = async ({ signal: attemptSignal }: { signal: AbortSignal }) => {
      const started = process.hrtime.bigint();
      let outcome = 'error';
      try {
        const response = await http.instance.request({
          method: call.method,
          url: pathOf(call),
          data: call.body === undefined ? undefined : JSON.stringify(call.body),
          headers,
          signal: attemptSignal,
        });
        outcome = outcomeOfStatus(response.status);
        return response;
      } catch (err) {
        outcome = outcomeOfError(err);
        throw err;
      } finally {
        const seconds = Number(process.hrtime.bigint() - started) / 1e9;
        metrics.backendRequests.inc({ outcome });
        metrics.backendDuration.observe({ outcome }, seconds);
      }
    };
    return breaker.execute(() => attemptTimeout.execute(attempt, signal), signal);
  }

  async function call<T>(ctx: CallContext, call: BackendCall): Promise<T> {
    retryTokens = Math.min(10, retryTokens + 0.1);
    const remaining = ctx.deadline - Date.now();
    // The page's deadline cuts the attempt short when it comes before the attempt's own.
    const signal =
      remaining < options.attemptTimeoutMs
        ? AbortSignal.timeout(Math.max(1, remaining))
        : undefined;
    const mayRetry = call.method === 'GET' || call.idempotencyKey !== undefined;
    let response: AxiosResponse;
    try {
      response = mayRetry
        ? await retryOnce.execute(() => once(ctx, call, signal), signal)
        : await once(ctx, call, signal);
    } catch (err) {
      if (err instanceof BackendUnavailable) throw err;
      if (err instanceof BrokenCircuitError) {
        metrics.backendRequests.inc({ outcome: 'breaker_open' });
        throw unavailable('circuit open');
      }
      throw unavailable(outcomeOfError(err));
    }
    const data = jsonOrText(response);
    if (response.status >= 200 && response.status < 300) return data as T;
    if (UNAVAILABLE_STATUSES.has(response.status)) {
      const problem = toProblem(response, data);
      throw new BackendUnavailable(`status ${response.status}`, problem.retryAfterSeconds ?? 1);
    }
    throw toProblem(response, data);
  }

  /**
   * Through the breaker (a down backend is refused at once), never retried: the page's
   * deadline bounds the wait for the status, not the body.
   */
  async function stream(ctx: CallContext, request: Omit<BackendCall, 'method' | 'body'>) {
    if (breaker.state === CircuitState.HalfOpen) throw unavailable('circuit open');
    const headers = headersOf(ctx);
    let response: AxiosResponse<Readable>;
    try {
      response = await breaker.execute(() =>
        http.instance.request<Readable>({
          method: 'GET',
          url: pathOf({ ...request, method: 'GET' }),
          headers,
          responseType: 'stream',
          signal: AbortSignal.timeout(Math.max(1, ctx.deadline - Date.now())),
        }),
      );
    } catch (err) {
      const outcome = err instanceof BrokenCircuitError ? 'breaker_open' : outcomeOfError(err);
      metrics.backendRequests.inc({ outcome });
      throw unavailable(outcome === 'breaker_open' ? 'circuit open' : outcome);
    }
    metrics.backendRequests.inc({ outcome: outcomeOfStatus(response.status) });
    if (response.status >= 200 && response.status < 300) return response.data;
    // A refusal is small problem+json: read it whole and answer as `call` would.
    const chunks: Buffer[] = [];
    for await (const chunk of response.data) chunks.push(chunk as Buffer);
    let data: unknown;
    try {
      data = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    } catch {
      data = undefined;
    }
    if (UNAVAILABLE_STATUSES.has(response.status))
      throw new BackendUnavailable(`status ${response.status}`, 1);
    throw toProblem(response, data);
  }

  return {
    call,
    stream,
    get breakerState() {
      return STATES[breaker.state];
    },
    close() {
      http.close();
    },
  };
}
