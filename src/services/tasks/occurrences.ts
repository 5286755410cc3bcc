/**
 * The next occurrence of a recurring task, created in the same transaction as the completion of
 * the current one (dates by `recurrence.ts`, on the user's calendar).
 */
import type { UserCtx } from '../../api/deps.js';
import { cond, type TransactOp } from '../../db/table.js';
import { addDays, daysBetween, localDateOf, nowInstant } from '../../utils/dates.js';
import { newId } from '../../utils/ids.js';
import { relinkOps } from '../links.js';
import { timeZoneOf } from '../profile.js';
import { taskItem } from './model.js';
import { nextOccurrence, type Recurrence } from './recurrence.js';

/** Operations that create the next occurrence of a recurring task being completed (none after its end date). */
export async function nextOccurrenceOps(
  ctx: UserCtx,
  task: Record<string, unknown>,
): Promise<TransactOp[]> {
  const rule = task.recurrenceRule as Recurrence;
  const anchorField =
    (task.recurrenceAnchorField as string | undefined) ??
    (task.dueDate ? 'dueDate' : task.scheduledDate ? 'scheduledDate' : 'dueDate');
  const anchor =
    (task.recurrenceAnchor as string | undefined) ??
    ((task[anchorField] as string | null) ||
      localDateOf(String(task.createdAt), await timeZoneOf(ctx)));
  const index = Number(task.recurrenceIndex ?? 0) + 1;
  const date = nextOccurrence(anchor, rule, index);
  Object.assign(task, {
    recurrenceAnchor: anchor,
    recurrenceAnchorField: anchorField,
    recurrenceIndex: index - 1,
  });
  if (date === null) return [];
  const now = nowInstant(ctx.clock);
  const id = newId();
  task.nextOccurrenceId = id;
  // Keep the gap between scheduled and due dates of the series.
  const scheduledDate =
    anchorField === 'dueDate' && task.scheduledDate && task.dueDate
      ? addDays(date, daysBetween(String(task.dueDate), String(task.scheduledDate)))
      : anchorField === 'scheduledDate'
        ? date
        : null;
  const occurrence: Record<string, unknown> = {
    ...Object.fromEntries(
      [
        'title',
        'description',
        'extendedDescription',
        'area',
        'subCategory',
        'priority',
        'size',
        'notes',
      ].map((k) => [k, task[k] ?? null]),
    ),
    id,
    userId: ctx.userId,
    status: 'Not Started',
    dueDate: anchorField === 'dueDate' ? date : (task.dueDate ?? null),
    scheduledDate,
    completedDate: null,
    isRecurring: true,
    recurrenceRule: rule,
    pointValue: task.pointValue,
    pointsAwarded: false,
    rewardLedgerStatus: 'none',
    rewardAwardTransactionId: null,
    rewardReversalTransactionId: null,
    rewardReversedAt: null,
    projectIds: task.projectIds ?? [],
    goalIds: task.goalIds ?? [],
    seriesId: task.seriesId ?? task.id,
    recurrenceAnchor: anchor,
    recurrenceAnchorField: anchorField,
    recurrenceIndex: index,
    createdAt: now,
    updatedAt: now,
  };
  const links = [
    ...(await relinkOps(ctx, 'GOAL', 'TASK', id, [], occurrence.goalIds as string[])),
    ...(await relinkOps(ctx, 'PROJECT', 'TASK', id, [], occurrence.projectIds as string[])),
  ].filter((op) => 'put' in op);
  return [{ put: taskItem(occurrence, 1), condition: cond.notExists('pk') }, ...links];
}
