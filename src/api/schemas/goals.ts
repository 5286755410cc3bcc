/**
 * Schemas of goals, their success criteria, progress, health, activity and the entities linked
 * to them (API_CONTRACT.md §b.4, §c.2 Goal, SuccessCriterion, GoalProgressConfig,
 * GoalProgressBreakdown, GoalActivity).
 */
import { z } from '@hono/zod-openapi';
import {
  Area,
  GoalActivityType,
  GoalStatus,
  Id,
  Instant,
  InstantInput,
  LocalDate,
  PageQuery,
  Priority,
  SubCategory,
  Text,
  TimeHorizon,
  paged,
  storable,
} from './common.js';

// ---- success criteria --------------------------------------------------------------------

/** A success criterion as the API returns it. */
export const SuccessCriterion = z
  .object({
    id: z.string(),
    description: z.string(),
    isCompleted: z.boolean(),
    completedAt: Instant.nullable(),
  })
  .openapi('SuccessCriterion');

/**
 * `SuccessCriterionInput`: `id` omitted for a new row (kept when it names an existing one);
 * `completedAt` defaults to now when `isCompleted` and is cleared when not.
 */
export const SuccessCriterionInput = z
  .object({
    id: Id.optional(),
    description: z.string().trim().min(1).max(1000),
    isCompleted: z.boolean().default(false),
    completedAt: InstantInput.nullable().optional(),
  })
  .openapi('SuccessCriterionInput');

/** Most success criteria one goal holds. */
export const MAX_CRITERIA = 50;

/**
 * The criteria list on create and update: the create form sends plain strings, the edit form
 * objects; both shapes are accepted on both routes (§f i10), even mixed. Ids must be unique.
 */
export const SuccessCriteriaInput = z
  .array(z.union([z.string().trim().min(1).max(1000), SuccessCriterionInput]))
  .max(MAX_CRITERIA)
  .superRefine((rows, ctx) => {
    const seen = new Set<string>();
    rows.forEach((row, index) => {
      if (typeof row === 'string' || row.id === undefined) return;
      if (seen.has(row.id))
        ctx.addIssue({ code: 'custom', path: [index, 'id'], message: 'duplicate criterion id' });
      seen.add(row.id);
    });
  });

// ---- progress -----------------------------------------------------------------------------

const Weight = storable(z.number().min(0).max(100));

/**
 * `GoalProgressConfig`: the weight of each part in percent points (0–100 each, not all 0; an
 * omitted weight takes its default 40/30/20/10), and `manualOverride` (0–100 or null): when set,
 * the overall progress is that value, rounded, whatever the parts say.
 */
export const GoalProgressConfig = z
  .object({
    criteriaWeight: Weight.default(40),
    tasksWeight: Weight.default(30),
    metricsWeight: Weight.default(20),
    habitsWeight: Weight.default(10),
    manualOverride: storable(z.number().min(0).max(100)).nullable().default(null),
  })
  .refine(
    (c) => c.criteriaWeight + c.tasksWeight + c.metricsWeight + c.habitsWeight > 0,
    'at least one weight must be above 0',
  )
  .openapi('GoalProgressConfig');

const Part = z.object({
  completed: z.number().int(),
  total: z.number().int(),
  percentage: z.number().openapi({ description: 'percent, 0–100' }),
});

/** Goal health (§e.8), an extra of `GET /goals/{id}/progress`. */
export const GoalHealth = z
  .object({
    status: z.enum(['dormant', 'behind', 'at_risk', 'healthy']),
    /** Local days from today to `targetDate` (negative when past); null without a target date. */
    daysRemaining: z.number().int().nullable(),
    /** Elapsed share of createdAt → targetDate in percent; null without a target date. */
    expected: z.number().nullable(),
    /** The overall progress. */
    actual: z.number(),
    /** Local days since the last activity (`lastActivityAt`, else `createdAt`). */
    daysSinceActivity: z.number().int(),
  })
  .openapi('GoalHealth');

