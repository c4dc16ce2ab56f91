import type { Clock } from '../clock';
import type { SignupPolicy } from '../config';
import type { Db } from '../db/knex';
import { AppError } from '../errors';
import { verifyAgainstDummy, verifyPassword } from '../users/password';
import { normalizeEmail, type UserRecord, type UsersRepository } from '../users/repository';
import type { UsersService } from '../users/service';
import type { SessionsRepository, ThrottleRepository } from './repository';
import { ABSOLUTE_TIMEOUT_MS, hashToken, newToken } from './session';

/** At most this many failed logins per account per window (ASVS 2.2.1 allows 100 an hour). */
export const MAX_FAILURES = 10;
export const FAILURE_WINDOW_MS = 15 * 60 * 1000;

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

  async function ensureNotThrottled(email: string): Promise<void> {
    const record = await deps.throttle.find(email);
    const now = clock();
    if (record && record.blockedUntil > now) {
      const seconds = Math.ceil((record.blockedUntil - now) / 1000);
      throw new AppError(
        'too_many_attempts',
        429,
        `Too many failed sign-in attempts for this account; try again in ${seconds} seconds`,
        undefined,
        { 'Retry-After': String(seconds) },
      );
    }
  }

  /** Counted in the database under a row lock, so the limit holds across every replica. */
  async function recordFailure(email: string): Promise<void> {
    deps.onLoginFailed?.();
    await deps.db.transaction(async (trx) => {
      const now = clock();
      const record = await deps.throttle.find(email, trx);
      const fresh = !record || now - record.windowStartedAt >= FAILURE_WINDOW_MS;
      const failures = fresh ? 1 : record.failures + 1;
      const windowStartedAt = fresh ? now : record.windowStartedAt;
      const blockedUntil = failures >= MAX_FAILURES ? windowStartedAt + FAILURE_WINDOW_MS : 0;
      await deps.throttle.save(email, { failures, windowStartedAt, blockedUntil }, trx);
    });
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
    async login(emailInput: string, password: string) {
      const email = normalizeEmail(emailInput);
      await ensureNotThrottled(email);
      const user = await deps.users.findByEmail(email);
      const ok = user
        ? await verifyPassword(user.passwordHash, password)
        : await verifyAgainstDummy(password);
      if (!user || !ok) {
        await recordFailure(email);
        throw invalidCredentials();
      }
      await deps.throttle.clear(email);
      return openSession(user);
    },

    async logout(sessionId: number): Promise<void> {
      await deps.sessions.remove(sessionId);
    },
  };
}

export type AuthService = ReturnType<typeof createAuthService>;
