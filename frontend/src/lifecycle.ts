import http from 'node:http';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from './logger';

/** Process state that readiness and every response consult. */
export interface Lifecycle {
  /** Set on SIGTERM: readiness answers 503 and every response says `Connection: close`. */
  draining: boolean;
}

export const createLifecycle = (): Lifecycle => ({ draining: false });

export interface Listening {
  server: http.Server;
  port: number;
  /** Where to reach it: loopback when it listens on every interface. */
  url: string;
}

/**
 * An HTTP server for `app`, listening. Its keep-alive idle timeout must stay above its
 * callers' (nginx's upstream keepalive_timeout, the frontends' socket pool), so a caller
 * never writes into a socket this side is closing (docs/reliability.md, "Keep-alive races").
 */
export async function listen(
  app: http.RequestListener,
  options: { port: number; host: string; keepAliveTimeoutMs: number },
): Promise<Listening> {
  const server = http.createServer(app);
  server.keepAliveTimeout = options.keepAliveTimeoutMs;
  server.headersTimeout = options.keepAliveTimeoutMs + 1000;
  server.requestTimeout = 30_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const host = ['0.0.0.0', '::'].includes(options.host) ? '127.0.0.1' : options.host;
  return { server, port, url: `http://${host.includes(':') ? `[${host}]` : host}:${port}` };
}

/**
 * Stops the server without failing a request (docs/reliability.md, "Shutdown"), in this
 * order: stop accepting (a caller gets "connection refused", which it may safely retry
 * elsewhere, even a POST); keep answering on open connections with `Connection: close`
 * for `drainMs`, longer than the callers' 4 s keep-alive idle time, so no pooled socket
 * is still idle at the end; then close what is idle and give requests in flight until
 * `timeoutMs` (counted from the start) before cutting them.
 */
export async function drain(
  { server }: Listening,
  lifecycle: Lifecycle,
  options: { drainMs: number; timeoutMs: number; logger: Logger },
): Promise<void> {
  lifecycle.draining = true;
  options.logger.info({ drainMs: options.drainMs }, 'draining');
  // net.Server's close: since Node 19 http.Server's also drops idle keep-alive sockets at
  // once, and a caller that picks one at that instant gets a reset instead of an answer.
  const closed = new Promise<void>((resolve) =>
    net.Server.prototype.close.call(server, () => resolve()),
  );
  if (options.drainMs > 0) await sleep(options.drainMs);
  server.closeIdleConnections();
  const grace = Math.max(0, options.timeoutMs - options.drainMs - 500);
  const cut = setTimeout(() => server.closeAllConnections(), grace);
  await closed;
  clearTimeout(cut);
}
