/** Static rules for the rendered nginx config (docs/reliability.md, "Configuration checks"). Returns the violations. */
export function lintNginxConfig(conf: string, appKeepAliveMs: number): string[] {
  const problems: string[] = [];
  const text = conf.replace(/#.*$/gm, '');
  if (/\bnon_idempotent\b/.test(text)) {
    problems.push(
      'proxy_next_upstream must never include non_idempotent (a POST would be sent twice)',
    );
  }
  const upstreams = [...text.matchAll(/upstream\s+(\w+)\s*\{([^}]*)\}/g)];
  if (!upstreams.some((u) => u[1] === 'frontend')) problems.push('no upstream "frontend" block');
  for (const [, name, upstream] of upstreams) {
    const keepalive = /keepalive_timeout\s+(\d+)(ms|s)?\s*;/.exec(upstream);
    if (!keepalive) {
      problems.push(
        `upstream ${name}: keepalive_timeout is not set (nginx would keep idle sockets 60 s)`,
      );
    } else {
      const ms = Number(keepalive[1]) * (keepalive[2] === 'ms' ? 1 : 1000);
      if (ms >= appKeepAliveMs) {
        problems.push(
          `upstream ${name}: keepalive_timeout ${ms} ms is not below the app's keepAliveTimeout ${appKeepAliveMs} ms`,
        );
      }
    }
    if (!/\bkeepalive\s+\d+\s*;/.test(upstream))
      problems.push(`upstream ${name} keeps no idle connections`);
    // Passive health may take every replica out; entries that are never marked down
    // are what nginx still tries then, instead of answering "no live upstreams".
    const primaries = upstream.match(/^\s*server\s+(?![^;]*\bbackup\b)[^;]*;/gm) ?? [];
    const backups = upstream.match(/^\s*server\s+[^;]*\bbackup\b[^;]*;/gm) ?? [];
    if (primaries.length === 0) problems.push(`upstream ${name} has no servers`);
    if (
      primaries.length > 0 &&
      (backups.length < primaries.length || !backups.every((b) => /\bmax_fails=0\b/.test(b)))
    ) {
      problems.push(`upstream ${name}: every replica needs a backup entry with max_fails=0`);
    }
  }
  const tries = /proxy_next_upstream_tries\s+(\d+)\s*;/.exec(text);
  if (!tries || Number(tries[1]) < 2)
    problems.push('proxy_next_upstream_tries must allow another replica after a refusal');
  // The frontend believes this header for Secure cookies and its same-origin check.
  const proto = /proxy_set_header\s+X-Forwarded-Proto\s+(\S+)\s*;/.exec(text)?.[1];
  if (proto !== '$tp_scheme') {
    problems.push(
      `X-Forwarded-Proto must be nginx's own $tp_scheme (by listening port), not ${proto ?? 'unset'}`,
    );
  }
  const body = /client_max_body_size\s+(\d+)([kKmM]?)\s*;/.exec(text);
  if (!body) problems.push('client_max_body_size is missing');
  else {
    const bytes =
      Number(body[1]) * ({ k: 1024, K: 1024, m: 1 << 20, M: 1 << 20 }[body[2] as string] ?? 1);
    if (bytes > 64 * 1024) problems.push(`client_max_body_size ${body[1]}${body[2]} is above 64k`);
  }
  if (!/proxy_http_version\s+1\.1\s*;/.test(text))
    problems.push('proxy_http_version 1.1 is required for upstream keepalive');
  if (!/proxy_set_header\s+Connection\s+""\s*;/.test(text))
    problems.push('proxy_set_header Connection "" is required');
  for (const directive of [
    'client_header_timeout',
    'client_body_timeout',
    'send_timeout',
    'proxy_connect_timeout',
    'proxy_read_timeout',
  ]) {
    if (!new RegExp(`\\b${directive}\\s+\\d+m?s\\s*;`).test(text))
      problems.push(`${directive} is not set`);
  }
  if (!/server_tokens\s+off\s*;/.test(text)) problems.push('server_tokens off is missing');
  return problems;
}
