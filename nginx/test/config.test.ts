import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { findNginx } from '../../scripts/lib/stack';
import { loadConfig as frontendConfig } from '../../frontend/src/config';
import { lintNginxConfig } from './lint';
import { render } from './support';

const appKeepAliveMs = frontendConfig({}).KEEP_ALIVE_TIMEOUT_MS;
const rendered = () =>
  render({
    FRONTEND_SERVERS: 'frontend:3000',
    // Only written into the text here; nothing is created in it.
    NGINX_RUNTIME_DIR: os.tmpdir(),
  });

describe('the nginx configuration', () => {
  it('when rendered, then nginx -t accepts it', () => {
    const nginx = findNginx();
    if (!nginx) throw new Error('nginx is not installed (Debian package "nginx")');
    const dir = mkdtempSync(path.join(os.tmpdir(), 'tp-ngt-'));
    try {
      const file = path.join(dir, 'nginx.conf');
      writeFileSync(
        file,
        render({
          FRONTEND_SERVERS: '127.0.0.1:3001 127.0.0.1:3002 127.0.0.1:3003',
          NGINX_RUNTIME_DIR: dir,
        }),
      );
      // stdout is /dev/null here, as in a container: the default access log is /dev/stdout.
      const result = spawnSync(nginx, ['-t', '-p', dir, '-c', file, '-e', 'stderr'], {
        encoding: 'utf8',
        stdio: ['ignore', 'ignore', 'pipe'],
      });
      expect(result.stderr).toContain('test is successful');
      expect(result.status).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('when linted, then it has no violations (non_idempotent, keepalive, body limit, timeouts)', () => {
    expect(lintNginxConfig(rendered(), appKeepAliveMs)).toEqual([]);
  });

  it('when a config re-introduces a known bug, then the lint names it', () => {
    const good = rendered();
    const cases: [string, string, RegExp][] = [
      [
        'retrying POSTs',
        good.replace(
          'proxy_next_upstream error timeout;',
          'proxy_next_upstream error timeout non_idempotent;',
        ),
        /non_idempotent/,
      ],
      [
        'nginx default keepalive',
        good.replace('keepalive_timeout 4s;', 'keepalive_timeout 60s;'),
        /not below/,
      ],
      [
        'equal keepalive',
        good.replace('keepalive_timeout 4s;', 'keepalive_timeout 5000ms;'),
        /not below/,
      ],
      [
        'no keepalive timeout',
        good.replace('keepalive_timeout 4s;', ''),
        /keepalive_timeout is not set/,
      ],
      [
        'no body limit',
        good.replace('client_max_body_size 64k;', ''),
        /client_max_body_size is missing/,
      ],
      [
        'a larger body limit',
        good.replace('client_max_body_size 64k;', 'client_max_body_size 1m;'),
        /above 64k/,
      ],
      ['HTTP/1.0 upstream', good.replace('proxy_http_version 1.1;', ''), /proxy_http_version/],
      ['no read timeout', good.replace('proxy_read_timeout 15s;', ''), /proxy_read_timeout/],
    ];
    for (const [, conf, expected] of cases) {
      expect(lintNginxConfig(conf, appKeepAliveMs).join('\n')).toMatch(expected);
    }
  });

  it('when every frontend is listed, then each gets passive health checks', () => {
    const conf = render({ FRONTEND_SERVERS: 'a:1 b:2 c:3', NGINX_RUNTIME_DIR: os.tmpdir() });
    expect(conf.match(/server [abc]:\d max_fails=2 fail_timeout=5s;/g)).toHaveLength(3);
  });

  it('when inputs are unsafe, then rendering refuses them', () => {
    const unsafe: Record<string, string>[] = [
      { FRONTEND_SERVERS: 'a:1; include /etc/passwd' },
      { FRONTEND_SERVERS: 'a:1', NGINX_PORT: '80; evil' },
      { FRONTEND_SERVERS: 'a:1', NGINX_AUTH_RATE: 'lots' },
      { FRONTEND_SERVERS: '' },
    ];
    for (const env of unsafe) {
      expect(() => render({ NGINX_RUNTIME_DIR: os.tmpdir(), ...env })).toThrow();
    }
  });
});
