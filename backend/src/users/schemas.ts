import { z } from 'zod';
import { toIso } from '../http/iso';
import '../http/openapi';
import type { UserRecord } from './repository';

/**
 * Control (Cc), format (Cf: zero-width characters, the byte-order mark, bidirectional
 * embeddings, overrides and isolates), lone surrogate (Cs) and line/paragraph separator
 * (Zl, Zp) characters: a name with them can hide, reorder or impersonate the text beside it.
 */
const INVISIBLE = /[\p{Cc}\p{Cf}\p{Cs}\p{Zl}\p{Zp}]/u;

/** Printable text: no control, invisible or direction-changing characters. */
const text = (label: string, max: number) =>
  z
    .string({ error: `${label} is required` })
    .trim()
    .min(1, `${label} is required`)
    .max(max, `${label} must be at most ${max} characters`)
    .refine(
      (value) => !INVISIBLE.test(value),
      `${label} must not contain control, invisible or text-direction characters`,
    );

export const Name = text('Name', 100);
export const Surname = text('Surname', 100);
export const Email = z
  .string({ error: 'Email is required' })
  .trim()
  .max(254, 'Email must be at most 254 characters')
  .pipe(z.email('Enter a valid email address'));
/** ASVS: 12–128 characters, any characters, no composition rules, never trimmed. */
export const Password = z
  .string({ error: 'Password is required' })
  .refine((p) => [...p].length >= 12, 'Password must be at least 12 characters')
  .refine((p) => [...p].length <= 128, 'Password must be at most 128 characters');
export const RoleSchema = z.enum(['admin', 'member']);

export const UserSchema = z
  .object({
    id: z.number().int(),
    name: z.string(),
    surname: z.string(),
    email: z.string(),
    role: RoleSchema,
    createdAt: z.string(),
  })
  .openapi('User');

export const UserRefSchema = z
  .object({ id: z.number().int(), name: z.string(), surname: z.string() })
  .openapi('UserRef');

export const CreateUserBody = z
  .object({
    name: Name,
    surname: Surname,
    email: Email,
    password: Password,
    role: RoleSchema.default('member'),
  })
  .openapi('CreateUser');

export const UpdateUserBody = z
  .object({ name: Name.optional(), surname: Surname.optional() })
  .refine(
    (b) => b.name !== undefined || b.surname !== undefined,
    'Give a name or a surname to change',
  )
  .openapi('UpdateUser');

export type User = z.infer<typeof UserSchema>;

/** What a caller may see of an account: all of it (admins, or their own), else the reference. */
export const VisibleUserSchema = z.union([UserSchema, UserRefSchema]).openapi('VisibleUser');

/** Colleagues see each other's id, name and surname; emails and roles are for admins and oneself. */
export const visibleTo = (viewer: { id: number; role: string }, user: Shown) =>
  viewer.role === 'admin' || viewer.id === user.id
    ? toUserDto(user)
    : { id: user.id, name: user.name, surname: user.surname };

/** The fields of an account the API may show. */
type Shown = Pick<UserRecord, 'id' | 'name' | 'surname' | 'email' | 'role' | 'createdAt'>;

export const toUserDto = (user: Shown): User => ({
  id: user.id,
  name: user.name,
  surname: user.surname,
  email: user.email,
  role: user.role,
  createdAt: toIso(user.createdAt),
});

/** A secret token as links carry it: URL-safe base64, as made by the server. */
export const SecretToken = z
  .string({ error: 'Token is required' })
  .regex(/^[A-Za-z0-9_-]{20,200}$/, 'Token is not valid');

export const TokenParam = z.object({ token: SecretToken });

export const CreateInvitationBody = z
  .object({ email: Email, role: RoleSchema.default('member') })
  .openapi('CreateInvitation');

export const InvitationSchema = z
  .object({ email: z.string(), role: RoleSchema, expiresAt: z.string() })
  .openapi('Invitation');

export const NewInvitationSchema = z
  .object({
    id: z.number().int(),
    email: z.string(),
    role: RoleSchema,
    expiresAt: z.string(),
    token: z.string(),
  })
  .openapi('NewInvitation');
