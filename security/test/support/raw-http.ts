import net from 'node:net';

export interface RawReply {
  status: number;
  headers: Record<string, string>;
  /** Everything after the header block, as received (chunk framing included). */
  body: string;
}

/**
 * One HTTP/1.1 request written byte for byte as given — the request target is never
 * normalised, encoded or checked on this side — from `localAddress` (any 127.x.y.z on
 * Linux, so that each attack can come from an address of its own).
 */
export function rawRequest(
  port: number,
  target: string,
  options: {
    method?: string;
    headers?: Record<string, string>;
    body?: string;
    localAddress?: string;
  } = {},
): Promise<RawReply> {
  const body = options.body ?? '';
  const headers: Record<string, string> = {
    Host: `127.0.0.1:${port}`,
    Connection: 'close',
    ...(body ? { 'Content-Length': String(Buffer.byteLength(body)) } : {}),
    ...options.headers,
  };
  const head =
    `${options.method ?? 'GET'} ${target} HTTP/1.1\r\n` +
    Object.entries(headers)
      .map(([k, v]) => `${k}: ${v}\r\n`)
      .join('') +
    '\r\n';
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: '127.0.0.1', port, localAddress: options.localAddress });
    const chunks: Buffer[] = [];
    socket.setTimeout(10_000, () => socket.destroy(new Error(`no answer to ${target}`)));
    socket.on('data', (c: Buffer) => chunks.push(c));
    socket.on('error', reject);
    socket.on('end', () => {
      const text = Buffer.concat(chunks).toString('latin1');
      const split = text.indexOf('\r\n\r\n');
      const [statusLine, ...lines] = text.slice(0, split).split('\r\n');
      const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(statusLine)?.[1]);
      if (!status) return reject(new Error(`no HTTP answer to ${target}: ${text.slice(0, 200)}`));
      const replyHeaders: Record<string, string> = {};
      for (const line of lines) {
        const colon = line.indexOf(':');
        replyHeaders[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
      }
      resolve({ status, headers: replyHeaders, body: text.slice(split + 4) });
    });
    // Written, not ended: nginx takes a client that half-closes for one that left (499).
    socket.write(head + body);
  });
}
