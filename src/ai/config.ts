/**
 * The AI features and LLM providers of the contract (API_CONTRACT.md §c.1, §d.3) and each
 * feature's default provider/model (contract.json `feature_config_defaults`, the client's
 * `DEFAULT_FEATURE_PROVIDERS`). Users override a feature's choice with X11 and reset it with X12.
 */

/** The 42 `AIFeature` keys, in the contract's order. */
export const AI_FEATURES = [
  'parseTask',
  'breakdownTask',
  'priorityAdvisor',
  'effortEstimation',
  'taskCategorization',
  'dependencyDetection',
  'projectHealth',
  'projectTaskGen',
  'projectRisk',
  'goalRefinement',
  'successCriteriaGen',
  'metricSuggestions',
  'goalCascade',
  'achievementForecast',
  'goalConflict',
  'goalProgress',
  'metricPatterns',
  'metricAnomalies',
  'metricCorrelations',
  'metricTargets',
  'metricHealth',
  'habitDesign',
  'habitStack',
  'streakRecovery',
  'habitPatterns',
  'triggerOptimization',
  'habitGoalAlignment',
  'reflectionPrompts',
  'dailyDigest',
  'logbookPatterns',
  'sentimentAnalysis',
  'weeklyReview',
  'connectionSuggestions',
  'noteExpand',
  'noteSummarize',
  'noteImprove',
  'noteTagSuggest',
  'noteAreaSuggest',
  'noteLinkSuggest',
  'noteGenerate',
  'noteExtract',
  'noteAnalyze',
] as const;

/** One `AIFeature` key. */
export type AIFeature = (typeof AI_FEATURES)[number];

/** The `LLMProvider` values. */
export const LLM_PROVIDERS = [
  'anthropic',
  'openai',
  'gemini',
  'grok',
  'deepseek',
  'groq',
  'cerebras',
] as const;

/** One `LLMProvider`. */
export type LLMProvider = (typeof LLM_PROVIDERS)[number];

/** Default model of the light features (§d.3: parse, estimate, categorise, note helpers…). */
export const DEFAULT_LIGHT_MODEL = 'claude-3-5-haiku-20241022';
/** Default model of every other feature (§d.3). */
export const DEFAULT_MODEL = 'claude-3-5-sonnet-20241022';

const LIGHT_FEATURES: ReadonlySet<AIFeature> = new Set<AIFeature>([
  'parseTask',
  'effortEstimation',
  'taskCategorization',
  'metricTargets',
  'connectionSuggestions',
  'noteExpand',
  'noteSummarize',
  'noteTagSuggest',
  'noteAreaSuggest',
  'noteLinkSuggest',
  'noteExtract',
]);

/** The default `FeatureProviderConfig` of `feature`: provider `anthropic`, model per §d.3. */
export function defaultFeatureConfig(feature: AIFeature): { provider: LLMProvider; model: string } {
  return {
    provider: 'anthropic',
    model: LIGHT_FEATURES.has(feature) ? DEFAULT_LIGHT_MODEL : DEFAULT_MODEL,
  };
}
