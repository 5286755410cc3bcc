/**
 * Schemas of habits and their logs, stats, heatmap and today list (API_CONTRACT.md §b.6,
 * §c.2 Habit, HabitLog, HabitStats, HabitToday).
 */
import { z } from '@hono/zod-openapi';
import {
  Area,
  GoalIds,
  HabitFrequency,
  HabitType,
  Id,
  Instant,
  InstantInput,
  LocalDate,
  MetricStatus,
  PageQuery,
  SubCategory,
  Text,
  paged,
  startNotAfterEnd,
  storable,
} from './common.js';

/** A positive daily or weekly target (null: the default of 1). */
const Target = storable(z.number().positive().max(1_000_000)).nullable();

/** A habit as the API returns it (`status` is an extra the client ignores, §f.22). */
export const Habit = z
  .object({
    id: z.string(),
    name: z.string(),
    description: z.string().nullable(),
    area: z.string(),
    subCategory: z.string().nullable(),
    habitType: z.string(),
    frequency: z.string(),
    dailyTarget: z.number().nullable(),
    weeklyTarget: z.number().nullable(),
    intent: z.string().nullable(),
    trigger: z.string().nullable(),
    action: z.string().nullable(),
    reward: z.string().nullable(),
    frictionUp: z.string().nullable(),
    frictionDown: z.string().nullable(),
    notes: z.string().nullable(),
    status: z.string().openapi({ description: 'Active, Paused or Archived (default Active)' }),
    goalIds: z.array(z.string()),
    userId: z.string(),
    createdAt: Instant,
    updatedAt: Instant,
  })
  .openapi('Habit');

const editable = {
  description: Text(10_000).optional(),
  subCategory: SubCategory.nullable().optional(),
  dailyTarget: Target.optional(),
  weeklyTarget: Target.optional(),
  intent: Text(2_000).optional(),
  trigger: Text(2_000).optional(),
  action: Text(2_000).optional(),
  reward: Text(2_000).optional(),
  frictionUp: Text(2_000).optional(),
  frictionDown: Text(2_000).optional(),
  notes: Text(10_000).optional(),
  status: MetricStatus.optional(),
  goalIds: GoalIds.optional(),
};

/** `CreateHabitInput`. */
export const HabitCreate = z
  .object({
    name: z.string().trim().min(1).max(200),
    area: Area,
    habitType: HabitType,
    frequency: HabitFrequency,
    ...editable,
  })
  .openapi('HabitCreate');

/** `UpdateHabitInput`: every field optional; omitted fields are left untouched, `null` clears. */
export const HabitUpdate = z
  .object({
    name: z.string().trim().min(1).max(200).optional(),
    area: Area.optional(),
    habitType: HabitType.optional(),
    frequency: HabitFrequency.optional(),
    ...editable,
  })
  .openapi('HabitUpdate');

/** Query of `GET /habits`. */
export const HabitListQuery = PageQuery.extend({
  area: Area.optional(),
  status: MetricStatus.optional(),
});

/** A habit log; `date` (an extra) is the local date it counts for, fixed when it was written. */
export const HabitLog = z
  .object({
    id: z.string(),
    habitId: z.string(),
    completedAt: Instant,
    amount: z.number().nullable(),
    notes: z.string().nullable(),
    userId: z.string(),
    createdAt: Instant,
    date: LocalDate.openapi({ description: 'Local date in the user’s zone when written' }),
  })
  .openapi('HabitLog');

/**
 * `POST /habits/{id}/logs`: either `{completedAt, amount?, notes?}` or the shipped client's
 * `{completed: true, date, notes?}` (see the service for how `date` becomes a local date).
 * Neither `completedAt` nor `date`: now.
 */
