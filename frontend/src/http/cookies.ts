import { parse, serialize } from 'cookie';
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

/** First occurrence wins; values are taken as sent, never URL-decoded (ours are base64url). */
export function parseCookies(header: string | undefined): Map<string, string> {
  const out = new Map<string, string>();
  if (!header) return out;
  for (const [name, value] of Object.entries(parse(header, { decode: (v) => v }))) {
    if (value !== undefined) out.set(name, value);
  }
  return out;
}

export function serializeCookie(name: string, value: string, options: CookieOptions): string {
  return serialize(name, value, {
    path: '/',
    sameSite: 'lax',
    httpOnly: options.httpOnly !== false,
    secure: options.secure,
    maxAge: options.maxAgeSeconds,
    encode: (v) => v,
  });
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
