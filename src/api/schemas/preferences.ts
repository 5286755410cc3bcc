/** Schemas of the user's preferences: X4–X9 of API_CONTRACT.md §b.1. */
import { z } from '@hono/zod-openapi';
import { ModePreference, TimeZone } from './common.js';

/** Work or leisure mode (`{mode}`), in and out. */
export const ModeBody = z.object({ mode: ModePreference }).openapi('ModeSetting');

/** `PUT /preferences/time-zone` body: an IANA zone, validated by constructing it. */
export const TimeZoneBody = z.object({ timeZone: TimeZone });

/** The user's IANA time zone (default `UTC`). */
export const TimeZoneSetting = z
  .object({ timeZone: z.string().openapi({ example: 'America/Los_Angeles' }) })
  .openapi('TimeZoneSetting');

/** Day of the weekly review, 0 = Sunday … 6 = Saturday (default 0), in and out. */
export const WeeklyReviewDayBody = z
  .object({ weeklyReviewDay: z.number().int().min(0).max(6).openapi({ example: 0 }) })
  .openapi('WeeklyReviewDaySetting');

/** Every preference with its default filled in. */
export const Preferences = ModeBody.extend(TimeZoneSetting.shape).extend(WeeklyReviewDayBody.shape);

/** The parsed type of {@link Preferences}. */
export type PreferencesT = z.output<typeof Preferences>;