export const HabitLogCreate = z
  .object({
    completedAt: InstantInput.optional(),
    date: LocalDate.optional(),
    completed: z
      .literal(true)
      .optional()
      .openapi({ description: 'Only true; delete a day’s logs to undo' }),
    amount: Target.optional(),
    notes: Text(10_000).optional(),
  })
  .refine((b) => !(b.completedAt && b.date), {
    message: 'send either completedAt or date, not both',
    path: ['date'],
  })
  .openapi('HabitLogCreate');

/** Query of `GET /habits/{id}/logs`: local dates, inclusive. */
export const HabitLogQuery = PageQuery.extend({
  startDate: LocalDate.optional(),
  endDate: LocalDate.optional(),
}).refine(...startNotAfterEnd);

/** Path parameters `{id}/logs/{date}` (a local date). */
export const HabitLogDateParams = z.object({
  id: Id,
  date: LocalDate.openapi({ param: { name: 'date', in: 'path' } }),
});

/** `HabitStats` (+ `strength`). Counts are of logs; streaks in days, weeks or months by frequency. */
export const HabitStats = z
  .object({
    total: z.number().int(),
    last7Days: z.number().int(),
    last30Days: z.number().int(),
    currentStreak: z.number().int(),
    longestStreak: z.number().int(),
    strength: z
      .number()
      .int()
      .min(0)
      .max(100)
      .openapi({ description: 'Habit strength 0–100 (Loop Habit Tracker score)' }),
  })
  .openapi('HabitStats');

/** Query of `GET /habits/{id}/heatmap`: a calendar `year`, or `startDate`/`endDate`. */
export const HeatmapQuery = z
  .object({
    year: z.coerce.number().int().min(1970).max(9999).optional(),
    startDate: LocalDate.optional(),
    endDate: LocalDate.optional(),
  })
  .refine(...startNotAfterEnd)
  .refine((q) => q.year === undefined || (!q.startDate && !q.endDate), {
    message: 'send either year or startDate/endDate',
    path: ['year'],
  });

/** `{ "<local date>": count of logs }`, only days with logs. */
export const Heatmap = z
  .record(z.string(), z.number().int())
  .openapi('Heatmap', { example: { '2026-07-13': 1, '2026-07-14': 2 } });

/** One habit due today and whether today's (or this period's) target is met. */
export const HabitToday = z
  .object({ habitId: z.string(), name: z.string(), completed: z.boolean(), date: LocalDate })
  .openapi('HabitToday');

/** The paged lists of §a.3, under `data`. */
export const HabitPage = paged(Habit).openapi('HabitPage');
/** `GET /habits/{id}/logs`. */
export const HabitLogPage = paged(HabitLog).openapi('HabitLogPage');
/** `GET /habits/today`. */
export const HabitTodayPage = paged(HabitToday).openapi('HabitTodayPage');

/** The parsed type of {@link Habit}. */
export type HabitT = z.output<typeof Habit>;
/** The parsed type of {@link HabitCreate}. */
export type HabitCreateInput = z.output<typeof HabitCreate>;
/** The parsed type of {@link HabitUpdate}. */
export type HabitUpdateInput = z.output<typeof HabitUpdate>;
/** The parsed type of {@link HabitListQuery}. */
export type HabitListQueryT = z.output<typeof HabitListQuery>;
/** The parsed type of {@link HabitLog}. */
export type HabitLogT = z.output<typeof HabitLog>;
/** The parsed type of {@link HabitLogCreate}. */
export type HabitLogCreateInput = z.output<typeof HabitLogCreate>;
/** The parsed type of {@link HabitLogQuery}. */
export type HabitLogQueryT = z.output<typeof HabitLogQuery>;
/** The parsed type of {@link HabitStats}. */
export type HabitStatsT = z.output<typeof HabitStats>;
/** The parsed type of {@link HeatmapQuery}. */
export type HeatmapQueryT = z.output<typeof HeatmapQuery>;
/** The parsed type of {@link Heatmap}. */
export type HeatmapT = z.output<typeof Heatmap>;
/** The parsed type of {@link HabitToday}. */
export type HabitTodayT = z.output<typeof HabitToday>;
