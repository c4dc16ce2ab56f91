import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { findNginx } from '../../scripts/lib/stack';
import { loadConfig as frontendConfig } from '../../frontend/src/config';
import { lintNginxConfig } from './lint';
import { generateCertificate, render } from './support';
import { needing } from '../../scripts/lib/test-deps';

const describe = needing(['nginx', 'openssl']);

/** Every way the template is rendered: the local default, both HTTPS modes, a canary. */
const MODES: [string, Record<string, string>][] = [
  ['for HTTP only', {}],
  ['for TLS in nginx', { NGINX_TLS: 'terminate' }],
  ['behind a TLS load balancer', { NGINX_TLS: 'offloaded' }],
  [
    'with a canary',
    {
      NGINX_TLS: 'offloaded',
      FRONTEND_CANARY_SERVERS: '127.0.0.1:3004',
      FRONTEND_CANARY_PERCENT: '10',
    },
  ],
];

const appKeepAliveMs = frontendConfig({}).keepAliveTimeoutMs;
const rendered = () =>
  render({
    FRONTEND_SERVERS: 'frontend:3000',
    // Only written into the text here; nothing is created in it.
    NGINX_RUNTIME_DIR: os.tmpdir(),
  });

describe('the nginx configuration', () => {
  it.each(MODES)('when rendered %s, then nginx -t accepts it', (_mode, env) => {
    const nginx = findNginx();
    if (!nginx) throw new Error('nginx is not installed (Debian package "nginx")');
    const dir = mkdtempSync(path.join(os.tmpdir(), 'tp-ngt-'));
    const cert = generateCertificate();
    try {
      const file = path.join(dir, 'nginx.conf');
      writeFileSync(
        file,
        render({
          FRONTEND_SERVERS: '127.0.0.1:3001 127.0.0.1:3002 127.0.0.1:3003',
          NGINX_RUNTIME_DIR: dir,
          NGINX_TLS_CERT: cert.certFile,
          NGINX_TLS_KEY: cert.keyFile,
          ...env,
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
      cert.remove();
    }
  });

  it.each(MODES)(
    'when linted %s, then it has no violations (non_idempotent, keepalive, passive health, scheme, body limit, timeouts)',
    (_mode, env) => {
      const conf = render({
        FRONTEND_SERVERS: 'a:1 b:2',
        NGINX_RUNTIME_DIR: os.tmpdir(),
        NGINX_TLS_CERT: '/run/tls/cert.pem',
        NGINX_TLS_KEY: '/run/tls/key.pem',
        ...env,
      });
      expect(lintNginxConfig(conf, appKeepAliveMs)).toEqual([]);
    },
  );

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
      [
        'the client decides the scheme',
        good.replace('X-Forwarded-Proto $tp_scheme;', 'X-Forwarded-Proto $http_x_forwarded_proto;'),
        /X-Forwarded-Proto/,
      ],
      [
        "nginx's scheme behind a TLS load balancer",
        good.replace('X-Forwarded-Proto $tp_scheme;', 'X-Forwarded-Proto $scheme;'),
        /X-Forwarded-Proto/,
      ],
      ['no backups', good.replace(/^ *server \S+ backup max_fails=0;\n/gm, ''), /backup/],
      [
        'backups that can be marked down',
        good.replace(/backup max_fails=0;/g, 'backup;'),
        /backup/,
      ],
      ['a retry budget of one', good.replace('proxy_next_upstream_tries 3;', ''), /tries/],
    ];
    for (const [, conf, expected] of cases) {
      expect(lintNginxConfig(conf, appKeepAliveMs).join('\n')).toMatch(expected);
    }
  });

  it('when every frontend is listed, then each gets passive health checks and a backup entry', () => {
    const conf = render({ FRONTEND_SERVERS: 'a:1 b:2 c:3', NGINX_RUNTIME_DIR: os.tmpdir() });
    const upstream = /upstream frontend \{([^}]*)\}/.exec(conf)?.[1] ?? '';
    expect(upstream.match(/server [abc]:\d max_fails=1 fail_timeout=2s;/g)).toHaveLength(3);
    expect(upstream.match(/server [abc]:\d backup max_fails=0;/g)).toHaveLength(3);
    expect(conf).not.toContain('frontend_canary');
    expect(conf).toMatch(/map \$request_id \$tp_upstream \{\s*default frontend;\s*\}/);
  });

  it('when a canary is listed with a share, then requests are split by that share and each side backs up the other', () => {
    const conf = render({
      FRONTEND_SERVERS: 'frontend:3000',
      FRONTEND_CANARY_SERVERS: 'frontend-canary:3000',
      FRONTEND_CANARY_PERCENT: '10',
      NGINX_RUNTIME_DIR: os.tmpdir(),
    });
    const block = (name: string) =>
      new RegExp(`upstream ${name} \\{([^}]*)\\}`).exec(conf)?.[1] ?? '';
    expect(block('frontend')).toContain('server frontend:3000 max_fails=1 fail_timeout=2s;');
    expect(block('frontend')).toContain('server frontend-canary:3000 backup max_fails=0;');
    expect(block('frontend_canary')).toContain(
      'server frontend-canary:3000 max_fails=1 fail_timeout=2s;',
    );
    expect(block('frontend_canary')).toContain('server frontend:3000 backup max_fails=0;');
    expect(conf).toMatch(
      /split_clients "\$\{request_id\}" \$tp_upstream \{\s*10% frontend_canary;\s*\* frontend;\s*\}/,
    );
    const off = render({
      FRONTEND_SERVERS: 'frontend:3000',
      FRONTEND_CANARY_SERVERS: 'frontend-canary:3000',
      FRONTEND_CANARY_PERCENT: '0',
      NGINX_RUNTIME_DIR: os.tmpdir(),
    });
    expect(off).not.toContain('frontend-canary');
  });

  it.each([
    ['off', ['listen 8080;'], ['return 301', 'ssl_certificate']],
    [
      'offloaded',
      ['listen 8080;', 'listen 8443;', 'return 301 https://$host$request_uri;'],
      ['ssl_certificate'],
    ],
    [
      'terminate',
      ['listen 8443 ssl;', 'ssl_certificate /c.pem;', 'ssl_certificate_key /k.pem;'],
      [],
    ],
  ])('when NGINX_TLS is %s, then the listeners and redirects follow', (mode, present, absent) => {
    const conf = render({
      FRONTEND_SERVERS: 'a:1',
      NGINX_TLS: mode,
      NGINX_TLS_CERT: '/c.pem',
      NGINX_TLS_KEY: '/k.pem',
      NGINX_RUNTIME_DIR: os.tmpdir(),
    });
    for (const text of present) expect(conf).toContain(text);
    for (const text of absent) expect(conf).not.toContain(text);
    expect(conf).not.toMatch(/^ *# (BEGIN|END) [a-z-]+$/m);
  });

  it('when inputs are unsafe, then rendering refuses them', () => {
    const unsafe: Record<string, string>[] = [
      { FRONTEND_SERVERS: 'a:1; include /etc/passwd' },
      { FRONTEND_SERVERS: 'a:1', NGINX_PORT: '80; evil' },
      { FRONTEND_SERVERS: 'a:1', NGINX_AUTH_RATE: 'lots' },
      { FRONTEND_SERVERS: '' },
      { FRONTEND_SERVERS: 'a:1', NGINX_TLS: 'on' },
      { FRONTEND_SERVERS: 'a:1', NGINX_TLS: 'terminate' },
      {
        FRONTEND_SERVERS: 'a:1',
        NGINX_TLS: 'terminate',
        NGINX_TLS_CERT: '/c.pem',
        NGINX_TLS_KEY: '/k key',
      },
      { FRONTEND_SERVERS: 'a:1', NGINX_HTTPS_PORT: '8080' },
      { FRONTEND_SERVERS: 'a:1', FRONTEND_CANARY_SERVERS: 'c:1', FRONTEND_CANARY_PERCENT: '60' },
      { FRONTEND_SERVERS: 'a:1', FRONTEND_CANARY_SERVERS: 'c:1;', FRONTEND_CANARY_PERCENT: '5' },
    ];
    for (const env of unsafe) {
      expect(() => render({ NGINX_RUNTIME_DIR: os.tmpdir(), ...env })).toThrow();
    }
  });
});
