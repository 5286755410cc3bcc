/**
 * `DELETE /auth/me`: deletes the account and everything it owns, in both stores.
 *
 * Re-authentication first: the request carries the account's password, or its access token was
 * issued within the last {@link FRESH_TOKEN_SECONDS} (a fresh sign-in). Otherwise 403 — not 401,
 * which would make the front end refresh its token and replay the request, turning any stolen
 * session into a deletion.
 *
 * Then, in batches: every item of the user (`userItems`: the user's partition with its refresh
 * tokens and idempotency records, every child partition, the logs and milestones of the GSI1
 * child indexes), the upload objects under the user's S3 prefix when a bucket is configured, the
 * sign-in account (local: the email's account item; Cognito: `AdminDeleteUser` by the user's
 * `sub`), and the profile last — so a deletion cut short can be repeated: the profile still
 * knows the email the password is checked against.
 *
 * Before anything is deleted, the account gets its deleted mark (`deleted-mark.ts`): from then
 * on every route that writes refuses the account's still-unexpired access tokens with 401, so
 * nothing lands in the emptied account. `/auth/me` answers 401 too: a local user has a profile
 * from sign-up on, so one without a profile is gone; Cognito refuses the deleted user's token.
 * Other reads see an empty account until the token expires.
 */
import type { UserCtx } from '../../api/deps.js';
import type { DeleteAccountResultT } from '../../api/schemas/auth.js';
import { AppError } from '../../core/errors.js';
import { keys } from '../../db/keys.js';
import { userItems } from '../../db/queries.js';
import type { Item, Key } from '../../db/table.js';
import { deleteObjectsUnder } from '../knowledge/files.js';
import { epochSeconds } from '../../utils/dates.js';
import { findProfile } from '../profile.js';
import { deletedMarkItem } from './deleted-mark.js';

/** How recent an access token must be to delete the account without the password: 5 minutes. */
export const FRESH_TOKEN_SECONDS = 5 * 60;

/** The request's proof of identity: its bearer token and when that token was issued. */
export interface DeletionToken {
  accessToken: string;
  /** The token's `iat`, epoch seconds (0 when unknown). */
  issuedAt: number;
}

/**
 * @throws AppError `FORBIDDEN` (403) unless `password` is the account's, or the token was issued
 *   within the last {@link FRESH_TOKEN_SECONDS}.
 */
async function assertReauthenticated(
  ctx: UserCtx,
  email: string | null,
  password: string | undefined,
  issuedAt: number,
): Promise<void> {
  if (password !== undefined) {
    const owner = email ? await ctx.identity.passwordOwner(email, password) : null;
    if (owner !== ctx.userId) throw new AppError('FORBIDDEN', 'The password is not correct');
    return;
  }
  const age = epochSeconds(ctx.clock) - issuedAt;
  if (issuedAt <= 0 || age > FRESH_TOKEN_SECONDS) {
    throw new AppError(
      'FORBIDDEN',
      'Deleting the account needs your password, or a sign-in within the last 5 minutes',
    );
  }
}

/** Adds `items` to `counts` by their kind (`entityType`). */
function countKinds(counts: Record<string, number>, items: Item[]): void {
  for (const item of items) {
    const kind = typeof item.entityType === 'string' ? item.entityType : 'OTHER';
    counts[kind] = (counts[kind] ?? 0) + 1;
  }
}

/**
 * Deletes the account of `ctx.userId` and every item it owns (see the module comment).
 * @returns how many were deleted of each kind (item kinds, `S3_OBJECT`, `ACCOUNT` or
 *   `COGNITO_USER`), and their total.
 * @throws AppError `FORBIDDEN` when the request is not re-authenticated
 */
export async function deleteAccount(
  ctx: UserCtx,
  password: string | undefined,
  token: DeletionToken,
): Promise<DeleteAccountResultT> {
  const email = (await findProfile(ctx))?.email ?? null;
  await assertReauthenticated(ctx, email, password, token.issuedAt);
  await ctx.db.put(deletedMarkItem(ctx.userId, ctx.clock));
  const items = await userItems(ctx.db, ctx.userId);
  const is = (key: Key) => (i: Item) => i.pk === key.pk && i.sk === key.sk;
  const isProfile = is(keys.profile(ctx.userId));
  const isMark = is(keys.deletedMark(ctx.userId));
  const counts: Record<string, number> = {};
  const rest = items.filter((i) => !isProfile(i) && !isMark(i));
  await ctx.db.batchWrite({ delete: rest.map(({ pk, sk }) => ({ pk, sk })) });
  countKinds(counts, rest);
  const objects = await deleteObjectsUnder(ctx.settings, keys.uploadPrefix(ctx.userId));
  if (objects > 0) counts.S3_OBJECT = objects;
  const accounts = await ctx.identity.deleteAccount(ctx.userId, email, token.accessToken);
  if (accounts > 0) counts[ctx.identity.mode === 'local' ? 'ACCOUNT' : 'COGNITO_USER'] = accounts;
  const profiles = items.filter(isProfile);
  await ctx.db.batchWrite({ delete: profiles.map(({ pk, sk }) => ({ pk, sk })) });
  countKinds(counts, profiles);
  const deleted = Object.fromEntries(Object.entries(counts).sort(([a], [b]) => a.localeCompare(b)));
  return { deleted, total: Object.values(counts).reduce((sum, n) => sum + n, 0) };
}
