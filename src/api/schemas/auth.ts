/** Schemas of `/auth/*` (API_CONTRACT.md §a.5) and of the profile. */
import { z } from '@hono/zod-openapi';
import { Instant, TimeZone } from './common.js';

/** An email address, as sign-up and sign-in take it. */
export const Email = z.email().max(254).openapi({ example: 'ada@example.com' });
/** A password, as sign-up and sign-in take it. */
export const Password = z.string().min(1).max(256).openapi({ example: 'Correct-horse-9' });

/** Body of `POST /auth/signup`. */
export const SignUpBody = z.object({
  email: Email,
  password: Password,
  displayName: z.string().trim().min(1).max(100).optional(),
});
/** Answer of `POST /auth/signup`. */
export const SignUpResult = z
  .object({ userId: z.string(), email: z.string(), confirmed: z.boolean(), message: z.string() })
  .openapi('SignUpResult');

/** Body of `POST /auth/confirm`: the emailed code. */
export const ConfirmBody = z.object({ email: Email, code: z.string().min(1).max(64) });
/** Answer of `POST /auth/confirm`. */
export const ConfirmResult = z.object({ confirmed: z.literal(true) });

/** Body of `POST /auth/login`. */
export const LogInBody = z.object({ email: Email, password: Password });

/** Body of `POST /auth/refresh`. */
export const RefreshBody = z.object({ refreshToken: z.string().min(1).max(4096) });

/** The user's profile, as `/auth/me` returns it. */
export const User = z
  .object({
    id: z.string(),
    email: z.string().nullable(),
    displayName: z.string().nullable(),
    timeZone: z.string().openapi({ example: 'Europe/Berlin' }),
    createdAt: Instant,
    updatedAt: Instant,
  })
  .openapi('User');

/** Body of `PATCH /auth/me`: omitted fields are left as they are. */
export const UpdateMeBody = z.object({
  displayName: z.string().trim().min(1).max(100).nullable().optional(),
  timeZone: TimeZone.optional(),
});

const Tokens = {
  accessToken: z.string(),
  refreshToken: z.string().optional(),
  expiresIn: z.number().int().openapi({ description: 'Seconds until the access token expires' }),
  tokenType: z.literal('Bearer'),
};

/** Answer of `POST /auth/login`: tokens and the profile. */
export const LogInResult = z.object({ ...Tokens, user: User }).openapi('LogInResult');
/** Answer of `POST /auth/refresh`. */
export const RefreshResult = z.object(Tokens).openapi('RefreshResult');

/**
 * Body of `DELETE /auth/me`: the account's password — or nothing, when the access token was
 * issued within the last 5 minutes (a fresh sign-in).
 */
export const DeleteAccountBody = z
  .object({ password: Password.optional() })
  .openapi('DeleteAccountBody');

/** What `DELETE /auth/me` deleted: counts by kind of item, and their total. */
export const DeleteAccountResult = z
  .object({
    deleted: z.record(z.string(), z.number().int()).openapi({
      example: { TASK: 4, GOAL: 10, LINK: 12, PROFILE: 1, ACCOUNT: 1, S3_OBJECT: 2 },
    }),
    total: z.number().int(),
  })
  .openapi('DeleteAccountResult');

/** The parsed type of {@link DeleteAccountResult}. */
export type DeleteAccountResultT = z.output<typeof DeleteAccountResult>;
