import http from 'node:http';

/** One keep-alive pool for the whole load client, as a browser keeps its connections. */
export const agent = new http.Agent({ keepAlive: true, maxSockets: 64, timeout: 20_000 });

export interface Reply {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
  ms: number;
}

export interface RequestOptions {
  method?: string;
  headers?: Record<string, string>;
  body?: string;
  /** The client gives up after this long (longer than nginx's 15 s read timeout). */
  timeoutMs?: number;
}

/** A plain HTTP exchange: no redirects followed, no retries; rejects on socket errors and timeouts. */
export function request(url: string, options: RequestOptions = {}): Promise<Reply> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const req = http.request(
      url,
      {
        method: options.method ?? 'GET',
        headers: options.headers,
        agent,
        timeout: options.timeoutMs ?? 20_000,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('error', reject);
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks).toString('utf8'),
            ms: performance.now() - started,
          }),
        );
      },
    );
    req.on('timeout', () => req.destroy(new Error('client timeout')));
    req.on('error', reject);
    req.end(options.body);
  });
}

/** nginx's own fallback page (error_page 502 504 =503 @unavailable): no frontend answered. */
export const isNginxPage = (body: string) => body.includes('is restarting or under maintenance');

/** The frontend's rendered error page (frontend/src/views/error-page.tsx). */
export const isFrontendErrorPage = (body: string) => body.includes('error-page__status');

/** A browser's view of one site: a cookie jar over the shared keep-alive pool. */
export class Visitor {
  private readonly cookies = new Map<string, string>();

  constructor(readonly base: string) {}

  async send(path: string, options: RequestOptions = {}): Promise<Reply> {
    const cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    const reply = await request(`${this.base}${path}`, {
      ...options,
      headers: { ...(cookie ? { cookie } : {}), ...options.headers },
    });
    this.keep(reply.headers['set-cookie'] ?? []);
    return reply;
  }

  get(path: string, timeoutMs?: number): Promise<Reply> {
    return this.send(path, { timeoutMs });
  }

  /** A form post as a browser sends it: urlencoded, same origin. */
  post(path: string, fields: Record<string, string>): Promise<Reply> {
    return this.send(path, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        origin: this.base,
        'sec-fetch-site': 'same-origin',
      },
      body: new URLSearchParams(fields).toString(),
    });
  }

  private keep(setCookies: string[]): void {
    for (const line of setCookies) {
      const [pair, ...attributes] = line.split(';');
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      const expired = attributes.some((a) => a.trim().toLowerCase() === 'max-age=0');
      if (expired || value === '') this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }
}

/** The value of a hidden form field in a rendered page. */
export function hiddenField(html: string, name: string): string {
  const match = new RegExp(`name="${name}" value="([^"]*)"`).exec(html);
  if (!match) throw new Error(`no ${name} field in the page`);
  return match[1];
}
