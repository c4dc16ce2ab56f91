import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import { findNginx, waitReady } from '../../scripts/lib/stack';
import { freePort } from '../../scripts/lib/mariadb';

export const RENDER = path.join(__dirname, '..', 'render.sh');

export function render(env: Record<string, string>): string {
  return execFileSync('sh', [RENDER], { env: { ...process.env, ...env }, encoding: 'utf8' });
}

export interface RunningNginx {
  /** The HTTP port: the application when NGINX_TLS is off, else health and redirects. */
  url: string;
  /** The HTTPS port (TLS, or decrypted HTTPS when NGINX_TLS=offloaded). */
  httpsPort: number;
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
  const httpsPort = await freePort();
  const accessLog = path.join(dir, 'access.log');
  const conf = render({
    FRONTEND_SERVERS: upstreamPorts.map((p) => `127.0.0.1:${p}`).join(' '),
    NGINX_PORT: String(port),
    NGINX_HTTPS_PORT: String(httpsPort),
    NGINX_PUBLIC_HTTPS_PORT: String(httpsPort),
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
    httpsPort,
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

export interface Reply {
  status: number;
  headers: http.IncomingHttpHeaders;
  /** Every header line as sent, to count repeated headers. */
  rawHeaders: string[];
  body: Buffer;
}

/** A raw request over HTTP or HTTPS (`ca` to trust), so nothing on the client side retries or rewrites. */
export function send(
  url: string,
  options: {
    method?: string;
    path: string;
    headers?: Record<string, string>;
    body?: string | Buffer;
    ca?: string;
  },
): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const target = new URL(url);
    const client = target.protocol === 'https:' ? https : http;
    const req = client.request(
      {
        host: target.hostname,
        port: target.port,
        method: options.method ?? 'GET',
        path: options.path,
        headers: options.headers,
        agent: false,
        ca: options.ca,
        servername: target.protocol === 'https:' ? 'localhost' : undefined,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            rawHeaders: res.rawHeaders,
            body: Buffer.concat(chunks),
          }),
        );
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

/** How often a header was sent (case-insensitive). */
export const headerCount = (reply: Reply, name: string) =>
  reply.rawHeaders.filter((h, i) => i % 2 === 0 && h.toLowerCase() === name.toLowerCase()).length;

export interface Certificate {
  cert: string;
  certFile: string;
  keyFile: string;
  remove(): void;
}

/** A throw-away self-signed certificate for localhost and 127.0.0.1, made by openssl. */
export function generateCertificate(): Certificate {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'tradepost-tls-'));
  chmodSync(dir, 0o755); // nginx's workers read the files when the master is root
  const certFile = path.join(dir, 'cert.pem');
  const keyFile = path.join(dir, 'key.pem');
  // prettier-ignore
  execFileSync('openssl', [
    'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes',
    '-keyout', keyFile, '-out', certFile, '-days', '2', '-subj', '/CN=localhost',
    '-addext', 'subjectAltName=DNS:localhost,IP:127.0.0.1',
  ], { stdio: 'ignore' });
  chmodSync(keyFile, 0o644);
  return {
    cert: readFileSync(certFile, 'utf8'),
    certFile,
    keyFile,
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}
