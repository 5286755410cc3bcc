/**
 * Schemas of rewards and their redemptions (API_CONTRACT.md §b.8 R1–R6, §c.3 Reward,
 * RewardWithRedemptions, RewardRedemption, Create/UpdateRewardInput). Point costs are integers.
 */
import { z } from '@hono/zod-openapi';
import {
  Instant,
  PageQuery,
  RewardCategory,
  RewardStatus,
  Text,
  paged,
  storable,
} from './common.js';

/** A redemption of a reward: `pointsSpent` points debited at `redeemedAt`. */
export const RewardRedemption = z
  .object({
    id: z.string(),
    rewardId: z.string(),
    userId: z.string(),
    pointsSpent: z.number().int(),
    redeemedAt: Instant,
    notes: z.string().nullable(),
  })
  .openapi('RewardRedemption');

/** A reward as stored (`Reward`); the API always returns it with its redemption extras. */
export const Reward = z
  .object({
    id: z.string(),
    title: z.string(),
    description: z.string().nullable(),
    category: z.string(),
    pointCost: z.number().int(),
    icon: z.string().nullable(),
    imageUrl: z.string().nullable(),
    isAutomated: z.boolean(),
    automationInstructions: z.string().nullable(),
    cooldownHours: z.number().nullable(),
    maxRedemptionsPerDay: z.number().int().nullable(),
    status: z.string(),
    userId: z.string(),
    createdAt: Instant,
    updatedAt: Instant,
  })
  .openapi('Reward');

/** A reward with its redemption history and whether it can be redeemed now (§e.12). */
export const RewardWithRedemptions = Reward.extend({
  redemptions: z.array(RewardRedemption).openapi({ description: 'Newest first' }),
  lastRedeemedAt: Instant.nullable(),
  canRedeem: z.boolean().openapi({
    description:
      'Active, under the daily limit and out of cooldown (the balance is not considered)',
  }),
  cooldownMessage: z.string().nullable().openapi({
    description:
      '`Reward is not active`, `Daily redemption limit reached` or `Available in N hour(s)`; null when redeemable',
  }),
}).openapi('RewardWithRedemptions');

const editable = {
  description: Text(2000).optional(),
  icon: Text(200).optional(),
  imageUrl: Text(2000).optional(),
  isAutomated: z.boolean().optional(),
  automationInstructions: Text(5000).optional(),
  cooldownHours: storable(z.number().min(0).max(8760))
    .nullable()
    .optional()
    .openapi({ description: 'Hours between redemptions; null or 0 for none' }),
  maxRedemptionsPerDay: z
    .number()
    .int()
    .min(1)
    .max(1000)
    .nullable()
    .optional()
    .openapi({ description: 'Redemptions per local calendar day; null for no limit' }),
  status: RewardStatus.optional(),
};

const Title = z.string().trim().min(1).max(200);
const PointCost = z.number().int().min(1).max(1_000_000).openapi({ description: 'Points' });

/** `CreateRewardInput`. */
export const RewardCreate = z
  .object({ title: Title, category: RewardCategory, pointCost: PointCost, ...editable })
  .openapi('RewardCreate');

/** `UpdateRewardInput`: every field optional; omitted fields are left untouched, `null` clears. */
export const RewardUpdate = z
  .object({
    title: Title.optional(),
    category: RewardCategory.optional(),
    pointCost: PointCost.optional(),
    ...editable,
  })
  .openapi('RewardUpdate');

/** Body of `POST /rewards/{id}/redeem`. */
export const RedeemBody = z.object({ notes: Text(2000).optional() }).openapi('RedeemBody');

/** Query of `GET /rewards`. */
export const RewardListQuery = PageQuery;

/** `GET /rewards`: rewards with their redemption extras, under `data`. */
export const RewardPage = paged(RewardWithRedemptions).openapi('RewardPage');

/** The parsed type of {@link Reward}. */
export type RewardT = z.output<typeof Reward>;
/** The parsed type of {@link RewardRedemption}. */
export type RewardRedemptionT = z.output<typeof RewardRedemption>;
/** The parsed type of {@link RewardWithRedemptions}. */
export type RewardWithRedemptionsT = z.output<typeof RewardWithRedemptions>;
/** The parsed type of {@link RewardCreate}. */
export type RewardCreateInput = z.output<typeof RewardCreate>;
/** The parsed type of {@link RewardUpdate}. */
export type RewardUpdateInput = z.output<typeof RewardUpdate>;
