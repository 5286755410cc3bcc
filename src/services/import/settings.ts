/**
 * What an import brings besides data: the user's preferences and AI feature configs (an
 * export's `preferences` and `featureConfigs`), each value validated as its own route validates
 * it. They are applied before anything else, because the time zone decides what the dump's
 * date-only timestamps mean.
 */
import type { UserCtx } from '../../api/deps.js';
import { AIFeature, FeatureProviderConfig } from '../../api/schemas/ai.js';
import { UpdateMeBody } from '../../api/schemas/auth.js';
import { ModePreference, TimeZone } from '../../api/schemas/common.js';
import { WeeklyReviewDayBody } from '../../api/schemas/preferences.js';
import { featureOverrides, setFeatureConfig } from '../feature-configs.js';
import { findProfile, updateProfile, type ProfilePatch } from '../profile.js';
import { issuesText, type RawCollection } from './parse.js';
import type { ImportReport } from './report.js';
import { holds } from './write.js';

/**
 * The dump's preferences (an export's): time zone, mode, weekly review day and display name,
 * each validated as the preference routes validate it; an invalid one is left as it was, with a
 * warning.
 */
export async function importPreferences(
  ctx: UserCtx,
  collection: RawCollection | undefined,
  report: ImportReport,
): Promise<void> {
  const value = collection?.records[0]?.value;
  if (!collection || !value) return;
  const schemas = {
    timeZone: TimeZone,
    mode: ModePreference,
    weeklyReviewDay: WeeklyReviewDayBody.shape.weeklyReviewDay,
    displayName: UpdateMeBody.shape.displayName,
  };
  const patch: Record<string, unknown> = {};
  for (const [field, schema] of Object.entries(schemas)) {
    if (value[field] === undefined) continue;
    const parsed = schema.safeParse(value[field]);
    if (parsed.success) patch[field] = parsed.data;
    else report.warn(collection.key, field, `${issuesText(parsed.error)}; left as it was`);
  }
  const profile = await findProfile(ctx);
  if (profile && holds(profile as unknown as Record<string, unknown>, patch)) {
    report.count(collection.key, 'unchanged');
    return;
  }
  await updateProfile(ctx, patch as ProfilePatch);
  report.count(collection.key, profile ? 'updated' : 'created');
}

/** The dump's AI feature configs (an export's): the user's provider and model per feature. */
export async function importFeatureConfigs(
  ctx: UserCtx,
  collection: RawCollection | undefined,
  report: ImportReport,
): Promise<void> {
  if (!collection) return;
  const stored = await featureOverrides(ctx);
  for (const { key, value } of collection.records) {
    const feature = AIFeature.safeParse(key);
    if (!feature.success) {
      report.fail(collection.key, key, `unknown AI feature ${JSON.stringify(key)}`);
      continue;
    }
    const config = FeatureProviderConfig.safeParse(value);
    if (!config.success) {
      report.fail(collection.key, key, issuesText(config.error));
      continue;
    }
    const current = stored.get(feature.data);
    if (current && holds(current, config.data)) {
      report.count(collection.key, 'unchanged');
      continue;
    }
    await setFeatureConfig(ctx, feature.data, config.data);
    report.count(collection.key, current ? 'updated' : 'created');
  }
}
