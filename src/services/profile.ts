/**
 * The user's profile and preferences: one `PROFILE` item per user holding `email`,
 * `displayName`, `timeZone` (IANA, default `UTC`), `mode` and `weeklyReviewDay`.
 * Every "today" of the other services comes from {@link timeZoneOf}.
 */
import type { UserCtx } from '../api/deps.js';
import { keys } from '../db/keys.js';
import { ConditionFailedError, cond, type Item } from '../db/table.js';
import { nowInstant } from '../utils/dates.js';

/** Default zone of a user who never chose one. */
export const DEFAULT_TIME_ZONE = 'UTC';

/** A user's profile as the API returns it. */
export interface Profile {
  id: string;
  email: string | null;
  displayName: string | null;
  /** IANA zone name that defines the user's calendar days. */
  timeZone: string;
  /** `work` or `leisure`. */
  mode: 'work' | 'leisure';
  /** 0–6, 0 = Sunday. */
  weeklyReviewDay: number;
  createdAt: string;
  updatedAt: string;
}

/** Profile fields a user can change. */
export type ProfilePatch = Partial<
  Pick<Profile, 'displayName' | 'timeZone' | 'mode' | 'weeklyReviewDay'>
>;

function toProfile(item: Item): Profile {
  return {
    id: String(item.userId),
    email: (item.email as string | null | undefined) ?? null,
    displayName: (item.displayName as string | null | undefined) ?? null,
    timeZone: (item.timeZone as string | undefined) ?? DEFAULT_TIME_ZONE,
    mode: (item.mode as Profile['mode'] | undefined) ?? 'work',
    weeklyReviewDay: (item.weeklyReviewDay as number | undefined) ?? 0,
    createdAt: String(item.createdAt),
    updatedAt: String(item.updatedAt),
  };
}

/**
 * Creates the profile unless it exists (the first sign-in of a user created elsewhere, e.g. by
 * the front end through Cognito directly). Returns the stored profile either way.
 */
export async function ensureProfile(
  ctx: UserCtx,
  initial: { email: string | null; displayName?: string | null },
): Promise<Profile> {
  const now = nowInstant(ctx.clock);
  const item: Item = {
    ...keys.profile(ctx.userId),
    entityType: 'PROFILE',
    userId: ctx.userId,
    email: initial.email,
    displayName: initial.displayName ?? null,
    timeZone: DEFAULT_TIME_ZONE,
    createdAt: now,
    updatedAt: now,
  };
  try {
    await ctx.db.put(item, cond.notExists('pk'));
    return toProfile(item);
  } catch (err) {
    if (!(err instanceof ConditionFailedError)) throw err;
    return toProfile((await ctx.db.get(keys.profile(ctx.userId))) as Item);
  }
}

/** The stored profile, or null when the user has none yet. */
export async function findProfile(ctx: UserCtx): Promise<Profile | null> {
  const item = await ctx.db.get(keys.profile(ctx.userId));
  return item ? toProfile(item) : null;
}

/** Applies `patch` (or, internally, a newly learnt email) to the profile, creating it when missing. */
export async function updateProfile(
  ctx: UserCtx,
  patch: ProfilePatch & { email?: string },
): Promise<Profile> {
  if (!(await findProfile(ctx))) await ensureProfile(ctx, { email: null });
  const set = Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined));
  const item = await ctx.db.update(keys.profile(ctx.userId), {
    set: { ...set, updatedAt: nowInstant(ctx.clock) },
    condition: cond.exists('pk'),
  });
  return toProfile(item);
}

/** The user's IANA time zone (`UTC` when never set). */
export async function timeZoneOf(ctx: UserCtx): Promise<string> {
  return (await findProfile(ctx))?.timeZone ?? DEFAULT_TIME_ZONE;
}
