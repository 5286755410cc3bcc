/**
 * Goal and goal-activity items ⇄ API shapes, and the normalisation of success criteria.
 *
 * A goal item holds the Goal entity plus what goal progress stores on writes:
 * `cachedProgress` (overall, 0–100, exposed), `progressBreakdown` (the §c.2 breakdown),
 * `progressComputedAt` (instant) and `progressSeq` (a counter bumped by every change of a
 * progress input; see `goal-progress.ts`). An activity item lives in the goal's child partition
 * (`keys.goalActivity`); its related entity type is stored as `relatedEntityType`, because
 * `entityType` is the storage attribute naming the item's own kind.
 */
import type { UserCtx } from '../../api/deps.js';
import type {
  GoalActivityT,
  GoalProgressConfigT,
  GoalT,
  SuccessCriteriaInputT,
  SuccessCriterionT,
} from '../../api/schemas/goals.js';
import { keys } from '../../db/keys.js';
import { entityItem, fromItem } from '../../db/models.js';
import type { Item } from '../../db/table.js';
import { nowInstant } from '../../utils/dates.js';
import { newId } from '../../utils/ids.js';

/** The criteria stored on a goal item. */
export function criteriaOf(item: Record<string, unknown>): SuccessCriterionT[] {
  return Array.isArray(item.successCriteria) ? (item.successCriteria as SuccessCriterionT[]) : [];
}

/** The API shape of a stored goal. */
export function toGoal(item: Item): GoalT {
  const g = fromItem<Record<string, unknown>>(item);
  return {
    id: String(g.id),
    title: String(g.title),
    description: (g.description as string | null) ?? null,
    area: g.area as GoalT['area'],
    subCategory: (g.subCategory as GoalT['subCategory']) ?? null,
    timeHorizon: g.timeHorizon as GoalT['timeHorizon'],
    priority: g.priority as GoalT['priority'],
    status: g.status as GoalT['status'],
    targetDate: (g.targetDate as string | null) ?? null,
    completedDate: (g.completedDate as string | null) ?? null,
    successCriteria: criteriaOf(g),
    progressConfig: (g.progressConfig as GoalProgressConfigT | null) ?? null,
    parentGoalId: (g.parentGoalId as string | null) ?? null,
    lastActivityAt: (g.lastActivityAt as string | null) ?? null,
    notes: (g.notes as string | null) ?? null,
    cachedProgress: Number(g.cachedProgress ?? 0),
    userId: String(g.userId),
    createdAt: String(g.createdAt),
    updatedAt: String(g.updatedAt),
  };
}

/** The item of a goal at `version` (keys, GSI1 by status, GSI2 by area). */
export function goalItem(goal: Record<string, unknown>, version: number): Item {
  return entityItem('GOAL', goal as GoalT, version);
}

/**
 * The criteria a create or update stores, from the request's rows (strings or objects) and the
 * goal's current criteria:
 * - a string becomes a new open criterion with a new id;
 * - an object keeps its `id` (a new id when it has none); a completed row keeps the
 *   `completedAt` it sends, else the one it already had, else `now`; an open row has none.
 * Order is the request's.
 */
export function normaliseCriteria(
  rows: SuccessCriteriaInputT,
  existing: SuccessCriterionT[],
  now: string,
): SuccessCriterionT[] {
  return rows.map((row) => {
    if (typeof row === 'string') {
      return { id: newId(), description: row, isCompleted: false, completedAt: null };
    }
    const prior = existing.find((c) => c.id === row.id);
    const priorDone = prior?.isCompleted ? prior.completedAt : null;
    return {
      id: row.id ?? newId(),
      description: row.description,
      isCompleted: row.isCompleted,
      completedAt: row.isCompleted ? (row.completedAt ?? priorDone ?? now) : null,
    };
  });
}

/** The criteria of `after` that were not completed in `before` (newly completed ones). */
export function newlyCompleted(
  before: SuccessCriterionT[],
  after: SuccessCriterionT[],
): SuccessCriterionT[] {
  return after.filter((c) => c.isCompleted && !before.some((b) => b.id === c.id && b.isCompleted));
}

/** An activity entry to record (without id, goal and time, which recording adds). */
export interface ActivityDraft {
  type: GoalActivityT['type'];
  title: string;
  description?: string | null;
  entityType?: string | null;
  entityId?: string | null;
}

/** The activity draft of a newly completed criterion. */
export function criterionActivity(criterion: SuccessCriterionT): ActivityDraft {
  return {
    type: 'criterion_completed',
    title: `Completed criterion: ${criterion.description}`,
    entityType: 'criterion',
    entityId: criterion.id,
  };
}

/**
 * A new activity entry of goal `goalId` from `draft`, at instant `at` (default: the clock's
 * now): the entry and its item.
 */
export function newActivity(
  ctx: UserCtx,
  goalId: string,
  draft: ActivityDraft,
  at: string = nowInstant(ctx.clock),
): { activity: GoalActivityT; item: Item } {
  const activity: GoalActivityT = {
    id: newId(),
    goalId,
    type: draft.type,
    title: draft.title,
    description: draft.description ?? null,
    entityType: draft.entityType ?? null,
    entityId: draft.entityId ?? null,
    createdAt: at,
  };
  return { activity, item: activityItem(ctx.userId, activity) };
}

/**
 * The item of an activity entry in its goal's partition; its related entity type is stored as
 * `relatedEntityType` (`entityType` names the item's own kind).
 */
export function activityItem(userId: string, activity: GoalActivityT): Item {
  const { entityType: relatedEntityType, ...rest } = activity;
  return {
    ...keys.goalActivity(userId, activity.goalId, activity.createdAt, activity.id),
    ...rest,
    relatedEntityType,
    userId,
    entityType: 'GOAL_ACTIVITY',
  };
}

/** The API shape of a stored activity entry. */
export function toActivity(item: Item): GoalActivityT {
  return {
    id: String(item.id),
    goalId: String(item.goalId),
    type: item.type as GoalActivityT['type'],
    title: String(item.title),
    description: (item.description as string | null) ?? null,
    entityType: (item.relatedEntityType as string | null) ?? null,
    entityId: (item.entityId as string | null) ?? null,
    createdAt: String(item.createdAt),
  };
}
