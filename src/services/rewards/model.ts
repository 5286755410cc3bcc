/**
 * The reward entity and its redemptions as stored and as the API returns them (§c.3), and a new
 * reward from create input (`newReward`, shared by the API and the import).
 */
import type { RewardCreateInput, RewardRedemptionT, RewardT } from '../../api/schemas/rewards.js';
import { keys } from '../../db/keys.js';
import { fromItem, type EntityBase } from '../../db/models.js';
import type { Item } from '../../db/table.js';

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
