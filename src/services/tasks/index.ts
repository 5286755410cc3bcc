/**
 * Tasks (API_CONTRACT.md §b.2, §c.2, rules §e.1–e.5): CRUD, search and filters, completion that
 * credits points exactly once, re-opening that claws them back, and recurring series.
 *
 * Completion (`POST /tasks/{id}/complete`, or any write that sets `status = Done`) writes the
 * task, one `earn` ledger entry and the balance in **one** transaction conditioned on the task's
 * version; a task already awarded is returned unchanged. Re-opening a completed task writes the
 * `clawback` of exactly the points credited. Completing again after a reversal awards again.
 */
import type { UserCtx } from '../../api/deps.js';
import type {
  TaskCreateInput,
  TaskListQueryT,
  TaskT,
  TaskUpdateInput,
} from '../../api/schemas/tasks.js';
import { ConflictError } from '../../core/errors.js';
import { childPk, keys } from '../../db/keys.js';
import { fromItem } from '../../db/models.js';
import { getEntity, listEntities, sameVersion } from '../../db/queries.js';
import {
  TransactionCanceledError,
  cond,
  queryAll,
  type Item,
  type TransactOp,
} from '../../db/table.js';
import { nowInstant } from '../../utils/dates.js';
import { newId } from '../../utils/ids.js';
import { paginate, type PageSlice } from '../../utils/paging.js';
import { deleteVersioned, writeVersioned } from '../entity-writes.js';
import { onGoalInputsChanged } from '../goal-progress.js';
import { assertLinksFit, linkedIds, relinkOps, unlinkChildOps } from '../links.js';
import { ledgerOps } from '../wallet.js';
import { assertRecurrence, newTask, taskItem, toTask } from './model.js';
import { nextOccurrenceOps } from './occurrences.js';

const MAX_ATTEMPTS = 5;
/** The body fields of a task that hold links (§e.6). */
const LINK_FIELDS = ['goalIds', 'projectIds'];

// ---- reads ----------------------------------------------------------------------------------

const PRIORITY_ORDER = ['P1', 'P2', 'P3', 'P4'];
const STATUS_ORDER = ['Not Started', 'In Progress', 'Blocked', 'On Hold', 'Done', 'Cancelled'];

function sortValue(task: TaskT, field: string): string | number | null {
  const value = (task as unknown as Record<string, unknown>)[field];
  if (field === 'priority') return PRIORITY_ORDER.indexOf(String(value));
  if (field === 'status') return STATUS_ORDER.indexOf(String(value));
  if (field === 'title') return String(value).toLowerCase();
  return (value as string | number | null | undefined) ?? null;
}

/**
 * The user's tasks matching `query`: `status` reads GSI1 (`{status}#…`), `area` reads GSI2, other
 * filters apply in memory; `search` is case-insensitive over title and description. Sorted by
 * `sortBy` (default `createdAt`) in `sortOrder` (default `desc`), nulls last; paged per §a.3.
 */
export async function listTasks(ctx: UserCtx, query: TaskListQueryT): Promise<PageSlice<TaskT>> {
  const items = query.status
    ? await queryAll(ctx.db, {
        index: 'GSI1',
        pk: keys.gsi1(ctx.userId, 'TASK', query.status, '').gsi1pk,
        sk: { beginsWith: `${query.status}#` },
      })
    : query.area
      ? await queryAll(ctx.db, {
          index: 'GSI2',
          pk: keys.gsi2(ctx.userId, query.area, 'TASK', '').gsi2pk,
          sk: { beginsWith: 'TASK#' },
        })
      : await listEntities(ctx.db, ctx.userId, 'TASK');
  const needle = query.search?.trim().toLowerCase();
  const tasks = items
    .map(toTask)
    .filter(
      (t) =>
        (!query.status || t.status === query.status) &&
        (!query.area || t.area === query.area) &&
        (!query.priority || t.priority === query.priority) &&
        (!query.subCategory || t.subCategory === query.subCategory) &&
        (!query.projectId || t.projectIds.includes(query.projectId)) &&
        (!query.goalId || t.goalIds.includes(query.goalId)) &&
        (!query.dueDate || t.dueDate === query.dueDate) &&
        (query.isRecurring === undefined || t.isRecurring === query.isRecurring) &&
        (!needle ||
          t.title.toLowerCase().includes(needle) ||
          (t.description ?? '').toLowerCase().includes(needle)),
    );
  const field = query.sortBy ?? 'createdAt';
  const direction = query.sortOrder === 'asc' ? 1 : -1;
  tasks.sort((a, b) => {
    const [x, y] = [sortValue(a, field), sortValue(b, field)];
    if (x === y) return a.id < b.id ? -direction : direction;
    if (x === null) return 1;
    if (y === null) return -1;
    return (x < y ? -1 : 1) * direction;
  });
  return paginate(tasks, { page: query.page, pageSize: query.pageSize ?? query.limit });
}

/** One task. @throws NotFoundError */
export async function getTask(ctx: UserCtx, id: string): Promise<TaskT> {
  return toTask(await getEntity(ctx.db, ctx.userId, 'TASK', id));
}

