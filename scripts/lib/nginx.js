// @ts-check
/**
 * nginx from the repository's one edge configuration (nginx/nginx.conf.template,
 * filled by nginx/render.sh), run as a local process in a directory of its own.
 */
'use strict';

const { execFile, execFileSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const { managed } = require('./process');

const ROOT = path.join(__dirname, '..', '..');
const CANDIDATES = ['/usr/sbin/nginx', '/usr/bin/nginx'];

/** The nginx binary, or null when nginx is not installed. */
function findNginx() {
  return CANDIDATES.find((p) => fs.existsSync(p)) ?? null;
}

/**
 * Render the configuration for `servers` (host:port of each frontend), check it with
 * `nginx -t`, start nginx and wait for /nginx-health.
 * @param {{ dir: string, servers: string[], port: number, statusPort: number,
 *   logs: string, env?: Record<string, string> }} options `dir`: nginx's runtime
 *   directory (created); `logs`: where its error and access logs go; `env`: more
 *   variables for render.sh
 */
async function startNginx(options) {
  const bin = findNginx();
  if (!bin) throw new Error('nginx is not installed (Debian package "nginx")');
  fs.mkdirSync(options.dir, { recursive: true, mode: 0o755 });
  const conf = execFileSync('sh', [path.join(ROOT, 'nginx', 'render.sh')], {
    env: {
      ...process.env,
      FRONTEND_SERVERS: options.servers.join(' '),
      NGINX_PORT: String(options.port),
      NGINX_STATUS_PORT: String(options.statusPort),
      NGINX_RUNTIME_DIR: options.dir,
      NGINX_ACCESS_LOG: path.join(options.logs, 'nginx-access.log'),
      ...options.env,
    },
    encoding: 'utf8',
  });
  const confFile = path.join(options.dir, 'nginx.conf');
  fs.writeFileSync(confFile, conf);
  const base = ['-p', options.dir, '-c', confFile, '-e', 'stderr'];
  execFileSync(bin, [...base, '-t', '-q']);
  const nginx = managed({
    name: 'nginx',
    command: bin,
    args: [...base, '-g', 'daemon off;'],
    cwd: options.dir,
    env: {},
    logFile: path.join(options.logs, 'nginx.log'),
    readyUrl: `http://127.0.0.1:${options.port}/nginx-health`,
  });
  await nginx.start();
  return Object.assign(nginx, {
    port: options.port,
    statusPort: options.statusPort,
    confFile,
    /** Ask nginx to reload its configuration file (after editing it). */
    reload: () =>
      new Promise((resolve, reject) =>
        execFile(bin, [...base, '-s', 'reload'], (e) => (e ? reject(e) : resolve(undefined))),
      ),
  });
}

module.exports = { findNginx, startNginx };
