/**
 * Shared constrained types for every schema family: ids, dates, instants, the contract's enums
 * (API_CONTRACT.md §c.1, exact spellings), paging, and the paged-list response shape (§a.3).
 *
 * Enums accept the older spellings without spaces (`NotStarted`, `DayJob`) on input and
 * normalise them to the contract's (`Not Started`, `Day Job`); responses use only the latter.
 */
import { z } from '@hono/zod-openapi';
import { isStorableNumber } from '../../db/table.js';
import { canonicalTimeZone, isLocalDate, parseInstant } from '../../utils/dates.js';

/** An entity id in a path or body: opaque, 1–128 characters, no `#` or `/` (key separators). */
export const Id = z
  .string()
  .min(1)
  .max(128)
  .regex(/^[^#/\s]+$/, 'must not contain "#", "/" or spaces')
  .openapi({ example: '01JDZ8M3Q4S6T8V0X2Z4B6D8F0' });

/**
 * Most parents of one kind an entity links to (§e.6): the goals of a task, project, metric or
 * habit; the projects of a task. A link added costs two operations of the write's transaction (the
 * link item and a check that the parent exists), one removed costs one, and a transaction holds at
 * most 100, so one write can always change a whole list of this length. The goal and project
 * routes (`POST /goals/{id}/tasks`, …) refuse a link beyond it too (`services/links.ts`).
 */
export const MAX_LINKS = 30;

/** The goals an entity is linked to (`goalIds`, §e.6): at most {@link MAX_LINKS}. */
export const GoalIds = z.array(Id).max(MAX_LINKS);

/** The projects a task is linked to (`projectIds`, §e.6): at most {@link MAX_LINKS}. */
export const ProjectIds = z.array(Id).max(MAX_LINKS);

/** Path parameters `{id}`. */
export const IdParams = z.object({ id: Id.openapi({ param: { name: 'id', in: 'path' } }) });

/** A calendar day `YYYY-MM-DD` that exists (`2024-02-30` does not). */
export const LocalDate = z
  .string()
  .refine(isLocalDate, 'must be a real calendar date YYYY-MM-DD')
  .openapi({ format: 'date', example: '2026-07-14' });

/**
 * Refinement of a query with optional `startDate`/`endDate` (local dates, inclusive): the start
 * is not after the end. Use as `.refine(...startNotAfterEnd)`.
 */
export const startNotAfterEnd: [
  (q: { startDate?: string | undefined; endDate?: string | undefined }) => boolean,
  { message: string; path: string[] },
] = [
  (q) => !q.startDate || !q.endDate || q.startDate <= q.endDate,
  { message: 'must not be before startDate', path: ['endDate'] },
];

/**
 * An instant on input: ISO 8601 with `Z` or an offset, or a date-only string (noon UTC: the same
 * calendar day from UTC−11 to UTC+11).
 * Normalised to the fixed-width UTC form `2026-07-14T06:30:00.000Z`.
 */
export const InstantInput = z
  .string()
  .transform((value, ctx) => {
    const instant = parseInstant(value);
    if (instant === null) {
      ctx.addIssue({
        code: 'custom',
        message: 'must be an ISO 8601 date-time with Z or an offset, or a date',
      });
      return z.NEVER;
    }
    return instant;
  })
  .openapi({ type: 'string', format: 'date-time', example: '2026-07-14T06:30:00.000Z' });

/** An instant in a response (UTC, ISO 8601). */
export const Instant = z
  .string()
  .openapi({ format: 'date-time', example: '2026-07-14T06:30:00.000Z' });

/** An IANA time-zone name, validated by constructing the zone and returned in canonical case. */
export const TimeZone = z
  .string()
  .transform((value, ctx) => {
    const zone = canonicalTimeZone(value);
    if (zone === null) {
      ctx.addIssue({ code: 'custom', message: `unknown IANA time zone "${value}"` });
      return z.NEVER;
    }
    return zone;
  })
  .openapi({ type: 'string', example: 'America/Los_Angeles' });

/**
 * `schema` refined to the numbers the store keeps: 0, or a magnitude from 10^−130 to 2^53 − 1
 * (`isStorableNumber`; DynamoDB refuses e.g. a subnormal `5e-324` that passes `.positive()`).
 * For every non-integer number a request stores (integers are bounded by their own schemas).
 */
export const storable = (schema: z.ZodNumber) =>
  schema.refine(isStorableNumber, 'must be 0 or at least 1e-130 in magnitude');

/** Optional, nullable free text of at most `max` characters. */
export const Text = (max: number) => z.string().max(max).nullable();

/** A query-string boolean: `true`/`false`/`1`/`0`. */
export const QueryBoolean = z
  .enum(['true', 'false', '1', '0'])
  .transform((v) => v === 'true' || v === '1')
  .openapi({ type: 'boolean' });

/**
 * A contract enum that also accepts its older spellings without spaces, case-sensitively
 * (`NotStarted` → `Not Started`).
 */
export function contractEnum<const T extends readonly [string, ...string[]]>(values: T) {
  const bySquashed = new Map(values.map((v) => [v.replace(/ /g, ''), v]));
  return z.preprocess(
    (input) =>
      typeof input === 'string' && !values.includes(input)
        ? (bySquashed.get(input) ?? input)
        : input,
    z.enum(values),
  );
}

// ---- the contract's enums (§c.1) ------------------------------------------------------------

export const AREAS = ['Health', 'Wealth', 'Love', 'Happiness', 'Operations', 'Day Job'] as const;
/** The sub-categories the client offers for each area (§c.1). */
export const SUB_CATEGORIES_BY_AREA = {
  Health: ['Physical', 'Mental', 'Spiritual', 'Nutrition', 'Sleep', 'Exercise'],
  Wealth: ['Income', 'Expenses', 'Investments', 'Debt', 'Net Worth'],
  Love: ['Romantic', 'Family', 'Friends', 'Social'],
  Happiness: ['Joy', 'Gratitude', 'Purpose', 'Peace'],
  Operations: ['Productivity', 'Organization', 'Systems', 'Habits'],
  'Day Job': ['Career', 'Skills', 'Projects', 'Performance'],
} as const;
/** Every sub-category, of any area. */
export const SUB_CATEGORIES = Object.values(SUB_CATEGORIES_BY_AREA).flat() as [string, ...string[]];

/** The contract's `Area` enum (API_CONTRACT.md §c.1). */
export const Area = contractEnum(AREAS).openapi('Area');
/** The contract's `SubCategory` enum (API_CONTRACT.md §c.1). */
export const SubCategory = contractEnum(SUB_CATEGORIES).openapi('SubCategory');
/** The contract's `Priority` enum (API_CONTRACT.md §c.1). */
export const Priority = contractEnum(['P1', 'P2', 'P3', 'P4']).openapi('Priority');
/** The contract's `TaskStatus` enum (API_CONTRACT.md §c.1). */
export const TaskStatus = contractEnum([
  'Not Started',
  'In Progress',
  'Blocked',
  'On Hold',
  'Done',
  'Cancelled',
]).openapi('TaskStatus');
/** The contract's `ProjectStatus` enum (API_CONTRACT.md §c.1). */
export const ProjectStatus = contractEnum([
  'Planning',
  'Active',
  'On Hold',
  'Completed',
  'Cancelled',
]).openapi('ProjectStatus');
/** The contract's `GoalStatus` enum (API_CONTRACT.md §c.1). */
export const GoalStatus = contractEnum([
  'Planning',
  'Active',
  'On Track',
  'At Risk',
  'Achieved',
  'Abandoned',
]).openapi('GoalStatus');
/** The contract's `MetricStatus` enum (API_CONTRACT.md §c.1). */
export const MetricStatus = contractEnum(['Active', 'Paused', 'Archived']).openapi('MetricStatus');
/** The contract's `TimeHorizon` enum (API_CONTRACT.md §c.1). */
export const TimeHorizon = contractEnum([
  'Yearly',
  'Quarterly',
  'Monthly',
  'Weekly',
  'Daily',
]).openapi('TimeHorizon');
/** The contract's `HabitType` enum (API_CONTRACT.md §c.1). */
export const HabitType = contractEnum(['Build', 'Maintain', 'Reduce', 'Quit']).openapi('HabitType');
/** The contract's `HabitFrequency` enum (API_CONTRACT.md §c.1). */
export const HabitFrequency = contractEnum(['Daily', 'Weekly', 'Monthly', 'Custom']).openapi(
  'HabitFrequency',
);
/** The contract's `MetricDirection` enum (API_CONTRACT.md §c.1). */
export const MetricDirection = contractEnum(['Higher', 'Lower', 'Target']).openapi(
  'MetricDirection',
);
/** The contract's `MetricSource` enum (API_CONTRACT.md §c.1). */
export const MetricSource = contractEnum(['Manual', 'App', 'Device']).openapi('MetricSource');
/** The contract's `MetricUnit` enum (API_CONTRACT.md §c.1). */
export const MetricUnit = contractEnum([
  'count',
  'hours',
  'minutes',
  'dollars',
  'pounds',
  'kg',
  'percent',
  'rating',
  'custom',
]).openapi('MetricUnit');
/** The contract's `MetricTrackingFrequency` enum (API_CONTRACT.md §c.1). */
export const MetricTrackingFrequency = contractEnum(['Daily', 'Weekly', 'Monthly']).openapi(
  'MetricTrackingFrequency',
);
/** The contract's `LogbookMood` enum (API_CONTRACT.md §c.1). */
export const LogbookMood = contractEnum(['Low', 'Steady', 'High']).openapi('LogbookMood');
/** The contract's `RecurrenceUnit` enum (API_CONTRACT.md §c.1). */
export const RecurrenceUnit = contractEnum(['Daily', 'Weekly', 'Monthly', 'Yearly']).openapi(
  'RecurrenceUnit',
);
/** The contract's `TaskRewardLedgerStatus` enum (API_CONTRACT.md §c.1). */
export const TaskRewardLedgerStatus = z
  .enum(['none', 'awarded', 'reversed'])
  .openapi('TaskRewardLedgerStatus');
/** Task size in Fibonacci story points. */
export const TaskStoryPoints = z
  .union(
    [1, 2, 3, 5, 8, 13, 21].map((n) => z.literal(n)) as [
      z.ZodLiteral<number>,
      ...z.ZodLiteral<number>[],
    ],
  )
  .openapi({
    type: 'integer',
    enum: [1, 2, 3, 5, 8, 13, 21],
    description: 'Fibonacci story points',
  });
/** The contract's `GoalActivityType` enum (API_CONTRACT.md §c.1). */
export const GoalActivityType = z
  .enum([
    'criterion_completed',
    'task_completed',
    'metric_logged',
    'habit_completed',
    'status_changed',
    'note_added',
    'progress_milestone',
  ])
  .openapi('GoalActivityType');
/** The contract's `MetricMilestoneType` enum (API_CONTRACT.md §c.1). */
export const MetricMilestoneType = z
  .enum(['target_reached', 'streak', 'improvement', 'consistency'])
  .openapi('MetricMilestoneType');
/** The contract's `MetricInsightType` enum (API_CONTRACT.md §c.1). */
export const MetricInsightType = z
  .enum(['pattern', 'anomaly', 'correlation', 'prediction', 'milestone'])
  .openapi('MetricInsightType');
/** The contract's `ProjectHealthStatus` enum (API_CONTRACT.md §c.1). */
export const ProjectHealthStatus = z
  .enum(['green', 'yellow', 'red'])
  .openapi('ProjectHealthStatus');
/** The contract's `LinkEntityType` enum (API_CONTRACT.md §c.1). */
export const LinkEntityType = z
  .enum(['task', 'project', 'goal', 'metric', 'habit', 'logbook'])
  .openapi('LinkEntityType');
/** The contract's `RewardCategory` enum (API_CONTRACT.md §c.1). */
export const RewardCategory = contractEnum([
  'Quick Treat',
  'Daily Delight',
  'Big Unlock',
  'Custom',
]).openapi('RewardCategory');
/** The contract's `RewardStatus` enum (API_CONTRACT.md §c.1). */
export const RewardStatus = contractEnum(['Active', 'Locked', 'Archived']).openapi('RewardStatus');
/** The contract's `WalletTransactionType` enum (API_CONTRACT.md §c.1). */
export const WalletTransactionType = z
  .enum(['earn', 'spend', 'refund', 'clawback', 'adjustment'])
  .openapi('WalletTransactionType');
/** The contract's `WalletTransactionSource` enum (API_CONTRACT.md §c.1). */
export const WalletTransactionSource = z
  .enum(['task_completion', 'task_completion_reversal', 'reward_redemption', 'manual', 'system'])
  .openapi('WalletTransactionSource');
/** The contract's `WalletSourceEntityType` enum (API_CONTRACT.md §c.1). */
export const WalletSourceEntityType = z.enum(['task', 'reward']).openapi('WalletSourceEntityType');
/** The contract's `ModePreference` enum (API_CONTRACT.md §c.1). */
export const ModePreference = z.enum(['work', 'leisure']).openapi('ModePreference');

// ---- paging (§a.3) ------------------------------------------------------------------------

/** `page` (1-based) and `pageSize`; without `pageSize` a list returns every item. */
export const PageQuery = z.object({
  page: z.coerce.number().int().min(1).optional().openapi({ example: 1 }),
  pageSize: z.coerce.number().int().min(1).max(1000).optional().openapi({ example: 50 }),
});

/** A paged list whose array is under `key` (`data` by default, `tasks` for `/tasks`). */
export function paged<T extends z.ZodType, K extends string = 'data'>(item: T, key?: K) {
  return z.object({
    [key ?? 'data']: z.array(item),
    total: z.number().int(),
    page: z.number().int(),
    pageSize: z.number().int().min(1),
    hasMore: z.boolean(),
  } as { [P in K]: z.ZodArray<T> } & {
    total: z.ZodNumber;
    page: z.ZodNumber;
    pageSize: z.ZodNumber;
    hasMore: z.ZodBoolean;
  });
}