// ---- writes ---------------------------------------------------------------------------------

/**
 * Creates a task. `pointValue` defaults to §e.1's formula; `projectIds` / `goalIds` create the
 * links (each must exist: 404 otherwise). A task created as `Done` is completed at once.
 * @throws NotFoundError; ValidationError when its links do not fit one transaction (`assertLinksFit`)
 */
export async function createTask(ctx: UserCtx, input: TaskCreateInput): Promise<TaskT> {
  const now = nowInstant(ctx.clock);
  const task = newTask(input, { id: newId(), userId: ctx.userId, createdAt: now, updatedAt: now });
  assertRecurrence(task);
  const fresh = { status: 'Not Started', projectIds: [], goalIds: [] } as unknown as Item;
  for (let attempt = 1; ; attempt++) {
    const { item, ops } = await transition(ctx, fresh, { ...task }, { creating: true });
    const write: TransactOp[] = [{ put: item, condition: cond.notExists('pk') }, ...ops];
    assertLinksFit(write, LINK_FIELDS);
    try {
      await ctx.db.transactWrite(write);
    } catch (err) {
      // A goal or project being linked was deleted meanwhile: planning again finds it missing.
      if (!(err instanceof TransactionCanceledError)) throw err;
      if (attempt >= MAX_ATTEMPTS)
        throw new ConflictError('The task could not be saved; try again');
      continue;
    }
    await notifyGoals(ctx, fresh, item);
    return toTask(item);
  }
}

/**
 * Applies a partial update. Setting `status = Done` completes the task (credits its points
 * once); moving a completed task to another status re-opens it (claws the points back).
 * Changing `goalIds` / `projectIds` relinks. @throws NotFoundError, ValidationError (also when
 * the links it changes do not fit one transaction, `assertLinksFit`)
 */
export async function updateTask(ctx: UserCtx, id: string, patch: TaskUpdateInput): Promise<TaskT> {
  return writeWithRetry(ctx, id, (current) => {
    const changes = Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined));
    const next: Record<string, unknown> = {
      ...fromItem(current),
      ...changes,
      updatedAt: nowInstant(ctx.clock),
    };
    if (changes.projectIds) next.projectIds = [...new Set(changes.projectIds as string[])];
    if (changes.goalIds) next.goalIds = [...new Set(changes.goalIds as string[])];
    assertRecurrence(next);
    return next;
  });
}

/** Completes a task (idempotent: a task already awarded is returned as it is). @throws NotFoundError */
export async function completeTask(ctx: UserCtx, id: string): Promise<TaskT> {
  return writeWithRetry(ctx, id, (current) =>
    current.status === 'Done' && current.rewardLedgerStatus === 'awarded'
      ? null
      : { ...fromItem(current), status: 'Done', updatedAt: nowInstant(ctx.clock) },
  );
}

/**
 * Deletes a task with every edge and link that touches it: its dependencies and dependents
 * (both mirrored items) and its goal/project links. The task goes in the first transaction,
 * conditioned on the version read (re-read when it changed meanwhile: a task deleted meanwhile is
 * a 404); a task with more than 100 edges continues in batches. @throws NotFoundError
 */
export async function deleteTask(ctx: UserCtx, id: string): Promise<void> {
  const task = await deleteVersioned(ctx, 'TASK', id, async (task) => {
    const edges = await queryAll(ctx.db, { pk: childPk(ctx.userId, 'TASK', id) });
    const mirrored = edges.flatMap((edge): TransactOp[] => {
      const other = String(edge.sk).split('#')[1] ?? '';
      if (String(edge.sk).startsWith('DEP#'))
        return [{ delete: keys.dependent(ctx.userId, other, id) }];
      if (String(edge.sk).startsWith('DEPENDENT#'))
        return [{ delete: keys.dependency(ctx.userId, other, id) }];
      return [];
    });
    return [
      { delete: keys.entity(ctx.userId, 'TASK', id), condition: sameVersion(task) },
      ...unlinkChildOps(ctx, 'TASK', task),
      ...edges.map(
        (edge): TransactOp => ({ delete: { pk: String(edge.pk), sk: String(edge.sk) } }),
      ),
      ...mirrored,
    ];
  });
  await onGoalInputsChanged(ctx, linkedIds(task, 'GOAL'), {
    kind: 'deleted',
    entityType: 'task',
    entityId: id,
    title: String(task.title),
  });
}

// ---- the transition from one stored state to the next ----------------------------------------

interface Transition {
  item: Item;
  ops: TransactOp[];
}

/**
 * Reads the task, lets `change` compute its next state (null: nothing to do), and writes the
 * transition in one transaction conditioned on the version read (`writeVersioned`). Reads and
 * plans again when the transaction was cancelled — another writer changed the task (e.g. 20
 * parallel completes: one credits, the rest see it done) or deleted a goal or project being
 * linked (then a 404). @throws NotFoundError, ConflictError, ValidationError
 */
