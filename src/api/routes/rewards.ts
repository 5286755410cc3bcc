/** Rewards and redemption: R1–R6 of API_CONTRACT.md §b.8. */
import { defineRoute } from '../route.js';
import { IdParams } from '../schemas/common.js';
import {
  RedeemBody,
  RewardCreate,
  RewardListQuery,
  RewardPage,
  RewardRedemption,
  RewardUpdate,
  RewardWithRedemptions,
} from '../schemas/rewards.js';
import * as rewards from '../../services/rewards/index.js';
import { redeemReward } from '../../services/rewards/redemptions.js';
import { pageBody } from '../../utils/paging.js';

const tags = ['Rewards'];

/** The routes of this module, for `createRouter`. */
export const rewardRoutes = [
  defineRoute({
    method: 'get',
    path: '/rewards',
    tags,
    summary: 'List rewards with their redemptions and availability',
    query: RewardListQuery,
    response: RewardPage,
    handler: async ({ ctx, query }) => pageBody(await rewards.listRewards(ctx, query)),
  }),
  defineRoute({
    method: 'post',
    path: '/rewards',
    tags,
    summary: 'Create a reward',
    body: RewardCreate,
    response: RewardWithRedemptions,
    status: 201,
    handler: ({ ctx, body }) => rewards.createReward(ctx, body),
  }),
  defineRoute({
    method: 'get',
    path: '/rewards/{id}',
    tags,
    summary: 'Get a reward with its redemptions and availability',
    params: IdParams,
    response: RewardWithRedemptions,
    errors: ['NOT_FOUND'],
    handler: ({ ctx, params }) => rewards.getReward(ctx, params.id),
  }),
  defineRoute({
    method: 'patch',
    path: '/rewards/{id}',
    tags,
    summary: 'Update a reward',
    params: IdParams,
    body: RewardUpdate,
    response: RewardWithRedemptions,
    errors: ['NOT_FOUND', 'CONFLICT'],
    handler: ({ ctx, params, body }) => rewards.updateReward(ctx, params.id, body),
  }),
  defineRoute({
    method: 'delete',
    path: '/rewards/{id}',
    tags,
    summary: 'Delete a reward and its redemption history (ledger entries stay)',
    params: IdParams,
    response: null,
    errors: ['NOT_FOUND'],
    handler: ({ ctx, params }) => rewards.deleteReward(ctx, params.id),
  }),
  defineRoute({
    method: 'post',
    path: '/rewards/{id}/redeem',
    tags,
    summary: 'Redeem a reward: debit its cost and record the redemption',
    description:
      'Refused with 409 `CONFLICT` when the reward is not Active, its daily limit (per local day) is reached or it is cooling down (message as `cooldownMessage`), and with 409 `INSUFFICIENT_POINTS` when the balance is below the cost.',
    params: IdParams,
    body: RedeemBody,
    bodyOptional: true,
    response: RewardRedemption,
    status: 201,
    errors: ['NOT_FOUND', 'CONFLICT', 'INSUFFICIENT_POINTS'],
    handler: ({ ctx, params, body }) => redeemReward(ctx, params.id, body.notes ?? null),
  }),
];
