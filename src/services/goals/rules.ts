/**
 * Pure rules of goals: the progress formula (API_CONTRACT.md §e.7) and goal health (§e.8).
 * No storage here; `goal-progress.ts` gathers the inputs and stores the result on writes.
 */
import type {
  GoalHealthT,
  GoalProgressBreakdownT,
  GoalProgressConfigT,
} from '../../api/schemas/goals.js';
import { daysBetween, localDateOf } from '../../utils/dates.js';
import { isAtTarget } from '../metrics/targets.js';

/** The default weights of §e.7 (criteria 40, tasks 30, metrics 20, habits 10), no override. */
export const DEFAULT_PROGRESS_CONFIG: GoalProgressConfigT = {
  criteriaWeight: 40,
  tasksWeight: 30,
  metricsWeight: 20,
  habitsWeight: 10,
  manualOverride: null,
};

/** What the progress of one goal is computed from. */
export interface ProgressInputs {
  /** The goal's success criteria. */
  criteria: { isCompleted: boolean }[];
  /** Statuses of the linked tasks (`Done` counts as completed). */
  taskStatuses: string[];
  /** The linked metrics: direction, target and latest value. */
  metrics: { direction: string; targetValue: number | null; currentValue: number | null }[];
  /**
   * The linked habits: `consistency` in percent (0–100) over the last 30 local days, and the
   * current streak in periods.
   */
  habits: { consistency: number; currentStreak: number }[];
}

/** `x` rounded to two decimals, for displayed percentages. */
export const round2 = (x: number): number => Math.round(x * 100) / 100;

/** `part / total` in percent; 0 for an empty part. */
const percent = (part: number, total: number): number => (total === 0 ? 0 : (part / total) * 100);

/**
 * The progress breakdown of a goal (§e.7):
 *
 * - criteria% = completed / total; tasks% = Done / total; metrics% = at target / total, "at
 *   target" direction-aware by {@link isAtTarget} (Higher ≥ 0.9 × target, Lower ≤ 1.1 × target,
 *   Target within ±10 %, never without a target or a value); habits% = the mean consistency of
 *   the linked habits. A part without items is 0 **and still counts** in the denominator.
 * - overall = round(Σ(part% × weight) / Σweight) with the weights of `config` (default
 *   40/30/20/10); `Math.round`, so halves round up.
 * - `manualOverride` (this server's choice; the client ignores it): when set, overall =
 *   round(manualOverride) and the parts are still reported as computed.
 *
 * Displayed percentages are rounded to two decimals; `overall` is computed from exact parts.
 * `habits.streakDays` is the largest current streak among the linked habits (0 without habits).
 */
export function progressBreakdown(
  inputs: ProgressInputs,
  config: GoalProgressConfigT | null,
): GoalProgressBreakdownT {
  const weights = config ?? DEFAULT_PROGRESS_CONFIG;
  const criteriaDone = inputs.criteria.filter((c) => c.isCompleted).length;
  const tasksDone = inputs.taskStatuses.filter((s) => s === 'Done').length;
  const atTarget = inputs.metrics.filter((m) =>
    isAtTarget(m.direction, m.currentValue, m.targetValue),
  ).length;
  const habitsPercent =
    inputs.habits.length === 0
      ? 0
      : inputs.habits.reduce((sum, h) => sum + h.consistency, 0) / inputs.habits.length;
  const parts = {
    criteria: percent(criteriaDone, inputs.criteria.length),
    tasks: percent(tasksDone, inputs.taskStatuses.length),
    metrics: percent(atTarget, inputs.metrics.length),
    habits: habitsPercent,
  };
  const weighted =
    parts.criteria * weights.criteriaWeight +
    parts.tasks * weights.tasksWeight +
    parts.metrics * weights.metricsWeight +
    parts.habits * weights.habitsWeight;
  const totalWeight =
    weights.criteriaWeight + weights.tasksWeight + weights.metricsWeight + weights.habitsWeight;
  const computed = totalWeight === 0 ? 0 : Math.round(weighted / totalWeight);
  return {
    overall: weights.manualOverride === null ? computed : Math.round(weights.manualOverride),
    criteria: {
      completed: criteriaDone,
      total: inputs.criteria.length,
      percentage: round2(parts.criteria),
    },
    tasks: {
      completed: tasksDone,
      total: inputs.taskStatuses.length,
      percentage: round2(parts.tasks),
    },
    metrics: { atTarget, total: inputs.metrics.length, percentage: round2(parts.metrics) },
    habits: {
      streakDays: Math.max(0, ...inputs.habits.map((h) => h.currentStreak)),
      consistency: round2(parts.habits),
    },
  };
}

/** What goal health is judged from. */
export interface GoalHealthInput {
  /** The stored overall progress (0–100). */
  overall: number;
  createdAt: string;
  lastActivityAt: string | null;
  /** Local date, or null. */
  targetDate: string | null;
  /** The current instant. */
  now: Date;
  /** The user's IANA zone: days are counted on the local calendar. */
  timeZone: string;
}

/** Days without activity after which a goal is dormant (§e.8: "more than 7 days"). */
export const DORMANT_AFTER_DAYS = 7;

/**
 * Goal health (§e.8), counted in local calendar days of the user's zone:
 * - `dormant` when more than 7 days passed since the last activity (`lastActivityAt`, else
 *   `createdAt`): last activity on July 1 is still active on July 8 and dormant on July 9;
 * - otherwise, with a target date, expected% = elapsed share of createdAt → targetDate
 *   (clamped to 0–100; 100 when the target date is not after the creation date):
 *   `behind` when overall < expected − 20, `at_risk` when overall < expected − 10;
 * - else `healthy` (always, without a target date).
 * `daysRemaining` = local days from today to the target date (negative once past).
 */
export function goalHealth(input: GoalHealthInput): GoalHealthT {
  const today = localDateOf(input.now, input.timeZone);
  const lastActive = localDateOf(input.lastActivityAt ?? input.createdAt, input.timeZone);
  const daysSinceActivity = daysBetween(lastActive, today);
  let expected: number | null = null;
  if (input.targetDate !== null) {
    const start = localDateOf(input.createdAt, input.timeZone);
    const span = daysBetween(start, input.targetDate);
    const elapsed = daysBetween(start, today);
    expected = span <= 0 ? 100 : Math.min(100, Math.max(0, (elapsed / span) * 100));
  }
  let status: GoalHealthT['status'] = 'healthy';
  if (daysSinceActivity > DORMANT_AFTER_DAYS) status = 'dormant';
  else if (expected !== null && input.overall < expected - 20) status = 'behind';
  else if (expected !== null && input.overall < expected - 10) status = 'at_risk';
  return {
    status,
    daysRemaining: input.targetDate === null ? null : daysBetween(today, input.targetDate),
    expected: expected === null ? null : round2(expected),
    actual: input.overall,
    daysSinceActivity,
  };
}
