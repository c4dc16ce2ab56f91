import { z } from 'zod';
import { Email, Name, Password, SecretToken, Surname, UserSchema } from '../users/schemas';

export const SignupBody = z
  .object({ name: Name, surname: Surname, email: Email, password: Password })
  .openapi('Signup');

export const LoginBody = z
  .object({
    email: z.string({ error: 'Email is required' }).trim().min(1, 'Email is required').max(254),
    password: z.string({ error: 'Password is required' }).min(1, 'Password is required').max(1024),
  })
  .openapi('Login');

export const SessionSchema = z
  .object({
    token: z.string(),
    expiresAt: z.string(),
    user: UserSchema,
    /** Signed in with a temporary password: change it (POST /me/password) before anything else. */
    passwordChangeRequired: z.boolean(),
  })
  .openapi('Session');

export const AcceptInvitationBody = z
  .object({ token: SecretToken, name: Name, surname: Surname, password: Password })
  .openapi('AcceptInvitation');

export const ChangePasswordBody = z
  .object({
    currentPassword: z
      .string({ error: 'Current password is required' })
      .min(1, 'Current password is required')
      .max(1024),
    newPassword: Password,
  })
  .openapi('ChangePassword');

export const TemporaryPasswordSchema = z
  .object({ temporaryPassword: z.string() })
  .openapi('TemporaryPassword');
