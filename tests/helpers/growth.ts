/**
 * Metrics, habits and habit logs written straight into the store in the shapes the metrics and
 * habits domain keeps (its routes are not on this branch), and the goal-progress notification
 * that domain sends after a log. Link them to goals through the goal routes.
 */
import { userCtx } from '../../src/api/deps.js';
import { keys } from '../../src/db/keys.js';
import { entityItem } from '../../src/db/models.js';
import { onGoalInputsChanged } from '../../src/services/goal-progress.js';
import { newId } from '../../src/utils/ids.js';
import type { TestApi, TestUser } from './api.js';

/** Fields of a metric that goal progress reads. */
export interface MetricFields {
  name?: string;
  direction: 'Higher' | 'Lower' | 'Target';
  targetValue: number | null;
  currentValue: number | null;
}

/** Stores a metric of `user` and returns its id. */
export async function putMetric(
  api: TestApi,
  user: TestUser,
  fields: MetricFields,
): Promise<string> {
  const id = newId();
  const now = api.deps.clock.now().toISOString();
  await api.deps.db.put(
    entityItem(
      'METRIC',
      {
        id,
        userId: user.userId,
        name: fields.name ?? `Metric ${id.slice(-4)}`,
        description: null,
        area: 'Health',
        subCategory: null,
        unit: 'count',
        customUnit: null,
        direction: fields.direction,
        targetValue: fields.targetValue,
        thresholdLow: null,
        thresholdHigh: null,
        source: 'Manual',
        status: 'Active',
        currentValue: fields.currentValue,
        goalIds: [],
        createdAt: now,
        updatedAt: now,
      },
      1,
    ),
  );
  return id;
}

/** Fields of a habit that goal progress reads. */
export interface HabitFields {
  name?: string;
  frequency?: 'Daily' | 'Weekly' | 'Monthly' | 'Custom';
  dailyTarget?: number | null;
  weeklyTarget?: number | null;
  /** Creation instant (default: the API clock's now). */
  createdAt?: string;
}

/** Stores a habit of `user` and returns its id. */
export async function putHabit(
  api: TestApi,
  user: TestUser,
  fields: HabitFields = {},
): Promise<string> {
  const id = newId();
  const createdAt = fields.createdAt ?? api.deps.clock.now().toISOString();
  await api.deps.db.put(
    entityItem(
      'HABIT',
      {
        id,
        userId: user.userId,
        name: fields.name ?? `Habit ${id.slice(-4)}`,
        description: null,
        area: 'Health',
        subCategory: null,
        habitType: 'Build',
        frequency: fields.frequency ?? 'Daily',
        dailyTarget: fields.dailyTarget ?? null,
        weeklyTarget: fields.weeklyTarget ?? null,
        goalIds: [],
        createdAt,
        updatedAt: createdAt,
      },
      1,
    ),
  );
  return id;
}

/** Stores one log of habit `habitId` on each local date of `dates` (amount null = 1). */
export async function putHabitLogs(
  api: TestApi,
  user: TestUser,
  habitId: string,
  dates: string[],
  amount: number | null = null,
): Promise<void> {
  await api.deps.db.batchWrite({
    put: dates.map((localDate) => {
      const id = newId();
      const completedAt = `${localDate}T12:00:00.000Z`;
      return {
        ...keys.habitLog(user.userId, habitId, localDate, id),
        entityType: 'HABIT_LOG',
        id,
        habitId,
        userId: user.userId,
        completedAt,
        localDate,
        amount,
        notes: null,
        createdAt: completedAt,
      };
    }),
  });
}

/** Logs habit `habitId` on `localDate` and notifies its goals, as the habits service does. */
export async function logHabit(
  api: TestApi,
  user: TestUser,
  habitId: string,
  localDate: string,
): Promise<void> {
  await putHabitLogs(api, user, habitId, [localDate]);
  const habit = await api.deps.db.get(keys.entity(user.userId, 'HABIT', habitId));
  await onGoalInputsChanged(userCtx(api.deps, user.userId), (habit?.goalIds as string[]) ?? [], {
    kind: 'habit_logged',
    entityType: 'habit',
    entityId: habitId,
    title: String(habit?.name),
  });
}

/** Logs `value` on metric `metricId` (it becomes `currentValue`) and notifies its goals. */
export async function logMetric(
  api: TestApi,
  user: TestUser,
  metricId: string,
  value: number,
): Promise<void> {
  const metric = await api.deps.db.update(keys.entity(user.userId, 'METRIC', metricId), {
    set: { currentValue: value },
    add: { version: 1 },
  });
  await onGoalInputsChanged(userCtx(api.deps, user.userId), (metric.goalIds as string[]) ?? [], {
    kind: 'metric_logged',
    entityType: 'metric',
    entityId: metricId,
    title: String(metric.name),
  });
}

/** The stored item of a user's entity (to check what writes stored, without reading through the API). */
export async function stored(
  api: TestApi,
  user: TestUser,
  type: 'TASK' | 'PROJECT' | 'GOAL' | 'METRIC' | 'HABIT',
  id: string,
): Promise<Record<string, unknown> | null> {
  return api.deps.db.get(keys.entity(user.userId, type, id));
}