/** `GoalProgressBreakdown` (§c.2); percentages in percent (0–100), `overall` an integer. */
export const GoalProgressBreakdown = z
  .object({
    overall: z.number(),
    criteria: Part,
    tasks: Part,
    metrics: z.object({
      atTarget: z.number().int(),
      total: z.number().int(),
      percentage: z.number(),
    }),
    habits: z.object({ streakDays: z.number().int(), consistency: z.number() }),
  })
  .openapi('GoalProgressBreakdown');

/** `GET /goals/{id}/progress`: the stored breakdown plus health. */
export const GoalProgressReport = GoalProgressBreakdown.extend({
  health: GoalHealth,
  computedAt: Instant.nullable().openapi({ description: 'when the progress was last stored' }),
}).openapi('GoalProgressReport');

// ---- goals --------------------------------------------------------------------------------

/** A goal as the API returns it (`cachedProgress` is the stored overall progress, 0–100). */
export const Goal = z
  .object({
    id: z.string(),
    title: z.string(),
    description: z.string().nullable(),
    area: Area,
    subCategory: SubCategory.nullable(),
    timeHorizon: TimeHorizon,
    priority: Priority,
    status: GoalStatus,
    targetDate: z.string().nullable(),
    completedDate: Instant.nullable(),
    successCriteria: z.array(SuccessCriterion),
    progressConfig: GoalProgressConfig.nullable(),
    parentGoalId: z.string().nullable(),
    lastActivityAt: Instant.nullable(),
    notes: z.string().nullable(),
    cachedProgress: z.number().int(),
    userId: z.string(),
    createdAt: Instant,
    updatedAt: Instant,
  })
  .openapi('Goal');

const editable = {
  description: Text(10_000).optional(),
  subCategory: SubCategory.nullable().optional(),
  priority: Priority.optional(),
  status: GoalStatus.optional(),
  targetDate: LocalDate.nullable().optional(),
  successCriteria: SuccessCriteriaInput.optional(),
  progressConfig: GoalProgressConfig.nullable().optional(),
  parentGoalId: Id.nullable().optional(),
  notes: Text(10_000).optional(),
};

/** `CreateGoalInput`. */
export const GoalCreate = z
  .object({
    title: z.string().trim().min(1).max(500),
    area: Area,
    timeHorizon: TimeHorizon,
    ...editable,
  })
  .openapi('GoalCreate');

/** `UpdateGoalInput`: every field optional; omitted fields untouched, `null` clears. */
export const GoalUpdate = z
  .object({
    title: z.string().trim().min(1).max(500).optional(),
    area: Area.optional(),
    timeHorizon: TimeHorizon.optional(),
    ...editable,
    completedDate: InstantInput.nullable().optional(),
    lastActivityAt: InstantInput.nullable().optional(),
  })
  .openapi('GoalUpdate');

/** Query of `GET /goals`. */
export const GoalListQuery = PageQuery.extend({
  area: Area.optional(),
  status: GoalStatus.optional(),
  priority: Priority.optional(),
});

/** `GET /goals`, `GET /projects/{id}/goals`. */
export const GoalPage = paged(Goal).openapi('GoalPage');

/** Path of the criterion routes. */
export const CriterionParams = z.object({ id: Id, criterionId: Id });

/** Body of `PATCH /goals/{id}/criteria/{criterionId}`. */
export const CriterionUpdate = z.object({
  isCompleted: z.boolean(),
  completedAt: InstantInput.nullable().optional(),
});

// ---- activity -----------------------------------------------------------------------------

/** A goal activity entry. */
export const GoalActivity = z
  .object({
    id: z.string(),
    goalId: z.string(),
    type: GoalActivityType,
    title: z.string(),
    description: z.string().nullable(),
    entityType: z.string().nullable(),
    entityId: z.string().nullable(),
    createdAt: Instant,
  })
  .openapi('GoalActivity');

