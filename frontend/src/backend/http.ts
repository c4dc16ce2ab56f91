import http from 'node:http';
import https from 'node:https';
import { urlToHttpOptions } from 'node:url';
import axios, {
  AxiosError,
  AxiosHeaders,
  CanceledError,
  type Axios,
  type AxiosAdapter,
  type AxiosResponse,
  type InternalAxiosRequestConfig,
} from 'axios';

export interface HttpOptions {
  /** The API's root, e.g. http://backend:4000/api/v1. */
  baseUrl: string;
  /** Idle keep-alive sockets are dropped after this; it must stay below the backend's. */
  keepAliveMs: number;
  maxSockets: number;
  /** Sockets for streamed responses (`responseType: 'stream'`), apart from the pages'. */
  maxStreamSockets: number;
}

/**
 * The body as JSON when the backend says it is JSON, else the text as it came. The
 * client reads it, not an axios response transform: axios normalises the response
 * headers again for every transform it runs.
 */
export function jsonOrText(response: {
  data: unknown;
  headers: AxiosResponse['headers'];
}): unknown {
  const { data } = response;
  if (typeof data !== 'string' || data === '') return data;
  if (!String(response.headers['content-type'] ?? '').includes('json')) return data;
  try {
    return JSON.parse(data) as unknown;
  } catch {
    return data;
  }
}

/**
 * One exchange on a keep-alive agent, for axios's `adapter` option: axios still
 * builds the config, runs the transforms and interceptors and shapes the response and
 * its errors. Its stock http adapter does far more per request than a call between two
 * of our services needs (a TCP keep-alive syscall on every request, redirect and proxy
 * handling, progress streams); measured in docs/performance.md. The caller's abort
 * signal ends the exchange at any point, the body included, except for a streamed
 * response: that is answered at its headers, and its body read by the caller.
 *
 * Every status is answered, not rejected: the client maps them (axios's
 * `validateStatus` is applied by its own adapters, not by axios around them). The
 * headers come back as `AxiosHeaders`, which axios would otherwise build from the plain
 * object twice per response.
 */
function nodeHttpAdapter(pages: http.Agent, streams: http.Agent): AxiosAdapter {
  const transport = pages instanceof https.Agent ? https : http;
  // The base URL is parsed once, not with every request's URL; node:url turns it into
  // request options as http.request would (an IPv6 host loses its brackets).
  let base: { href: string; options: http.RequestOptions; path: string } | undefined;
  const parsed = (href: string) => {
    if (base?.href !== href) {
      const url = new URL(href);
      base = { href, options: urlToHttpOptions(url), path: url.pathname.replace(/\/$/, '') };
    }
    return base;
  };
  return (config: InternalAxiosRequestConfig) =>
    new Promise((resolve, reject) => {
      const { signal } = config;
      const streaming = config.responseType === 'stream';
      const target = parsed(config.baseURL ?? '');
      const request = transport.request({
        ...target.options,
        path: `${target.path}${config.url ?? ''}`,
        method: config.method?.toUpperCase(),
        headers: config.headers.toJSON(true) as http.OutgoingHttpHeaders,
        agent: streaming ? streams : pages,
      });
      let settled = false;
      const fail = (error: Error) => {
        if (settled) return;
        settled = true;
        signal?.removeEventListener?.('abort', onAbort);
        reject(AxiosError.from(error, (error as NodeJS.ErrnoException).code, config, request));
      };
      const onAbort = () => {
        const canceled = new CanceledError('the exchange was cut off', config, request);
        fail(canceled);
        request.destroy(canceled);
      };
      if (signal?.aborted) return onAbort();
      signal?.addEventListener?.('abort', onAbort);
      request.on('error', fail);
      request.on('response', (response) => {
        const answer = {
          status: response.statusCode ?? 0,
          statusText: response.statusMessage ?? '',
          headers: new AxiosHeaders(response.headers as Record<string, string | string[]>),
          config,
          request,
        };
        if (streaming) {
          // The body is the caller's to read (and destroy); the signal bounded the wait
          // for the status and headers only.
          settled = true;
          signal?.removeEventListener?.('abort', onAbort);
          return resolve({ ...answer, data: response });
        }
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('error', fail);
        response.on('end', () => {
          if (settled) return;
          settled = true;
          signal?.removeEventListener?.('abort', onAbort);
          const body = chunks.length === 1 ? chunks[0] : Buffer.concat(chunks);
          resolve({ ...answer, data: body.toString('utf8') });
        });
      });
      request.end(config.data as string | undefined);
    });
}

/**
 * The one axios instance that talks to the backend: a keep-alive agent, JSON only,
 * every status handed back (the client maps them); the adapter follows no redirect and
 * uses no proxy. Timeouts come from the caller's abort signal, which bounds the whole
 * exchange. A body is text unless the call asks for `responseType: 'stream'`.
 *
 * Lean on purpose, as axios's own work is most of a call's cost in the frontend
 * (docs/performance.md):
 * - Built from axios's `Axios` class, not `axios.create()`, which layers these defaults
 *   over axios's global ones: every request then deep-merged those too (per-method
 *   header buckets, the form-data environment, transitional flags).
 * - No transforms: each default is one more key merged per request, and each response
 *   transform normalises the headers again. Bodies go out as JSON text (see the
 *   client) and come back as text, which the client parses with `jsonOrText`.
 */
export function createHttp(options: HttpOptions): { instance: Axios; close(): void } {
  const agentOptions = {
    keepAlive: true,
    timeout: options.keepAliveMs,
    maxSockets: options.maxSockets,
    scheduling: 'lifo' as const,
  };
  const Agent = options.baseUrl.startsWith('https:') ? https.Agent : http.Agent;
  const agent = new Agent(agentOptions);
  // A long download never holds a socket the pages need.
  const streams = new Agent({ ...agentOptions, maxSockets: options.maxStreamSockets });
  const instance = new axios.Axios({
    baseURL: options.baseUrl,
    adapter: nodeHttpAdapter(agent, streams),
    headers: { Accept: 'application/json' },
  });
  return {
    instance,
    close: () => {
      agent.destroy();
      streams.destroy();
    },
  };
}
