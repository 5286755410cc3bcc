/**
 * The task entity: its API shape (`toTask`), its stored item (`taskItem`), a new task from create
 * input (`newTask`, shared by the API and the import) and the §e.4 rule a recurring task obeys.
 */
import type { TaskCreateInput, TaskT } from '../../api/schemas/tasks.js';
import { ValidationError } from '../../core/errors.js';
import { entityItem, fromItem, type EntityBase } from '../../db/models.js';
import type { Item } from '../../db/table.js';
import { taskPointValue } from './points.js';

/** The API shape of a stored task: storage and bookkeeping attributes dropped, defaults filled. */
export function toTask(item: Item): TaskT {
  const t = fromItem<Record<string, unknown>>(item);
  return {
    id: String(t.id),
    title: String(t.title),
    description: (t.description as string | null) ?? null,
    extendedDescription: (t.extendedDescription as string | null) ?? null,
    area: t.area as TaskT['area'],
    subCategory: (t.subCategory as TaskT['subCategory']) ?? null,
    priority: t.priority as TaskT['priority'],
    status: t.status as TaskT['status'],
    size: (t.size as number | null) ?? null,
    dueDate: (t.dueDate as string | null) ?? null,
    scheduledDate: (t.scheduledDate as string | null) ?? null,
    completedDate: (t.completedDate as string | null) ?? null,
    notes: (t.notes as string | null) ?? null,
    isRecurring: Boolean(t.isRecurring),
    recurrenceRule: (t.recurrenceRule as TaskT['recurrenceRule']) ?? null,
    pointValue: (t.pointValue as number | null) ?? null,
    pointsAwarded: (t.pointsAwarded as boolean | null) ?? null,
    rewardLedgerStatus: (t.rewardLedgerStatus as TaskT['rewardLedgerStatus']) ?? 'none',
    rewardAwardTransactionId: (t.rewardAwardTransactionId as string | null) ?? null,
    rewardReversalTransactionId: (t.rewardReversalTransactionId as string | null) ?? null,
    rewardReversedAt: (t.rewardReversedAt as string | null) ?? null,
    projectIds: (t.projectIds as string[] | undefined) ?? [],
    goalIds: (t.goalIds as string[] | undefined) ?? [],
    userId: String(t.userId),
    createdAt: String(t.createdAt),
    updatedAt: String(t.updatedAt),
  };
}

/** The item of a task entity at `version` (keys, GSI1 by status, GSI2 by area). */
export function taskItem(task: Record<string, unknown>, version: number): Item {
  return entityItem('TASK', task as TaskT, version);
}

/**
 * The rule of §e.4 on a task entity: a recurring task needs a `recurrenceRule`.
 * @throws ValidationError when `isRecurring` is true without one.
 */
export function assertRecurrence(task: Record<string, unknown>): void {
  if (task.isRecurring && !task.recurrenceRule) {
    throw new ValidationError('A recurring task needs a recurrenceRule', [
      {
        loc: ['body', 'recurrenceRule'],
        msg: 'required when isRecurring is true',
        type: 'missing',
      },
    ]);
  }
}

/**
 * A new task entity from create input: the contract defaults (priority P3, status Not Started,
 * `pointValue` by §e.1's formula when not given), no reward yet, links deduplicated. `base`
 * gives its id, owner and instants. Shared by {@link createTask} and the import.
 */
export function newTask(input: TaskCreateInput, base: EntityBase): Record<string, unknown> {
  const priority = input.priority ?? 'P3';
  return {
    ...base,
    title: input.title,
    description: input.description ?? null,
    extendedDescription: input.extendedDescription ?? null,
    area: input.area,
    subCategory: input.subCategory ?? null,
    priority,
    status: input.status ?? 'Not Started',
    size: input.size ?? null,
    dueDate: input.dueDate ?? null,
    scheduledDate: input.scheduledDate ?? null,
    completedDate: null,
    notes: input.notes ?? null,
    isRecurring: input.isRecurring ?? false,
    recurrenceRule: input.recurrenceRule ?? null,
    pointValue: input.pointValue ?? taskPointValue(input.size ?? null, priority, input.area),
    pointsAwarded: false,
    rewardLedgerStatus: 'none',
    rewardAwardTransactionId: null,
    rewardReversalTransactionId: null,
    rewardReversedAt: null,
    projectIds: [...new Set(input.projectIds ?? [])],
    goalIds: [...new Set(input.goalIds ?? [])],
  };
}
