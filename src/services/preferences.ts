/**
 * The user's preferences (API_CONTRACT.md §b.1 X4–X9): `mode` (`work` | `leisure`, default
 * `work`), `timeZone` (IANA, default `UTC`; it defines every "today" of the other services) and
 * `weeklyReviewDay` (0 = Sunday … 6, default 0). They live in the profile item
 * (`services/profile.ts`); this module only reads and writes one of them at a time.
 */
import type { UserCtx } from '../api/deps.js';
import type { PreferencesT } from '../api/schemas/preferences.js';
import { DEFAULT_TIME_ZONE, findProfile, updateProfile } from './profile.js';

/** The defaults of a user who never chose. */
const DEFAULTS: PreferencesT = { mode: 'work', timeZone: DEFAULT_TIME_ZONE, weeklyReviewDay: 0 };

/** Preference `name` as `{[name]: value}` (its default when never set). Reads the profile item. */
export async function getPreference<K extends keyof PreferencesT>(
  ctx: UserCtx,
  name: K,
): Promise<Pick<PreferencesT, K>> {
  const profile = await findProfile(ctx);
  return { [name]: profile?.[name] ?? DEFAULTS[name] } as Pick<PreferencesT, K>;
}

/**
 * Sets preference `name` (the value is already validated: a canonical IANA zone, a mode, a day
 * 0–6) and returns it as `{[name]: value}`. Creates the profile when the user has none yet.
 */
export async function setPreference<K extends keyof PreferencesT>(
  ctx: UserCtx,
  name: K,
  value: PreferencesT[K],
): Promise<Pick<PreferencesT, K>> {
  const profile: PreferencesT = await updateProfile(ctx, { [name]: value });
  return { [name]: profile[name] } as Pick<PreferencesT, K>;
}
