/**
 * Rewards and their redemption (API_CONTRACT.md §b.8 R1–R6, §c.3, rules §e.12–e.13).
 *
 * A redemption is **one** transaction of four operations: the reward's `version` is bumped on
 * condition that it is still the version read and the reward is still `Active`; the redemption
 * item is added; the `spend` ledger entry is appended; the balance is debited on condition that
 * `totalPoints ≥ pointCost` (services/wallet.ts). The availability rules (daily limit, cooldown)
 * are evaluated on the redemptions read together with that version, and every redemption bumps
 * it — so two racing redemptions cannot both pass a limit that only one fits: the loser's
 * transaction fails, it re-reads and re-evaluates. A failed balance condition answers
 * `INSUFFICIENT_POINTS` (409) and nothing is written.
 */
import type { UserCtx } from '../../api/deps.js';
import type {
  RewardCreateInput,
  RewardRedemptionT,
  RewardT,
  RewardUpdateInput,
  RewardWithRedemptionsT,
} from '../../api/schemas/rewards.js';
import { AppError, ConflictError } from '../../core/errors.js';
import { childPk, keys } from '../../db/keys.js';
import { entityItem, fromItem, type EntityBase } from '../../db/models.js';
import { getEntity, listEntities, sameVersion } from '../../db/queries.js';
import {
  ConditionFailedError,
  TransactionCanceledError,
  cond,
  queryAll,
  type Item,
  type TransactOp,
} from '../../db/table.js';
import { nowInstant } from '../../utils/dates.js';
import { newId } from '../../utils/ids.js';
import { paginate, type PageRequest, type PageSlice } from '../../utils/paging.js';
import { deleteVersioned } from '../entity-writes.js';
import { timeZoneOf } from '../profile.js';
import { getBalance, ledgerOps } from '../wallet.js';
import { availability, lastRedeemedAt } from './availability.js';

const MAX_ATTEMPTS = 5;

/** The API shape of a stored reward (without its redemption extras). */
export function toReward(item: Item): RewardT {
  const r = fromItem<Record<string, unknown>>(item);
  const orNull = <T>(value: unknown) => (value as T | null | undefined) ?? null;
  return {
    id: String(r.id),
    title: String(r.title),
    description: orNull<string>(r.description),
    category: String(r.category),
    pointCost: Number(r.pointCost),
    icon: orNull<string>(r.icon),
    imageUrl: orNull<string>(r.imageUrl),
    isAutomated: Boolean(r.isAutomated),
    automationInstructions: orNull<string>(r.automationInstructions),
    cooldownHours: orNull<number>(r.cooldownHours),
    maxRedemptionsPerDay: orNull<number>(r.maxRedemptionsPerDay),
    status: String(r.status),
    userId: String(r.userId),
    createdAt: String(r.createdAt),
    updatedAt: String(r.updatedAt),
  };
}

/** The API shape of a stored redemption. */
export function toRedemption(item: Item): RewardRedemptionT {
  return {
    id: String(item.id),
    rewardId: String(item.rewardId),
    userId: String(item.userId),
    pointsSpent: Number(item.pointsSpent),
    redeemedAt: String(item.redeemedAt),
    notes: (item.notes as string | null | undefined) ?? null,
  };
}

/**
 * How far back a reward's `redemptions` list reaches: 31 days, enough for the daily limit; the
 * cooldown uses the reward's own `lastRedeemedAt`, which every redemption updates.
 */
export const RECENT_REDEMPTION_DAYS = 31;

function recentSince(ctx: UserCtx): string {
  return new Date(ctx.clock.now().getTime() - RECENT_REDEMPTION_DAYS * 86_400_000).toISOString();
}

/**
 * The item of a redemption: in its reward's child partition and on GSI1 for the user, with the
 * id of the `spend` ledger entry that paid for it (null when unknown, e.g. history imported from
 * a browser).
 */
export function redemptionItem(
  userId: string,
  redemption: RewardRedemptionT,
  transactionId: string | null,
): Item {
  return {
    ...redemption,
    ...keys.redemption(userId, redemption.rewardId, redemption.redeemedAt, redemption.id),
    ...keys.childIndex(
      userId,
      'REDEMPTION',
      `${redemption.redeemedAt}#${redemption.rewardId}#${redemption.id}`,
    ),
    entityType: 'REDEMPTION',
    transactionId,
  };
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

/** A stored reward with its extras; `timeZone` saves reading the profile again. */
async function view(ctx: UserCtx, item: Item, timeZone?: string): Promise<RewardWithRedemptionsT> {
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

// ---- reads ----------------------------------------------------------------------------------

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
  return view(ctx, await getEntity(ctx.db, ctx.userId, 'REWARD', id));
}

// ---- writes ---------------------------------------------------------------------------------

/**
 * A new reward from create input (status `Active`, optional fields null/false); `base` gives its
 * id, owner and instants. Shared by {@link createReward} and the import.
 */
export function newReward(input: RewardCreateInput, base: EntityBase): RewardT {
  return {
    ...base,
    title: input.title,
    description: input.description ?? null,
    category: input.category,
    pointCost: input.pointCost,
    icon: input.icon ?? null,
    imageUrl: input.imageUrl ?? null,
    isAutomated: input.isAutomated ?? false,
    automationInstructions: input.automationInstructions ?? null,
    cooldownHours: input.cooldownHours ?? null,
    maxRedemptionsPerDay: input.maxRedemptionsPerDay ?? null,
    status: input.status ?? 'Active',
  };
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
      return view(ctx, item);
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

// ---- redemption -----------------------------------------------------------------------------

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
