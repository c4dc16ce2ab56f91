import type { Response } from 'express';

export interface CookieOptions {
  secure: boolean;
  maxAgeSeconds?: number;
  httpOnly?: boolean;
}

/**
 * Over HTTPS a cookie gets the `__Host-` prefix (Secure, Path=/, no Domain: it cannot
 * be planted by a sibling subdomain); over plain HTTP (local use) the bare name.
 */
export function cookieName(base: string, secure: boolean): string {
  return secure ? `__Host-${base}` : base;
}

/** First occurrence wins; values are never URL-decoded (ours are base64url). */
export function parseCookies(header: string | undefined): Map<string, string> {
  const out = new Map<string, string>();
  if (!header) return out;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq <= 0) continue;
    const name = part.slice(0, eq).trim();
    if (!out.has(name)) out.set(name, part.slice(eq + 1).trim());
  }
  return out;
}

export function serializeCookie(name: string, value: string, options: CookieOptions): string {
  const parts = [`${name}=${value}`, 'Path=/', 'SameSite=Lax'];
  if (options.httpOnly !== false) parts.push('HttpOnly');
  if (options.secure) parts.push('Secure');
  if (options.maxAgeSeconds !== undefined) parts.push(`Max-Age=${options.maxAgeSeconds}`);
  return parts.join('; ');
}

/** Set a cookie, replacing any earlier Set-Cookie of the same name on this response. */
export function setCookie(res: Response, name: string, value: string, options: CookieOptions) {
  const existing = res.getHeader('Set-Cookie');
  const list = Array.isArray(existing) ? existing : typeof existing === 'string' ? [existing] : [];
  const kept = list.filter((c) => !c.startsWith(`${name}=`));
  res.setHeader('Set-Cookie', [...kept, serializeCookie(name, value, options)]);
}

export function clearCookie(res: Response, name: string, secure: boolean) {
  setCookie(res, name, '', { secure, maxAgeSeconds: 0 });
}
