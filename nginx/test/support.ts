import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { findNginx, waitReady } from '../../scripts/lib/stack';
import { freePort } from '../../scripts/lib/mariadb';

export const RENDER = path.join(__dirname, '..', 'render.sh');

export function render(env: Record<string, string>): string {
  return execFileSync('sh', [RENDER], { env: { ...process.env, ...env }, encoding: 'utf8' });
}

export interface RunningNginx {
  url: string;
  conf: string;
  accessLog: () => string;
  stop(): Promise<void>;
}

/** A real nginx from the template, in front of the given upstream ports. */
export async function startNginx(
  upstreamPorts: number[],
  env: Record<string, string> = {},
): Promise<RunningNginx> {
  const nginx = findNginx();
  if (!nginx) throw new Error('nginx is not installed (Debian package "nginx")');
  const dir = mkdtempSync(path.join(os.tmpdir(), 'tradepost-nginx-'));
  chmodSync(dir, 0o755); // workers run unprivileged when the master is root
  const port = await freePort();
  const accessLog = path.join(dir, 'access.log');
  const conf = render({
    FRONTEND_SERVERS: upstreamPorts.map((p) => `127.0.0.1:${p}`).join(' '),
    NGINX_PORT: String(port),
    NGINX_STATUS_PORT: String(await freePort()),
    NGINX_RUNTIME_DIR: dir,
    NGINX_ACCESS_LOG: accessLog,
    ...env,
  });
  const file = path.join(dir, 'nginx.conf');
  writeFileSync(file, conf);
  const child: ChildProcess = spawn(
    nginx,
    ['-p', dir, '-c', file, '-e', 'stderr', '-g', 'daemon off;'],
    {
      stdio: 'ignore',
    },
  );
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const url = `http://127.0.0.1:${port}`;
  await waitReady(`${url}/nginx-health`, 10000);
  return {
    url,
    conf,
    accessLog: () => readFileSync(accessLog, 'utf8'),
    async stop() {
      child.kill('SIGTERM');
      await exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface Upstream {
  port: number;
  hits: { method: string; url: string; headers: http.IncomingHttpHeaders }[];
  close(): Promise<void>;
}

/** A small HTTP server standing in for a frontend replica; `port` to come back on a known one. */
export async function startUpstream(
  handler?: http.RequestListener,
  port?: number,
): Promise<Upstream> {
  const hits: Upstream['hits'] = [];
  const server = http.createServer((req, res) => {
    hits.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers });
    if (handler) return handler(req, res);
    req.resume();
    req.on('end', () => {
      res.setHeader('Content-Type', req.url?.startsWith('/assets/') ? 'text/css' : 'text/html');
      res.end(req.url?.startsWith('/big') ? 'x'.repeat(10000) : 'ok');
    });
  });
  server.keepAliveTimeout = 5000;
  const listenPort = port ?? (await freePort());
  await new Promise<void>((resolve) => server.listen(listenPort, '127.0.0.1', resolve));
  return {
    port: listenPort,
    hits,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
