import http from 'node:http';
import https from 'node:https';
import type { CallContext } from './client';
import { BackendProblem, BackendUnavailable, type FieldError } from './errors';

/**
 * A download from the backend, read as it arrives: the page client reads a whole JSON
 * body before it answers, which a million-row export must not. Its own keep-alive
 * sockets, so a long download never holds one the pages need. The status and headers
 * are waited for within the call's deadline; the body then takes as long as it takes.
 */
export function createDownloader(
  baseUrl: string,
  options: { maxSockets: number; keepAliveMs: number },
) {
  const base = new URL(`${baseUrl.replace(/\/+$/, '')}/api/v1`);
  // Idle sockets close before the backend's keep-alive ends, as the page client's do.
  const agentOptions = {
    keepAlive: true,
    timeout: options.keepAliveMs,
    maxSockets: options.maxSockets,
  };
  const agent =
    base.protocol === 'https:' ? new https.Agent(agentOptions) : new http.Agent(agentOptions);
  const request = base.protocol === 'https:' ? https.request : http.request;

  return {
    /**
     * GET `path` and answer its response once the backend has said 2xx; a refusal
     * becomes the same BackendProblem a page call throws. Destroy the response to stop.
     */
    open(
      ctx: CallContext,
      path: string,
      query: Record<string, string | undefined>,
    ): Promise<http.IncomingMessage> {
      const url = new URL(base.href + path);
      for (const [name, value] of Object.entries(query))
        if (value !== undefined) url.searchParams.append(name, value);
      const headers: http.OutgoingHttpHeaders = { 'x-request-id': ctx.requestId };
      if (ctx.traceparent) headers.traceparent = ctx.traceparent;
      if (ctx.token) headers.authorization = `Bearer ${ctx.token}`;
      return new Promise((resolve, reject) => {
        const req = request(url, { method: 'GET', agent, headers }, (res) => {
          clearTimeout(timer);
          const status = res.statusCode ?? 0;
          if (status >= 200 && status < 300) return resolve(res);
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('error', reject);
          res.on('end', () => {
            if (status >= 500) return reject(new BackendUnavailable(`status ${status}`, 1));
            let problem: { code?: string; detail?: string; errors?: FieldError[] } = {};
            try {
              problem = JSON.parse(Buffer.concat(chunks).toString('utf8')) as typeof problem;
            } catch {
              // Not problem+json: the status alone says what happened.
            }
            reject(
              new BackendProblem(
                status,
                problem.code ?? 'unknown',
                problem.detail ?? `status ${status}`,
                problem.errors ?? [],
              ),
            );
          });
        });
        const timer = setTimeout(
          () => req.destroy(new Error('deadline')),
          Math.max(0, ctx.deadline - Date.now()),
        );
        req.on('error', (error) => {
          clearTimeout(timer);
          reject(new BackendUnavailable(error.message, 1));
        });
        req.end();
      });
    },
    close() {
      agent.destroy();
    },
  };
}

export type Downloader = ReturnType<typeof createDownloader>;
