/**
 * Redemptions (API_CONTRACT.md §b.8 R6, rules §e.12–e.13): the recent history each reward shows,
 * its availability, and the redemption itself.
 *
 * A redemption is **one** transaction of four operations: the reward's `version` is bumped on
 * condition that it is still the version read and the reward is still `Active` (and its
 * `lastRedeemedAt` set); the redemption item is added; the `spend` ledger entry is appended; the
 * balance is debited on condition that `totalPoints ≥ pointCost` (services/wallet.ts). The
 * availability rules (daily limit, cooldown) are evaluated on the redemptions read together with
 * that version, and every redemption bumps it — so two racing redemptions cannot both pass a
 * limit that only one fits: the loser's transaction fails, it re-reads and re-evaluates. A failed
 * balance condition answers `INSUFFICIENT_POINTS` (409) and nothing is written.
 */
import type { UserCtx } from '../../api/deps.js';
import type { RewardRedemptionT, RewardWithRedemptionsT } from '../../api/schemas/rewards.js';
import { AppError, ConflictError } from '../../core/errors.js';
import { childPk, keys } from '../../db/keys.js';
import { getEntity, sameVersion } from '../../db/queries.js';
import {
  ConditionFailedError,
  TransactionCanceledError,
  cond,
  queryAll,
  type Item,
  type TransactOp,
} from '../../db/table.js';
import { newId } from '../../utils/ids.js';
import { timeZoneOf } from '../profile.js';
import { getBalance, ledgerOps } from '../wallet.js';
import { availability, lastRedeemedAt } from './availability.js';
import { redemptionItem, toRedemption, toReward } from './model.js';

/** Attempts of a write that lost a race before it answers 409. */
export const MAX_ATTEMPTS = 5;

/**
 * How far back a reward's `redemptions` list reaches: 31 days, enough for the daily limit; the
 * cooldown uses the reward's own `lastRedeemedAt`, which every redemption updates.
 */
export const RECENT_REDEMPTION_DAYS = 31;

function recentSince(ctx: UserCtx): string {
  return new Date(ctx.clock.now().getTime() - RECENT_REDEMPTION_DAYS * 86_400_000).toISOString();
}

/** A reward's redemptions of the last {@link RECENT_REDEMPTION_DAYS} days, newest first (one query). */
async function loadRedemptions(ctx: UserCtx, rewardId: string): Promise<RewardRedemptionT[]> {
  const items = await queryAll(ctx.db, {
    pk: childPk(ctx.userId, 'REWARD', rewardId),
    sk: { between: [`${keys.redemptionPrefix}${recentSince(ctx)}`, `${keys.redemptionPrefix}~`] },
    forward: false,
  });
  return items.map(toRedemption);
}

/**
 * The recent redemptions of ALL the user's rewards, grouped by reward id, newest first: one
 * query of GSI1, however many rewards there are.
 */
export async function loadAllRecentRedemptions(
  ctx: UserCtx,
): Promise<Map<string, RewardRedemptionT[]>> {
  const items = await queryAll(ctx.db, {
    index: 'GSI1',
    pk: keys.childIndexPk(ctx.userId, 'REDEMPTION'),
    sk: { op: '>=', value: recentSince(ctx) },
    forward: false,
  });
  const byReward = new Map<string, RewardRedemptionT[]>();
  for (const redemption of items.map(toRedemption)) {
    byReward.set(redemption.rewardId, [...(byReward.get(redemption.rewardId) ?? []), redemption]);
  }
  return byReward;
}

/**
 * A reward with its recent redemptions and its availability at the clock's now (§c.3
 * RewardWithRedemptions). `lastRedeemedAt` is the reward's own (all-time) value.
 */
export function withRedemptions(
  ctx: UserCtx,
  item: Item,
  redemptions: RewardRedemptionT[],
  timeZone: string,
): RewardWithRedemptionsT {
  const reward = toReward(item);
  const instants = redemptions.map((r) => r.redeemedAt);
  const stored = typeof item.lastRedeemedAt === 'string' ? item.lastRedeemedAt : null;
  const last = lastRedeemedAt([...instants, ...(stored ? [stored] : [])]);
  const verdict = availability(reward, instants, ctx.clock.now(), timeZone, stored);
  return {
    ...reward,
    redemptions,
    lastRedeemedAt: last,
    canRedeem: verdict.canRedeem,
    cooldownMessage: verdict.cooldownMessage,
  };
}

/** A stored reward with its recent redemptions and availability; `timeZone` saves a profile read. */
export async function rewardView(
  ctx: UserCtx,
  item: Item,
  timeZone?: string,
): Promise<RewardWithRedemptionsT> {
  const [redemptions, zone] = await Promise.all([
    loadRedemptions(ctx, String(item.id)),
    timeZone ?? timeZoneOf(ctx),
  ]);
  return withRedemptions(ctx, item, redemptions, zone);
}

/**
 * Sets the reward's `lastRedeemedAt` to its newest stored redemption when that is later (after
 * redemptions were written other than by `redeemReward`, e.g. by an import). One query and at
 * most one conditional update; a reward that no longer exists is left alone.
 */
