/**
 * Account flows behind `/auth/*`: sign-up, confirmation, sign-in, refresh, sign-out and the
 * profile (`/auth/me`). The identity provider (local or Cognito) does the credential work; the
 * profile lives in the table in both modes.
 */
import { userCtx, type Deps, type UserCtx } from '../../api/deps.js';
import {
  ensureProfile,
  findProfile,
  updateProfile,
  type Profile,
  type ProfilePatch,
} from '../profile.js';
import { normaliseEmail, type TokenSet } from './provider.js';

/** Result of a sign-up. */
export interface SignUpResult {
  userId: string;
  email: string;
  /** False when an emailed code must be confirmed (Cognito) before signing in. */
  confirmed: boolean;
  message: string;
}

/** Creates an account and its profile. @throws ConflictError when the email is taken */
export async function signUp(
  deps: Deps,
  input: { email: string; password: string; displayName?: string | undefined },
): Promise<SignUpResult> {
  const email = normaliseEmail(input.email);
  const { userId, confirmed } = await deps.identity.signUp(email, input.password);
  await ensureProfile(userCtx(deps, userId), { email, displayName: input.displayName ?? null });
  return {
    userId,
    email,
    confirmed,
    message: confirmed
      ? 'Account created; you can sign in.'
      : 'Account created; enter the code we emailed you.',
  };
}

/** Confirms a sign-up with its emailed code. */
export async function confirmSignUp(
  deps: Deps,
  input: { email: string; code: string },
): Promise<{ confirmed: true }> {
  await deps.identity.confirm(normaliseEmail(input.email), input.code);
  return { confirmed: true };
}

/** Signs in; returns tokens and the profile. @throws UnauthorizedError for wrong credentials */
export async function logIn(
  deps: Deps,
  input: { email: string; password: string },
): Promise<TokenSet & { user: Profile }> {
  const email = normaliseEmail(input.email);
  const { userId, ...tokens } = await deps.identity.logIn(email, input.password);
  const user = await ensureProfile(userCtx(deps, userId), { email });
  return { ...tokens, user };
}

/** A new access token for a refresh token. @throws UnauthorizedError when revoked or expired */
export async function refresh(deps: Deps, refreshToken: string): Promise<TokenSet> {
  return deps.identity.refresh(refreshToken);
}

/** Signs the user out everywhere (every refresh token stops working). */
export async function logOut(ctx: UserCtx, accessToken: string): Promise<void> {
  await ctx.identity.logOut(ctx.userId, accessToken);
}

/** The signed-in user's profile (created on first use for users who signed up elsewhere). */
export async function getMe(ctx: UserCtx, accessToken: string): Promise<Profile> {
  const existing = await findProfile(ctx);
  if (existing?.email) return existing;
  const email = await ctx.identity.emailOf(ctx.userId, accessToken);
  if (!existing) return ensureProfile(ctx, { email });
  return email ? updateProfile(ctx, { email }) : existing;
}

/** Updates display name or time zone. */
export async function updateMe(ctx: UserCtx, patch: ProfilePatch): Promise<Profile> {
  return updateProfile(ctx, patch);
}
