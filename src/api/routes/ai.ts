/**
 * The AI domain's routes. So far the per-feature provider/model choices (X10–X12); the `/ai/*`
 * features join this list (the `ai` Lambda function serves both prefixes).
 */
import { defineRoute } from '../route.js';
import { FeatureConfigMap, FeatureParams, FeatureProviderConfig } from '../schemas/ai.js';
import * as featureConfigs from '../../services/feature-configs.js';

const tags = ['AI settings'];

/** The routes of this module, for `createRouter`. */
export const aiRoutes = [
  defineRoute({
    method: 'get',
    path: '/preferences/feature-configs',
    tags,
    summary: 'Provider and model of every AI feature',
    description:
      'An object keyed by all 42 `AIFeature` keys: the user’s choice, or the default (§d.3) where none was made.',
    response: FeatureConfigMap,
    handler: ({ ctx }) => featureConfigs.listFeatureConfigs(ctx),
  }),
  defineRoute({
    method: 'post',
    path: '/preferences/feature-configs/{feature}',
    tags,
    summary: 'Choose the provider and model of one AI feature',
    description: 'Any model name is accepted for a known provider.',
    params: FeatureParams,
    body: FeatureProviderConfig,
    response: null,
    handler: ({ ctx, params, body }) => featureConfigs.setFeatureConfig(ctx, params.feature, body),
  }),
  defineRoute({
    method: 'delete',
    path: '/preferences/feature-configs/{feature}',
    tags,
    summary: 'Reset one AI feature to its default provider and model',
    params: FeatureParams,
    response: null,
    handler: ({ ctx, params }) => featureConfigs.resetFeatureConfig(ctx, params.feature),
  }),
];
