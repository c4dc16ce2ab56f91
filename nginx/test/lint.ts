/** Static rules for the rendered nginx config (RELIABILITY T0). Returns the violations. */
export function lintNginxConfig(conf: string, appKeepAliveMs: number): string[] {
  const problems: string[] = [];
  const text = conf.replace(/#.*$/gm, '');
  if (/\bnon_idempotent\b/.test(text)) {
    problems.push(
      'proxy_next_upstream must never include non_idempotent (a POST would be sent twice)',
    );
  }
  const upstream = /upstream\s+frontend\s*\{([^}]*)\}/.exec(text)?.[1];
  if (!upstream) problems.push('no upstream "frontend" block');
  const keepalive = upstream ? /keepalive_timeout\s+(\d+)(ms|s)?\s*;/.exec(upstream) : null;
  if (!keepalive) {
    problems.push('upstream keepalive_timeout is not set (nginx would keep idle sockets 60 s)');
  } else {
    const ms = Number(keepalive[1]) * (keepalive[2] === 'ms' ? 1 : 1000);
    if (ms >= appKeepAliveMs) {
      problems.push(
        `upstream keepalive_timeout ${ms} ms is not below the app's keepAliveTimeout ${appKeepAliveMs} ms`,
      );
    }
  }
  if (upstream && !/\bkeepalive\s+\d+\s*;/.test(upstream))
    problems.push('upstream keeps no idle connections');
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
