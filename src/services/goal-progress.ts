/**
 * Goal progress kept current on writes (API_CONTRACT.md §e.7–e.8). Reads never recompute.
 *
 * Other domains call {@link onGoalInputsChanged} after a write that changes an input of a goal's
 * progress (a linked task completed or reopened, a link added or removed, a linked entity
 * deleted or its target changed, a metric or habit logged or a log deleted). For each goal it
 * 1. records the change in one transaction: bumps the goal's `progressSeq` (and `version`),
 *    moves `lastActivityAt` and appends a GoalActivity entry for the events §e.8 lists
 *    (task completed, metric logged, habit logged → `habit_completed`);
 * 2. reads the goal (its criteria, weights and the `progressSeq` now current) and then the inputs
 *    (linked tasks, metrics, habits and habit logs);
 * 3. stores `cachedProgress` and the breakdown **only if `progressSeq` is unchanged**.
 *
 * Why this is right under concurrency: every change of an input bumps `progressSeq` after the
 * input itself was written, and the goal's own writers (PATCH, criteria) bump it too and
 * recompute in the same versioned write. A computation whose sequence number is still current
 * read its inputs after every change so far, so it is fresh; when the number moved, a later
 * computation (which saw more) is under way and stores its own result. No retry loops, no lost
 * update, and a stale value can only outlive a crash between the steps, until the next change.
 */
import type { UserCtx } from '../api/deps.js';
import type { GoalActivityT, GoalProgressConfigT } from '../api/schemas/goals.js';
import { NotFoundError } from '../core/errors.js';
import { childPk, keys } from '../db/keys.js';
import { getEntities } from '../db/queries.js';
import {
  ConditionFailedError,
  TransactionCanceledError,
  cond,
  queryAll,
  type Item,
} from '../db/table.js';
import { addDays, localDateOf, nowInstant, todayIn } from '../utils/dates.js';
import { criteriaOf, newActivity, type ActivityDraft } from './goals/model.js';
import { progressBreakdown, type ProgressInputs } from './goals/rules.js';
import { completionRate, habitStreaks, type DatedAmount } from './habits/streaks.js';
import { childIds } from './links.js';
import { timeZoneOf } from './profile.js';

/** What changed, for the goals' activity timeline. */
export interface GoalInputEvent {
  kind:
    | 'task_completed'
    | 'task_reopened'
    | 'linked'
    | 'unlinked'
    | 'deleted'
    | 'metric_logged'
    | 'habit_logged'
    | 'log_deleted'
    | 'updated';
  /** The entity that changed. */
  entityType: 'task' | 'metric' | 'habit' | 'project';
  entityId: string;
  /** Its title or name, for activity entries. */
  title: string;
}

/** The progress attributes stored on a goal item. */
export interface StoredProgress {
  /** Overall progress, an integer 0–100. */
  cachedProgress: number;
  /** The §c.2 breakdown. */
  progressBreakdown: ReturnType<typeof progressBreakdown>;
  /** When it was computed (instant). */
  progressComputedAt: string;
}

/** Days of the habit-consistency window, ending today (§e.10 via the issue: last 30 local days). */
export const CONSISTENCY_WINDOW_DAYS = 30;

/**
 * A linked habit's consistency in percent — `completionRate` over the last 30 local days ending
 * today, or from the habit's local creation date when that is later — and its current streak.
 * Reads the habit's logs up to today (one query of its partition), so a streak longer than the
 * window is counted whole.
 */
async function habitSummary(
  ctx: UserCtx,
  habit: Item,
  today: string,
  timeZone: string,
): Promise<ProgressInputs['habits'][number]> {
  const habitId = String(habit.id);
  // Every log sort key `LOG#{date}#{logId}` of a date up to today sorts before `LOG#{today+1}#`.
  const logs = await queryAll(ctx.db, {
    pk: childPk(ctx.userId, 'HABIT', habitId),
    sk: { between: ['LOG#', keys.habitLog(ctx.userId, habitId, addDays(today, 1), '').sk] },
  });
  const dated: DatedAmount[] = logs.map((log) => ({
    date: String(log.localDate),
    amount: typeof log.amount === 'number' ? log.amount : null,
  }));
  const cadence = {
    frequency: String(habit.frequency ?? 'Daily'),
    dailyTarget: (habit.dailyTarget as number | null | undefined) ?? null,
    weeklyTarget: (habit.weeklyTarget as number | null | undefined) ?? null,
  };
  const windowStart = addDays(today, -(CONSISTENCY_WINDOW_DAYS - 1));
  const created = habit.createdAt ? localDateOf(String(habit.createdAt), timeZone) : windowStart;
  const from = created > windowStart ? created : windowStart;
  return {
    consistency: completionRate(cadence, dated, from, today) * 100,
    currentStreak: habitStreaks(cadence, dated, today).current,
  };
}

const numberOrNull = (value: unknown): number | null => (typeof value === 'number' ? value : null);

/**
 * Reads the inputs of a goal's progress: its linked tasks, metrics and habits (one link query and
 * one batch read per kind) and each linked habit's logs. `goalId` null = a goal not stored yet
 * (nothing linked).
 */