async function writeWithRetry(
  ctx: UserCtx,
  id: string,
  change: (current: Item) => Record<string, unknown> | null,
): Promise<TaskT> {
  const { current, plan } = await writeVersioned(ctx, 'TASK', id, async (current) => {
    const next = change(current);
    if (next === null) return null;
    const { item, ops } = await transition(ctx, current, next, { creating: false });
    const write: TransactOp[] = [{ put: item, condition: sameVersion(current) }, ...ops];
    assertLinksFit(write, LINK_FIELDS);
    return { item, ops: write };
  });
  if (plan === null) return toTask(current);
  await notifyGoals(ctx, current, plan.item);
  return toTask(plan.item);
}

/**
 * The next item and the other operations of one write: the reward ledger (§e.2–e.3), relinking
 * of goals and projects (§e.6), and the next occurrence of a recurring task.
 */
async function transition(
  ctx: UserCtx,
  current: Item,
  next: Record<string, unknown>,
  { creating }: { creating: boolean },
): Promise<Transition> {
  const now = nowInstant(ctx.clock);
  const ops: TransactOp[] = [];
  const wasDone = current.status === 'Done';
  const isDone = next.status === 'Done';
  const awarded = current.rewardLedgerStatus === 'awarded';

  if (isDone && !awarded) {
    const points = Number(next.pointValue ?? 0);
    // Keep a completion date this write supplies, or the one of a task that was already Done.
    const supplied = next.completedDate !== current.completedDate && Boolean(next.completedDate);
    if (!supplied && !(wasDone && next.completedDate)) next.completedDate = now;
    if (points > 0) {
      const ledger = taskLedgerOps(ctx, 'earn', next, points);
      ops.push(...ledger.ops);
      next.rewardAwardTransactionId = ledger.transaction.id;
    }
    Object.assign(next, {
      pointsAwarded: true,
      rewardLedgerStatus: 'awarded',
      awardedPoints: points,
    });
    if (next.isRecurring && next.recurrenceRule && !next.nextOccurrenceId) {
      ops.push(...(await nextOccurrenceOps(ctx, next)));
    }
  } else if (wasDone && !isDone) {
    const points = Number(current.awardedPoints ?? 0);
    if (awarded && points > 0) {
      const ledger = taskLedgerOps(ctx, 'clawback', next, points);
      ops.push(...ledger.ops);
      next.rewardReversalTransactionId = ledger.transaction.id;
    }
    if (awarded)
      Object.assign(next, {
        pointsAwarded: false,
        rewardLedgerStatus: 'reversed',
        rewardReversedAt: now,
      });
    next.awardedPoints = 0;
    // A re-opened task is no longer completed, unless the same write sets a date explicitly.
    if (next.completedDate === current.completedDate) next.completedDate = null;
  }

  const id = String(next.id);
  for (const parentType of ['GOAL', 'PROJECT'] as const) {
    const field = parentType === 'GOAL' ? 'goalIds' : 'projectIds';
    ops.push(
      ...(await relinkOps(
        ctx,
        parentType,
        'TASK',
        id,
        linkedIds(current, parentType),
        (next[field] as string[]) ?? [],
      )),
    );
  }
  const version = creating ? 1 : Number(current.version ?? 0) + 1;
  return { item: taskItem(next, version), ops };
}

/** The ledger entry of a task's completion (`earn`) or re-opening (`clawback`), §e.2–e.3. */
function taskLedgerOps(
  ctx: UserCtx,
  type: 'earn' | 'clawback',
  task: Record<string, unknown>,
  points: number,
) {
  const earn = type === 'earn';
  return ledgerOps(ctx, {
    type,
    source: earn ? 'task_completion' : 'task_completion_reversal',
    amount: points,
    sourceEntityType: 'task',
    sourceEntityId: String(task.id),
    description: `${earn ? 'Completed' : 'Reopened'} task: ${String(task.title)}`,
  });
}

/** Tells the goals whose inputs changed (completion, re-opening, links). */
async function notifyGoals(ctx: UserCtx, before: Item, after: Item): Promise<void> {
  const event = {
    entityType: 'task' as const,
    entityId: String(after.id),
    title: String(after.title),
  };
  const beforeGoals = linkedIds(before, 'GOAL');
  const afterGoals = linkedIds(after, 'GOAL');
  const added = afterGoals.filter((g) => !beforeGoals.includes(g));
  const removed = beforeGoals.filter((g) => !afterGoals.includes(g));
  if (added.length) await onGoalInputsChanged(ctx, added, { ...event, kind: 'linked' });
  if (removed.length) await onGoalInputsChanged(ctx, removed, { ...event, kind: 'unlinked' });
  const kept = afterGoals.filter((g) => beforeGoals.includes(g));
  if (before.status !== 'Done' && after.status === 'Done') {
    await onGoalInputsChanged(ctx, kept, { ...event, kind: 'task_completed' });
  } else if (before.status === 'Done' && after.status !== 'Done') {
    await onGoalInputsChanged(ctx, kept, { ...event, kind: 'task_reopened' });
  }
}