/** Body of `POST /goals/{id}/activity`. */
export const GoalActivityCreate = z
  .object({
    type: GoalActivityType,
    title: z.string().trim().min(1).max(500),
    description: Text(5000).optional(),
    entityType: Text(50).optional(),
    entityId: Text(128).optional(),
  })
  .openapi('GoalActivityCreate');

/** Query of `GET /goals/{id}/activity`: newest first, at most `limit` (default all). */
export const ActivityQuery = PageQuery.extend({
  limit: z.coerce.number().int().min(1).max(1000).optional(),
});

/** `GET /goals/{id}/activity`. */
export const GoalActivityPage = paged(GoalActivity).openapi('GoalActivityPage');

// ---- link bodies and paths -------------------------------------------------------------------

/** Body of `POST /goals/{id}/tasks` and `POST /projects/{id}/tasks`. */
export const TaskLinkBody = z.object({ taskId: Id });
/** Body of `POST /goals/{id}/metrics`. */
export const MetricLinkBody = z.object({ metricId: Id });
/** Body of `POST /goals/{id}/habits`. */
export const HabitLinkBody = z.object({ habitId: Id });
/** Body of `POST /goals/{id}/projects`. */
export const ProjectLinkBody = z.object({ projectId: Id });
/** Path of `DELETE /goals/{id}/tasks/{taskId}` and `DELETE /projects/{id}/tasks/{taskId}`. */
export const TaskLinkParams = z.object({ id: Id, taskId: Id });
/** Path of `DELETE /goals/{id}/metrics/{metricId}`. */
export const MetricLinkParams = z.object({ id: Id, metricId: Id });
/** Path of `DELETE /goals/{id}/habits/{habitId}`. */
export const HabitLinkParams = z.object({ id: Id, habitId: Id });
/** Path of `DELETE /goals/{id}/projects/{projectId}`. */
export const ProjectLinkParams = z.object({ id: Id, projectId: Id });

// Types inferred from the schemas of the same name (never written twice).
export type GoalT = z.output<typeof Goal>;
/** The parsed type of {@link GoalCreate}. */
export type GoalCreateInput = z.output<typeof GoalCreate>;
/** The parsed type of {@link GoalUpdate}. */
export type GoalUpdateInput = z.output<typeof GoalUpdate>;
/** The parsed type of {@link GoalListQuery}. */
export type GoalListQueryT = z.output<typeof GoalListQuery>;
/** The parsed type of {@link SuccessCriterion}. */
export type SuccessCriterionT = z.output<typeof SuccessCriterion>;
/** The parsed type of {@link SuccessCriteriaInput}. */
export type SuccessCriteriaInputT = z.output<typeof SuccessCriteriaInput>;
/** The parsed type of {@link GoalProgressConfig}. */
export type GoalProgressConfigT = z.output<typeof GoalProgressConfig>;
/** The parsed type of {@link GoalProgressBreakdown}. */
export type GoalProgressBreakdownT = z.output<typeof GoalProgressBreakdown>;
/** The parsed type of {@link GoalHealth}. */
export type GoalHealthT = z.output<typeof GoalHealth>;
/** The parsed type of {@link GoalProgressReport}. */
export type GoalProgressReportT = z.output<typeof GoalProgressReport>;
/** The parsed type of {@link GoalActivity}. */
export type GoalActivityT = z.output<typeof GoalActivity>;
/** The parsed type of {@link GoalActivityCreate}. */
export type GoalActivityCreateInput = z.output<typeof GoalActivityCreate>;
/** The parsed type of {@link ActivityQuery}. */
export type ActivityQueryT = z.output<typeof ActivityQuery>;
/** The parsed type of {@link CriterionUpdate}. */
export type CriterionUpdateInput = z.output<typeof CriterionUpdate>;
