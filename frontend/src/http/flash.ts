import type { Request, Response } from 'express';
import { clearCookie, cookieName, parseCookies, setCookie } from './cookies';

/** Flash messages are keys into this table, so a cookie can never inject text. */
export const FLASH_MESSAGES = {
  signed_up: 'Welcome to Tradepost! Your account is ready.',
  signed_in: 'You are signed in.',
  signed_out: 'You have been signed out.',
  session_expired: 'Your session has ended. Please sign in again.',
  profile_updated: 'Your changes were saved.',
  password_changed: 'Your password was changed. Your other sessions have been signed out.',
  user_created: 'The user was created.',
  user_deleted: 'The user was deleted.',
  account_deleted: 'Your account was deleted.',
  message_sent: 'Message sent.',
  message_deleted: 'Message deleted.',
  order_created: 'The order was added.',
  order_moved: 'The order was updated.',
} as const;

export type FlashKey = keyof typeof FLASH_MESSAGES;

const BASE_NAME = 'flash';

export function setFlash(res: Response, secure: boolean, key: FlashKey) {
  setCookie(res, cookieName(BASE_NAME, secure), key, { secure, maxAgeSeconds: 60 });
}

/** Read and consume the flash; unknown keys are ignored. */
export function takeFlash(req: Request, res: Response, secure: boolean): string | undefined {
  const name = cookieName(BASE_NAME, secure);
  const key = parseCookies(req.headers.cookie).get(name);
  if (key === undefined) return undefined;
  clearCookie(res, name, secure);
  return Object.hasOwn(FLASH_MESSAGES, key) ? FLASH_MESSAGES[key as FlashKey] : undefined;
}