export async function progressInputs(
  ctx: UserCtx,
  goalId: string | null,
  goal: Record<string, unknown>,
): Promise<ProgressInputs> {
  const criteria = criteriaOf(goal);
  if (goalId === null) return { criteria, taskStatuses: [], metrics: [], habits: [] };
  const linked = async (type: 'TASK' | 'METRIC' | 'HABIT') =>
    getEntities(ctx.db, ctx.userId, type, await childIds(ctx, 'GOAL', goalId, type));
  const [tasks, metrics, habits] = await Promise.all([
    linked('TASK'),
    linked('METRIC'),
    linked('HABIT'),
  ]);
  let habitInputs: ProgressInputs['habits'] = [];
  if (habits.length > 0) {
    const timeZone = await timeZoneOf(ctx);
    const today = todayIn(ctx.clock, timeZone);
    habitInputs = await Promise.all(habits.map((h) => habitSummary(ctx, h, today, timeZone)));
  }
  return {
    criteria,
    taskStatuses: tasks.map((t) => String(t.status)),
    metrics: metrics.map((m) => ({
      direction: String(m.direction ?? 'Higher'),
      targetValue: numberOrNull(m.targetValue),
      currentValue: numberOrNull(m.currentValue),
    })),
    habits: habitInputs,
  };
}

/** Computes the progress of `goal` (stored under `goalId`, or null when new) from its inputs. */
export async function computeProgress(
  ctx: UserCtx,
  goalId: string | null,
  goal: Record<string, unknown>,
): Promise<StoredProgress> {
  const inputs = await progressInputs(ctx, goalId, goal);
  const breakdown = progressBreakdown(
    inputs,
    (goal.progressConfig as GoalProgressConfigT | null) ?? null,
  );
  return {
    cachedProgress: breakdown.overall,
    progressBreakdown: breakdown,
    progressComputedAt: nowInstant(ctx.clock),
  };
}

/**
 * Records a change of goal `goalId` in one transaction: bumps `version` (and `progressSeq` when
 * `inputsChanged`), and with a `draft` appends that activity entry and moves `lastActivityAt` to
 * it. Returns the entry (null without a draft).
 * @throws NotFoundError when the user has no such goal.
 */
export async function recordGoalChange(
  ctx: UserCtx,
  goalId: string,
  draft: ActivityDraft | null,
  inputsChanged: boolean,
): Promise<GoalActivityT | null> {
  const entry = draft ? newActivity(ctx, goalId, draft) : null;
  try {
    await ctx.db.transactWrite([
      {
        update: keys.entity(ctx.userId, 'GOAL', goalId),
        spec: {
          ...(entry ? { set: { lastActivityAt: entry.activity.createdAt } } : {}),
          add: { version: 1, ...(inputsChanged ? { progressSeq: 1 } : {}) },
          condition: cond.exists('pk'),
        },
      },
      ...(entry ? [{ put: entry.item, condition: cond.notExists('pk') }] : []),
    ]);
  } catch (err) {
    if (err instanceof TransactionCanceledError && err.failedAt(0))
      throw new NotFoundError('Goal', goalId);
    throw err;
  }
  return entry?.activity ?? null;
}

/** The activity an input event records, when §e.8 counts it as activity. */
function eventActivity(event: GoalInputEvent): ActivityDraft | null {
  const about = { entityType: event.entityType, entityId: event.entityId };
  if (event.kind === 'task_completed')
    return { type: 'task_completed', title: `Completed task: ${event.title}`, ...about };
  if (event.kind === 'metric_logged')
    return { type: 'metric_logged', title: `Logged metric: ${event.title}`, ...about };
  if (event.kind === 'habit_logged')
    return { type: 'habit_completed', title: `Completed habit: ${event.title}`, ...about };
  return null;
}

/**
 * Recomputes and stores the progress of `goalIds` after `event` (see the module comment for the
 * three steps). Goals that no longer exist are skipped. Events that §e.8 counts as activity
 * (task completed, metric logged, habit logged) move `lastActivityAt` and add a timeline entry.
 */
export async function onGoalInputsChanged(
  ctx: UserCtx,
  goalIds: string[],
  event: GoalInputEvent,
): Promise<void> {
  await refreshGoalProgress(ctx, goalIds, eventActivity(event));
}

/**
 * The three steps of the module comment for each of `goalIds` whose inputs changed — after a
 * write of the other domains (through {@link onGoalInputsChanged}) or after a bulk write such as
 * the import, which changes many inputs at once and records no activity (`draft` null). Goals
 * that no longer exist are skipped.
 */
export async function refreshGoalProgress(
  ctx: UserCtx,
  goalIds: Iterable<string>,
  draft: ActivityDraft | null = null,
): Promise<void> {
  for (const goalId of new Set(goalIds)) {
    try {
      await recordGoalChange(ctx, goalId, draft, true);
    } catch (err) {
      if (err instanceof NotFoundError) continue;
      throw err;
    }
    const goal = await ctx.db.get(keys.entity(ctx.userId, 'GOAL', goalId));
    if (!goal) continue;
    const progress = await computeProgress(ctx, goalId, goal);
    try {
      await ctx.db.update(keys.entity(ctx.userId, 'GOAL', goalId), {
        set: { ...progress },
        add: { version: 1 },
        condition: cond.eq('progressSeq', Number(goal.progressSeq ?? 0)),
      });
    } catch (err) {
      // A later change is being computed from fresher inputs and will store its own result.
      if (!(err instanceof ConditionFailedError)) throw err;
    }
  }
}
