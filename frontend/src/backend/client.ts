import http from 'node:http';
import https from 'node:https';
import { setTimeout as sleep } from 'node:timers/promises';
import axios, { AxiosError, type AxiosInstance, type AxiosResponse } from 'axios';
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

type Attempt =
  | { kind: 'response'; response: AxiosResponse<unknown> }
  | { kind: 'error'; outcome: 'timeout' | 'connect_error' | 'reset' | 'error'; retryable: boolean };

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
  if (!(err instanceof AxiosError)) return { kind: 'error', outcome: 'error', retryable: false };
  const cause: unknown = err.cause;
  const causeCode =
    typeof cause === 'object' && cause !== null && 'code' in cause ? String(cause.code) : undefined;
  const code = causeCode ?? err.code ?? '';
  if (code === 'ECONNABORTED' || code === 'ETIMEDOUT' || code === 'ERR_CANCELED') {
    return { kind: 'error', outcome: 'timeout', retryable: false };
  }
  if (CONNECT_ERRORS.has(code)) return { kind: 'error', outcome: 'connect_error', retryable: true };
  if (code === 'ECONNRESET' || code === 'EPIPE') {
    // Only a reused keep-alive socket closed by the server under our feet is safe to
    // retry: the request was most likely never read (Node docs, request.reusedSocket).
    const req = err.request as http.ClientRequest | undefined;
    return { kind: 'error', outcome: 'reset', retryable: req?.reusedSocket === true };
  }
  return { kind: 'error', outcome: 'error', retryable: false };
}

function outcomeOf(status: number): string {
  if (status === 503) return 'unavailable';
  if (status >= 500) return 'server_error';
  if (status >= 400) return 'client_error';
  return 'ok';
}

function toProblem(response: AxiosResponse<unknown>): BackendProblem {
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
  const httpAgent = new http.Agent(agentOptions);
  const httpsAgent = new https.Agent(agentOptions);
  const axiosInstance: AxiosInstance = axios.create({
    baseURL: `${options.baseUrl}/api/v1`,
    httpAgent,
    httpsAgent,
    maxRedirects: 0,
    proxy: false,
    validateStatus: () => true,
    transitional: { clarifyTimeoutError: true },
  });
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

  async function attempt(ctx: CallContext, call: BackendCall, timeout: number): Promise<Attempt> {
    const started = process.hrtime.bigint();
    const headers: Record<string, string> = { 'X-Request-Id': ctx.requestId };
    if (ctx.traceparent) headers.traceparent = ctx.traceparent;
    if (ctx.token) headers.Authorization = `Bearer ${ctx.token}`;
    if (call.idempotencyKey) headers['Idempotency-Key'] = call.idempotencyKey;
    let result: Attempt;
    try {
      const response = await axiosInstance.request<unknown>({
        method: call.method,
        url: call.path,
        params: call.query,
        data: call.body,
        headers,
        timeout,
        signal: AbortSignal.timeout(timeout + 10),
      });
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
      httpAgent.destroy();
      httpsAgent.destroy();
    },
  };
}
