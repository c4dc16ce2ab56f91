import { createHash } from 'node:crypto';
import type { Clock } from '../clock';
import type { SignupPolicy } from '../config';
import type { Db } from '../db/knex';
import { randomBytes } from 'node:crypto';
import type { Actor } from '../actor';
import { AppError, forbidden, invalid, notFound } from '../errors';
import { hashPassword, verifyAgainstDummy, verifyPassword } from '../users/password';
import { normalizeEmail, type UserRecord, type UsersRepository } from '../users/repository';
import type { UsersService } from '../users/service';
import type { SessionsRepository, ThrottleRepository } from './repository';
import { ABSOLUTE_TIMEOUT_MS, hashToken, newToken } from './session';

/**
 * Sign-in attempts are counted before the password is checked, per account from one
 * client address and per client address across accounts. Past the limit the key is
 * blocked for the window, then twice as long each time again (at most a day), so a
 * stranger elsewhere never locks the owner out, and nobody gets unlimited guesses.
 */
export const MAX_FAILURES = 10;
/** Attempts one client address may fail across every account in a window. */
export const MAX_ADDRESS_FAILURES = 100;
export const FAILURE_WINDOW_MS = 15 * 60 * 1000;
export const MAX_BLOCK_MS = 24 * 60 * 60 * 1000;

const blockFor = (lockouts: number) =>
  Math.min(MAX_BLOCK_MS, FAILURE_WINDOW_MS * 2 ** Math.min(lockouts, 10));

/** Throttle keys are hashed: the addresses and strings tried are not kept in clear. */
const throttleKey = (...parts: string[]) =>
  createHash('sha256').update(parts.join('\u0000')).digest('hex');

const signupClosed = (message: string) => new AppError('signup_closed', 403, message);

/** Refuses a sign-up the policy does not allow, before any work is done for it. */
function checkSignupAllowed(policy: SignupPolicy, email: string): void {
  if (policy.mode === 'open') return;
  if (policy.mode === 'closed')
    throw signupClosed('Sign-up is closed: ask an admin for an account or an invitation');
  const domain = normalizeEmail(email).split('@').pop() ?? '';
  if (!policy.domains.includes(domain))
    throw signupClosed("Sign-up is open only to addresses at the organisation's domains");
}

const invalidCredentials = () =>
  new AppError('invalid_credentials', 401, 'Email or password is incorrect');

export function createAuthService(deps: {
  db: Db;
  users: UsersRepository;
  usersService: UsersService;
  sessions: SessionsRepository;
  throttle: ThrottleRepository;
  clock: Clock;
  signup: SignupPolicy;
  onLoginFailed?: () => void;
  onSignup?: () => void;
}) {
  const { clock } = deps;

  async function openSession(user: UserRecord) {
    const token = newToken();
    const now = clock();
    const expiresAt = now + ABSOLUTE_TIMEOUT_MS;
    await deps.sessions.insert(user.id, hashToken(token), now, expiresAt);
    return { token, expiresAt, user };
  }

  const tooMany = (blockedUntil: number, now: number) => {
    const seconds = Math.max(1, Math.ceil((blockedUntil - now) / 1000));
    return new AppError(
      'too_many_attempts',
      429,
      `Too many failed sign-in attempts; try again in ${seconds} seconds`,
      undefined,
      { 'Retry-After': String(seconds) },
    );
  };

  /**
   * Counts this attempt against each key before the password is checked, in one
   * transaction, so N concurrent guesses get N distinct counts and only those within
   * the limit are checked. Refuses (429) when a key is blocked or this attempt is
   * past its limit; the attempt that crosses the limit starts the block.
   */
  async function reserve(keys: ReadonlyArray<readonly [string, number]>): Promise<void> {
    const now = clock();
    const refusal = await deps.db.transaction(async (trx) => {
      for (const [key, limit] of keys) {
        const counted = await deps.throttle.count(trx, key, now, FAILURE_WINDOW_MS);
        if (counted.blocked) return tooMany(counted.blockedUntil, now);
        if (counted.failures > limit) {
          const until = now + blockFor(counted.lockouts);
          await deps.throttle.block(trx, key, until, now);
          return tooMany(until, now);
        }
      }
      return null;
    });
    if (refusal) throw refusal;
  }

  return {
    async signup(input: { name: string; surname: string; email: string; password: string }) {
      checkSignupAllowed(deps.signup, input.email);
      const user = await deps.usersService.create({ ...input, role: 'member' });
      deps.onSignup?.();
      return openSession(user);
    },

    /** An account from an invitation (whatever the sign-up policy), signed in. */
    async acceptInvitation(input: {
      token: string;
      name: string;
      surname: string;
      password: string;
    }) {
      const user = await deps.usersService.acceptInvitation(input);
      deps.onSignup?.();
      return openSession(user);
    },

    /** Same status, body and (roughly) time whether or not the address has an account. */
    async login(emailInput: string, password: string, clientAddress: string) {
      const email = normalizeEmail(emailInput);
      const addressKey = throttleKey('address', clientAddress);
      const accountKey = throttleKey('account', email, clientAddress);
      await reserve([
        [addressKey, MAX_ADDRESS_FAILURES],
        [accountKey, MAX_FAILURES],
      ]);
      const user = await deps.users.findByEmail(email);
      const ok = user
        ? await verifyPassword(user.passwordHash, password)
        : await verifyAgainstDummy(password);
      if (!user || !ok) {
        deps.onLoginFailed?.();
        throw invalidCredentials();
      }
      const now = clock();
      await deps.throttle.clear(accountKey);
      await deps.throttle.release(addressKey, now);
      return openSession(user);
    },

    /**
     * A new password for oneself, given the current one. Every other session of the
     * account ends; the one asking stays signed in.
     */
    async changePassword(actor: Actor, current: string, next: string): Promise<void> {
      const user = await deps.users.findById(actor.id);
      if (!user) throw notFound('User');
      if (!(await verifyPassword(user.passwordHash, current)))
        throw invalid([{ field: 'currentPassword', message: 'This is not your current password' }]);
      if (current === next)
        throw invalid([
          { field: 'newPassword', message: 'Choose a password you have not used here' },
        ]);
      const passwordHash = await hashPassword(next);
      await deps.db.transaction(async (trx) => {
        await deps.users.update(user.id, { passwordHash, mustChangePassword: false }, clock(), trx);
        await deps.sessions.removeAllOf(user.id, actor.sessionId, trx);
      });
    },

    /**
     * An admin's forced reset: a temporary password, shown once to the admin, that
     * only lets its holder choose a new one. The account's sessions all end.
     */
    async forceReset(actor: Actor, id: number): Promise<{ temporaryPassword: string }> {
      if (actor.role !== 'admin') throw forbidden('Only admins reset passwords');
      const user = await deps.users.findById(id);
      if (!user) throw notFound('User');
      const temporaryPassword = randomBytes(15).toString('base64url');
      const passwordHash = await hashPassword(temporaryPassword);
      await deps.db.transaction(async (trx) => {
        await deps.users.update(id, { passwordHash, mustChangePassword: true }, clock(), trx);
        await deps.sessions.removeAllOf(id, undefined, trx);
      });
      return { temporaryPassword };
    },

    async logout(sessionId: number): Promise<void> {
      await deps.sessions.remove(sessionId);
    },
  };
}

export type AuthService = ReturnType<typeof createAuthService>;
