/** Schemas of the AI feature configs (API_CONTRACT.md X10–X12, §d.3). */
import { z } from '@hono/zod-openapi';
import { AI_FEATURES, LLM_PROVIDERS } from '../../ai/config.js';

/** One of the 42 `AIFeature` keys. */
export const AIFeature = z.enum(AI_FEATURES).openapi('AIFeature');
/** One of the `LLMProvider` values. */
export const LLMProvider = z.enum(LLM_PROVIDERS).openapi('LLMProvider');

/** `{feature}` path parameter. */
export const FeatureParams = z.object({
  feature: AIFeature.openapi({ param: { name: 'feature', in: 'path' } }),
});

/** `FeatureProviderConfig`: the provider and any model name of it. */
export const FeatureProviderConfig = z
  .object({
    provider: LLMProvider,
    model: z.string().trim().min(1).max(200).openapi({ example: 'claude-sonnet-4-6' }),
  })
  .openapi('FeatureProviderConfig');

/** X10's `data`: every feature's config, the user's choice or the default. */
export const FeatureConfigMap = z
  .record(AIFeature, FeatureProviderConfig)
  .openapi('FeatureConfigMap');

/** The parsed type of {@link FeatureProviderConfig}. */
export type FeatureProviderConfigT = z.output<typeof FeatureProviderConfig>;
/** The parsed type of {@link FeatureConfigMap}. */
export type FeatureConfigMapT = z.output<typeof FeatureConfigMap>;
