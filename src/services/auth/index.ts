/**
 * Account flows behind `/auth/*`: sign-up, confirmation, sign-in, refresh, sign-out and the
 * profile (`/auth/me`). The identity provider (local or Cognito) does the credential work; the
 * profile lives in the table in both modes.
 */
import { userCtx, type Deps, type UserCtx } from '../../api/deps.js';
import { AppError, UnauthorizedError } from '../../core/errors.js';
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

/**
 * The signed-in user's profile (created on first use for users who signed up elsewhere, e.g. in
 * Cognito through the front end). A deleted account answers 401: local accounts get their
 * profile at sign-up, so a local user without one no longer exists; Cognito refuses the deleted
 * user's token when asked for the email.
 * @throws UnauthorizedError when the account no longer exists
 */
export async function getMe(ctx: UserCtx, accessToken: string): Promise<Profile> {
  const existing = await findProfile(ctx);
  if (existing?.email) return existing;
  if (!existing && ctx.identity.mode === 'local') {
    throw new UnauthorizedError('This account no longer exists');
  }
  const email = await ctx.identity.emailOf(ctx.userId, accessToken);
  if (!existing) return ensureProfile(ctx, { email });
  return email ? updateProfile(ctx, { email }) : existing;
}

/** Updates display name or time zone. @throws UnauthorizedError when the account no longer exists */
export async function updateMe(
  ctx: UserCtx,
  accessToken: string,
  patch: ProfilePatch,
): Promise<Profile> {
  await getMe(ctx, accessToken);
  return updateProfile(ctx, patch);
}

/**
 * The id of the user with this email, creating a local account (and its profile) with
 * `password` when there is none — for the command line's import. Cognito users are only found,
 * never created (they sign up in the app, which confirms their email).
 * @throws AppError `NOT_FOUND` when no account has the email and none can be created here
 */
export async function findOrCreateUser(
  deps: Deps,
  email: string,
  password: string | null,
): Promise<{ userId: string; created: boolean }> {
  const normalised = normaliseEmail(email);
  const found = await deps.identity.findUserId(normalised);
  if (found) {
    await ensureProfile(userCtx(deps, found), { email: normalised });
    return { userId: found, created: false };
  }
  if (deps.identity.mode !== 'local' || password === null) {
    throw new AppError(
      'NOT_FOUND',
      deps.identity.mode === 'local'
        ? `No account with the email ${normalised}; give a password to create one`
        : `No Cognito user with the email ${normalised}; sign up in the app first`,
    );
  }
  const { userId } = await signUp(deps, { email: normalised, password });
  return { userId, created: true };
}
