/**
 * Rewards (API_CONTRACT.md §b.8 R1–R5, §c.3): create, read with their recent redemptions and
 * availability, update, delete. Redeeming is in `redemptions.ts`.
 */
import type { UserCtx } from '../../api/deps.js';
import type {
  RewardCreateInput,
  RewardT,
  RewardUpdateInput,
  RewardWithRedemptionsT,
} from '../../api/schemas/rewards.js';
import { ConflictError } from '../../core/errors.js';
import { childPk, keys } from '../../db/keys.js';
import { entityItem, fromItem } from '../../db/models.js';
import { getEntity, listEntities, sameVersion } from '../../db/queries.js';
import { ConditionFailedError, cond, queryAll, type TransactOp } from '../../db/table.js';
import { nowInstant } from '../../utils/dates.js';
import { newId } from '../../utils/ids.js';
import { paginate, type PageRequest, type PageSlice } from '../../utils/paging.js';
import { deleteVersioned } from '../entity-writes.js';
import { timeZoneOf } from '../profile.js';
import { newReward } from './model.js';
import {
  MAX_ATTEMPTS,
  loadAllRecentRedemptions,
  rewardView,
  withRedemptions,
} from './redemptions.js';

/**
 * `GET /rewards`: the user's rewards in creation order with their extras, paged per §a.3.
 * Three reads whatever the number of rewards: the rewards, the recent redemptions (GSI1), the zone.
 */
export async function listRewards(
  ctx: UserCtx,
  page: PageRequest,
): Promise<PageSlice<RewardWithRedemptionsT>> {
  const [items, redemptions, timeZone] = await Promise.all([
    listEntities(ctx.db, ctx.userId, 'REWARD'),
    loadAllRecentRedemptions(ctx),
    timeZoneOf(ctx),
  ]);
  const slice = paginate(items, page);
  return {
    ...slice,
    items: slice.items.map((item) =>
      withRedemptions(ctx, item, redemptions.get(String(item.id)) ?? [], timeZone),
    ),
  };
}

/** `GET /rewards/{id}`. @throws NotFoundError */
export async function getReward(ctx: UserCtx, id: string): Promise<RewardWithRedemptionsT> {
  return rewardView(ctx, await getEntity(ctx.db, ctx.userId, 'REWARD', id));
}

/** `POST /rewards`: status defaults to `Active`, optional fields to null/false. */
export async function createReward(
  ctx: UserCtx,
  input: RewardCreateInput,
): Promise<RewardWithRedemptionsT> {
  const now = nowInstant(ctx.clock);
  const reward = newReward(input, {
    id: newId(),
    userId: ctx.userId,
    createdAt: now,
    updatedAt: now,
  });
  const item = entityItem('REWARD', reward, 1);
  await ctx.db.put(item, cond.notExists('pk'));
  return withRedemptions(ctx, item, [], await timeZoneOf(ctx));
}

/**
 * `PATCH /rewards/{id}`: omitted fields untouched, `null` clears. Retries when a redemption or
 * another edit landed in between. @throws NotFoundError, ConflictError
 */
export async function updateReward(
  ctx: UserCtx,
  id: string,
  patch: RewardUpdateInput,
): Promise<RewardWithRedemptionsT> {
  const changes = Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined));
  for (let attempt = 1; ; attempt++) {
    const current = await getEntity(ctx.db, ctx.userId, 'REWARD', id);
    // Keep bookkeeping attributes such as `lastRedeemedAt` that are not part of the API shape.
    const next = {
      ...fromItem<RewardT>(current),
      ...changes,
      updatedAt: nowInstant(ctx.clock),
    } as RewardT;
    const item = entityItem('REWARD', next, Number(current.version ?? 0) + 1);
    try {
      await ctx.db.put(item, sameVersion(current));
      return rewardView(ctx, item);
    } catch (err) {
      if (!(err instanceof ConditionFailedError)) throw err;
      if (attempt >= MAX_ATTEMPTS) {
        throw new ConflictError('The reward changed while it was being saved; try again');
      }
    }
  }
}

/**
 * `DELETE /rewards/{id}` with its redemptions (the ledger keeps its entries). The reward goes in
 * the first transaction, conditioned on the version read (re-read when a redemption or an edit
 * landed meanwhile; a reward deleted meanwhile is a 404); more redemptions than one transaction
 * holds go in batches after it. @throws NotFoundError
 */
export async function deleteReward(ctx: UserCtx, id: string): Promise<void> {
  await deleteVersioned(ctx, 'REWARD', id, async (reward) => {
    const children = await queryAll(ctx.db, { pk: childPk(ctx.userId, 'REWARD', id) });
    return [
      { delete: keys.entity(ctx.userId, 'REWARD', id), condition: sameVersion(reward) },
      ...children.map((child): TransactOp => ({ delete: { pk: child.pk, sk: child.sk } })),
    ];
  });
}
