import { createHmac, timingSafeEqual } from 'node:crypto';

export function hmac(secret: string, purpose: string, value: string): string {
  return createHmac('sha256', secret).update(`${purpose}\n${value}`).digest('base64url');
}

export function safeEqual(a: string, b: string): boolean {
  const ab = Buffer.from(a);
  const bb = Buffer.from(b);
  return ab.length === bb.length && timingSafeEqual(ab, bb);
}

/** `base64url(json).mac` — readable by its holder, unforgeable without the secret. */
export function signJson(secret: string, purpose: string, payload: unknown): string {
  const body = Buffer.from(JSON.stringify(payload)).toString('base64url');
  return `${body}.${hmac(secret, purpose, body)}`;
}

export function verifyJson(secret: string, purpose: string, signed: string): unknown {
  const dot = signed.lastIndexOf('.');
  if (dot <= 0) return undefined;
  const body = signed.slice(0, dot);
  if (!safeEqual(signed.slice(dot + 1), hmac(secret, purpose, body))) return undefined;
  try {
    return JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as unknown;
  } catch {
    return undefined;
  }
}
