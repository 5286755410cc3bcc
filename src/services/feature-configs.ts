/**
 * Per-user, per-feature LLM provider/model choices (API_CONTRACT.md X10–X12, §d.3). One item
 * per overridden feature under the user's partition (`FEATURECONFIG#{feature}`); a feature
 * without one uses {@link defaultFeatureConfig}. The AI features read their model from here.
 */
import type { UserCtx } from '../api/deps.js';
import type { FeatureConfigMapT, FeatureProviderConfigT } from '../api/schemas/ai.js';
import { AI_FEATURES, defaultFeatureConfig, type AIFeature } from '../ai/config.js';
import { keys, userPk } from '../db/keys.js';
import { queryAll } from '../db/table.js';
import { nowInstant } from '../utils/dates.js';

/** The user's own choices (features whose default they changed), by feature. */
export async function featureOverrides(
  ctx: UserCtx,
): Promise<Map<AIFeature, FeatureProviderConfigT>> {
  const items = await queryAll(ctx.db, {
    pk: userPk(ctx.userId),
    sk: { beginsWith: keys.featureConfigPrefix },
  });
  return new Map(
    items.map((item) => [
      item.feature as AIFeature,
      { provider: item.provider as FeatureProviderConfigT['provider'], model: String(item.model) },
    ]),
  );
}

/** Every feature's config: the user's override where one exists, the default elsewhere (42 keys). */
export async function listFeatureConfigs(ctx: UserCtx): Promise<FeatureConfigMapT> {
  const chosen = await featureOverrides(ctx);
  return Object.fromEntries(
    AI_FEATURES.map((feature) => [feature, chosen.get(feature) ?? defaultFeatureConfig(feature)]),
  ) as FeatureConfigMapT;
}

/** Sets the user's provider/model for `feature` (replacing any earlier choice). */
export async function setFeatureConfig(
  ctx: UserCtx,
  feature: AIFeature,
  config: FeatureProviderConfigT,
): Promise<void> {
  await ctx.db.put({
    ...keys.featureConfig(ctx.userId, feature),
    entityType: 'FEATURECONFIG',
    userId: ctx.userId,
    feature,
    provider: config.provider,
    model: config.model,
    updatedAt: nowInstant(ctx.clock),
  });
}

/** Resets `feature` to its default. Idempotent: resetting a feature never set is not an error. */
export async function resetFeatureConfig(ctx: UserCtx, feature: AIFeature): Promise<void> {
  await ctx.db.delete(keys.featureConfig(ctx.userId, feature));
}
