/**
 * The mark a deleted account leaves behind: one item `USER#{id}` / `DELETED`.
 *
 * Access tokens are stateless JWTs that stay valid until they expire (15 minutes locally; Cognito
 * access tokens at most 1 hour, 15 minutes as deployed), and API Gateway's JWT authorizer never
 * asks Cognito whether the user still exists. Without the mark, a deleted account's token could
 * still write — into an emptied partition that no sign-in reaches and no deletion would find
 * again. `DELETE /auth/me` writes the mark before it deletes anything; every request that can
 * write (any method but GET, HEAD and OPTIONS) reads it first and answers 401. It expires through
 * `ttl` after {@link DELETED_MARK_TTL_SECONDS}, longer than any access token lives; reads ignore
 * an expired mark.
 */
import { keys } from '../../db/keys.js';
import { hasExpired } from '../../db/models.js';
import type { Item, Table } from '../../db/table.js';
import { epochSeconds, type Clock } from '../../utils/dates.js';

/** How long the mark outlives the deletion: 24 hours, in seconds. */
export const DELETED_MARK_TTL_SECONDS = 24 * 60 * 60;

/** The mark of `userId`'s deletion, expiring {@link DELETED_MARK_TTL_SECONDS} from now. */
export function deletedMarkItem(userId: string, clock: Clock): Item {
  return {
    ...keys.deletedMark(userId),
    entityType: 'DELETED_ACCOUNT',
    userId,
    deletedAt: clock.now().toISOString(),
    ttl: epochSeconds(clock) + DELETED_MARK_TTL_SECONDS,
  };
}

/** Whether `userId`'s account was deleted within the last 24 hours (one read). */
export async function isAccountDeleted(db: Table, userId: string, clock: Clock): Promise<boolean> {
  const mark = await db.get(keys.deletedMark(userId));
  return mark !== null && !hasExpired(mark, epochSeconds(clock));
}