export async function refreshLastRedeemedAt(ctx: UserCtx, rewardId: string): Promise<void> {
  const newest = await ctx.db.query({
    pk: childPk(ctx.userId, 'REWARD', rewardId),
    sk: { beginsWith: keys.redemptionPrefix },
    forward: false,
    limit: 1,
  });
  const latest = newest.items[0]?.redeemedAt;
  if (typeof latest !== 'string') return;
  try {
    await ctx.db.update(keys.entity(ctx.userId, 'REWARD', rewardId), {
      set: { lastRedeemedAt: latest },
      add: { version: 1 },
      condition: cond.and(
        cond.exists('pk'),
        cond.or(cond.notExists('lastRedeemedAt'), cond.lt('lastRedeemedAt', latest)),
      ),
    });
  } catch (err) {
    if (!(err instanceof ConditionFailedError)) throw err;
  }
}

/** What a redemption attempt is decided on: the reward (with its version) and its redemptions. */
export interface RedeemSnapshot {
  reward: Item;
  redemptions: RewardRedemptionT[];
  timeZone: string;
}

/**
 * Reads what a redemption is decided on. The reward is read **first**: a redemption that lands
 * after this read bumps its version, so the attempt's condition catches it. @throws NotFoundError
 */
export async function loadRedeemSnapshot(ctx: UserCtx, rewardId: string): Promise<RedeemSnapshot> {
  const reward = await getEntity(ctx.db, ctx.userId, 'REWARD', rewardId);
  const [redemptions, timeZone] = await Promise.all([
    loadRedemptions(ctx, rewardId),
    timeZoneOf(ctx),
  ]);
  return { reward, redemptions, timeZone };
}

/** 409 `INSUFFICIENT_POINTS` with the cost and the balance read now. */
async function insufficientPoints(ctx: UserCtx, pointCost: number): Promise<AppError> {
  const balance = (await getBalance(ctx)).totalPoints;
  return new AppError(
    'INSUFFICIENT_POINTS',
    `Not enough points: the reward costs ${pointCost} and the balance is ${balance}`,
    { pointCost, balance },
  );
}

/**
 * One redemption attempt on `snapshot` (see the module comment).
 *
 * @returns the redemption, or null when the reward changed since the snapshot (re-read and retry).
 * @throws ConflictError (409) with the contract's message when the reward is not redeemable now
 *   (`details.reason`: `inactive`, `daily_limit`, `cooldown`); AppError `INSUFFICIENT_POINTS`
 *   (409) when the balance is below the cost at commit time.
 */
export async function attemptRedeem(
  ctx: UserCtx,
  snapshot: RedeemSnapshot,
  notes: string | null,
): Promise<RewardRedemptionT | null> {
  const reward = toReward(snapshot.reward);
  const stored = snapshot.reward.lastRedeemedAt;
  const verdict = availability(
    reward,
    snapshot.redemptions.map((r) => r.redeemedAt),
    ctx.clock.now(),
    snapshot.timeZone,
    typeof stored === 'string' ? stored : null,
  );
  if (!verdict.canRedeem) {
    throw new ConflictError(verdict.cooldownMessage ?? 'Reward is not available', {
      reason: verdict.reason,
      ...(verdict.availableAt ? { availableAt: verdict.availableAt } : {}),
    });
  }
  const ledger = ledgerOps(ctx, {
    type: 'spend',
    source: 'reward_redemption',
    amount: reward.pointCost,
    sourceEntityType: 'reward',
    sourceEntityId: reward.id,
    description: `Redeemed reward: ${reward.title}`,
  });
  const redemption: RewardRedemptionT = {
    id: newId(),
    rewardId: reward.id,
    userId: ctx.userId,
    pointsSpent: reward.pointCost,
    redeemedAt: ledger.transaction.createdAt,
    notes,
  };
  const ops: TransactOp[] = [
    {
      update: keys.entity(ctx.userId, 'REWARD', reward.id),
      spec: {
        add: { version: 1 },
        set: { lastRedeemedAt: redemption.redeemedAt },
        condition: cond.and(sameVersion(snapshot.reward), cond.eq('status', 'Active')),
      },
    },
    {
      put: redemptionItem(ctx.userId, redemption, ledger.transaction.id),
      condition: cond.notExists('pk'),
    },
    ...ledger.ops,
  ];
  try {
    await ctx.db.transactWrite(ops);
    return redemption;
  } catch (err) {
    if (!(err instanceof TransactionCanceledError)) throw err;
    // A short balance is final; a changed reward is re-read (it may have become unavailable).
    if (err.failedAt(2 + ledger.balanceOpIndex)) {
      throw await insufficientPoints(ctx, reward.pointCost);
    }
    if (err.failedAt(0)) return null;
    throw err;
  }
}

/**
 * `POST /rewards/{id}/redeem`: debits `pointCost` and records the redemption in one transaction,
 * re-reading and retrying when another redemption or edit of the reward landed first.
 * @throws NotFoundError; ConflictError when not redeemable now; AppError `INSUFFICIENT_POINTS`
 */
export async function redeemReward(
  ctx: UserCtx,
  rewardId: string,
  notes: string | null,
): Promise<RewardRedemptionT> {
  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
    const redemption = await attemptRedeem(ctx, await loadRedeemSnapshot(ctx, rewardId), notes);
    if (redemption) return redemption;
  }
  throw new ConflictError('The reward changed while it was being redeemed; try again');
}
