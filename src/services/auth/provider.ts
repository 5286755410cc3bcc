/**
 * The identity-provider port: account sign-up, sign-in, token refresh and sign-out, implemented
 * by the local provider (argon2id + RS256 tokens, local mode) and the Cognito provider (AWS).
 * Both issue the same kind of access token, checked by the provider's `verifier`.
 */
import type { TokenVerifier } from '../../core/security.js';

/** Tokens returned by sign-in and refresh. */
export interface TokenSet {
  /** Bearer token for API calls (a Cognito-shaped access token). */
  accessToken: string;
  /** Token for `/auth/refresh`; a rotated one replaces it when present in a refresh response. */
  refreshToken?: string;
  /** Seconds until `accessToken` expires. */
  expiresIn: number;
  tokenType: 'Bearer';
}

/** The port. Errors are `AppError`s: 401 for bad credentials, 409 for a taken email, 400 for a weak password. */
export interface IdentityProvider {
  readonly mode: 'local' | 'cognito';
  /** Verifies access tokens issued by this provider. */
  readonly verifier: TokenVerifier;
  /** Creates an account; `confirmed` is false when an emailed code must be confirmed first. */
  signUp(email: string, password: string): Promise<{ userId: string; confirmed: boolean }>;
  /** Confirms a sign-up with the emailed code. */
  confirm(email: string, code: string): Promise<void>;
  /** Signs in with email and password. */
  logIn(email: string, password: string): Promise<TokenSet & { userId: string }>;
  /** Exchanges a refresh token for a new access token (and, locally, a rotated refresh token). */
  refresh(refreshToken: string): Promise<TokenSet>;
  /** Signs the user out everywhere: every refresh token of the user stops working. */
  logOut(userId: string, accessToken: string): Promise<void>;
  /**
   * The account's email, asked of the provider (used when no profile exists yet).
   * @throws UnauthorizedError when the provider no longer knows the account (deleted)
   */
  emailOf(userId: string, accessToken: string): Promise<string | null>;
  /**
   * The id of the user whose account has this (normalised) email, or null when there is none.
   * Cognito: a `ListUsers` filtered by email, an administrator's call (the command line uses it).
   */
  findUserId(email: string): Promise<string | null>;
  /** The id of the user whose email and password these are, or null when they do not match. */
  passwordOwner(email: string, password: string): Promise<string | null>;
  /**
   * Deletes the user's account at the provider — locally the email's account item (only when it
   * belongs to `userId`), in Cognito the user itself (`AdminDeleteUser` by its `sub`).
   * @returns how many account records were removed (0 or 1).
   */
  deleteAccount(userId: string, email: string | null, accessToken: string): Promise<number>;
}

/** Normalises an email for use as a sign-in name: trimmed and lower-cased. */
export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}
