/**
 * Goals (API_CONTRACT.md §b.4, §c.2 Goal): CRUD with filters, success criteria, weights, the
 * `parentGoalId` hierarchy, progress and health reads, and deletion with every link.
 *
 * Every write of a goal item goes through one versioned transaction that also stores the
 * recomputed progress (the goal's own criteria and weights are progress inputs), bumps
 * `progressSeq` (see `goal-progress.ts`) and appends the activity entries the change causes:
 * `criterion_completed` for each criterion that became completed (which also moves
 * `lastActivityAt`, §e.8) and `status_changed` when the status changes.
 */
import type { UserCtx } from '../../api/deps.js';
import type {
  GoalCreateInput,
  GoalListQueryT,
  GoalProgressReportT,
  GoalT,
  GoalUpdateInput,
} from '../../api/schemas/goals.js';
import { ConflictError, NotFoundError } from '../../core/errors.js';
import { childPk, keys } from '../../db/keys.js';
import { fromItem, type EntityBase } from '../../db/models.js';
import {
  findEntity,
  getEntity,
  listByStatusOrArea,
  listEntities,
  sameVersion,
} from '../../db/queries.js';
import {
  ConditionFailedError,
  TransactionCanceledError,
  cond,
  queryAll,
  type Item,
  type TransactOp,
} from '../../db/table.js';
import { nowInstant } from '../../utils/dates.js';
import { newId } from '../../utils/ids.js';
import { paginate, type PageSlice } from '../../utils/paging.js';
import { computeProgress, type StoredProgress } from '../goal-progress.js';
import { detachChildren } from '../links.js';
import { timeZoneOf } from '../profile.js';
import {
  criteriaOf,
  criterionActivity,
  goalItem,
  newActivity,
  newlyCompleted,
  normaliseCriteria,
  toGoal,
  type ActivityDraft,
} from './model.js';
import { goalHealth, progressBreakdown } from './rules.js';

const MAX_ATTEMPTS = 10;
/**
 * Deepest allowed hierarchy above a goal. Its ancestors are checked in the write's transaction,
 * which also holds the goal and one activity entry per completed criterion (at most
 * `MAX_CRITERIA` = 50, schemas/goals.ts) and a status change: 1 + 40 + 50 + 1 ≤ 100 operations.
 */
export const MAX_GOAL_DEPTH = 40;

// ---- reads ----------------------------------------------------------------------------------

/**
 * The user's goals matching `query` (`status` reads GSI1, `area` GSI2, `priority` filters in
 * memory), newest first, paged per §a.3.
 */
export async function listGoals(ctx: UserCtx, query: GoalListQueryT): Promise<PageSlice<GoalT>> {
  const items = await listByStatusOrArea(ctx.db, ctx.userId, 'GOAL', query);
  const goals = items
    .map(toGoal)
    .filter(
      (g) =>
        (!query.status || g.status === query.status) &&
        (!query.area || g.area === query.area) &&
        (!query.priority || g.priority === query.priority),
    )
    .sort((a, b) => b.createdAt.localeCompare(a.createdAt) || b.id.localeCompare(a.id));
  return paginate(goals, query);
}

/** One goal. @throws NotFoundError */
export async function getGoal(ctx: UserCtx, id: string): Promise<GoalT> {
  return toGoal(await getEntity(ctx.db, ctx.userId, 'GOAL', id));
}

/**
 * The stored progress breakdown of a goal (never recomputed here) with its health (§e.8),
 * judged now on the user's calendar. @throws NotFoundError
 */
export async function getGoalProgress(ctx: UserCtx, id: string): Promise<GoalProgressReportT> {
  const item = await getEntity(ctx.db, ctx.userId, 'GOAL', id);
  const goal = toGoal(item);
  const stored = item.progressBreakdown as StoredProgress['progressBreakdown'] | undefined;
  const breakdown =
    stored ?? progressBreakdown({ criteria: [], taskStatuses: [], metrics: [], habits: [] }, null);
  const health = goalHealth({
    overall: goal.cachedProgress,
    createdAt: goal.createdAt,
    lastActivityAt: goal.lastActivityAt,
    targetDate: goal.targetDate,
    now: ctx.clock.now(),
    timeZone: await timeZoneOf(ctx),
  });
  return { ...breakdown, health, computedAt: (item.progressComputedAt as string) ?? null };
}

// ---- the hierarchy ----------------------------------------------------------------------------

/**
 * Checks that `parentId` may become the parent of goal `goalId` titled `title`, walking up the
 * parents one read at a time, and returns transaction checks that the ancestors are unchanged
 * (so two concurrent writes cannot close a cycle between them).
 * @throws NotFoundError when the parent does not exist; ConflictError when the goal would be
 *   its own ancestor (the message names the chain) or the hierarchy grows deeper than
 *   {@link MAX_GOAL_DEPTH}.
 */
async function ancestorChecks(
  ctx: UserCtx,
  goalId: string,
  title: string,
  parentId: string,
): Promise<TransactOp[]> {
  const chain: Item[] = [];
  for (let at: string | null = parentId; at !== null; ) {
    if (at === goalId) {
      const ids = [goalId, ...chain.map((g) => String(g.id)), goalId];
      const named = [title, ...chain.map((g) => String(g.title)), title]
        .map((name, i) => `"${name}" (${ids[i]})`)
        .join(' → ');
      throw new ConflictError(`A goal cannot be its own ancestor: ${named}`, { cycle: ids });
    }
    const item = await findEntity(ctx.db, ctx.userId, 'GOAL', at);
    if (!item) {
      if (chain.length === 0) throw new NotFoundError('Goal', parentId);
      break; // a dangling parent id above: the chain ends there
    }
    if (chain.some((g) => g.id === item.id)) break; // an older cycle above: not this write's
    chain.push(item);
    if (chain.length > MAX_GOAL_DEPTH) {
      throw new ConflictError(`Goal hierarchies are at most ${MAX_GOAL_DEPTH} levels deep`);
    }
    at = (item.parentGoalId as string | null) ?? null;
  }
  return chain.map((g) => ({
    check: keys.entity(ctx.userId, 'GOAL', String(g.id)),
    condition: sameVersion(g),
  }));
}

// ---- writes -------------------------------------------------------------------------------------

/** The next state of a goal and what the write adds to its transaction. */
interface GoalChange {
  next: Record<string, unknown>;
  activities: ActivityDraft[];
  /** Conditions on other items (the ancestors). */
  checks: TransactOp[];
}

/**
 * The goal item to store for `change` at `version` with `progressSeq`, progress recomputed from
 * the inputs, and the operations appending its activity entries.
 */
async function prepare(
  ctx: UserCtx,
  storedId: string | null,
  change: GoalChange,
  version: number,
  progressSeq: number,
): Promise<{ item: Item; ops: TransactOp[] }> {
  // The write's activities carry its own instant, so a criterion's completedAt, the entry and
  // lastActivityAt agree.
  const at = String(change.next.updatedAt);
  const entries = change.activities.map((draft) =>
    newActivity(ctx, String(change.next.id), draft, at),
  );
  const active = change.activities.some((a) => a.type === 'criterion_completed');
  const next = {
    ...change.next,
    ...(active ? { lastActivityAt: at } : {}),
    ...(await computeProgress(ctx, storedId, change.next)),
    progressSeq,
  };
  return {
    item: goalItem(next, version),
    ops: [
      ...change.checks,
      ...entries.map((e): TransactOp => ({ put: e.item, condition: cond.notExists('pk') })),
    ],
  };
}

/**
 * Reads goal `id`, lets `change` compute the next state (null: nothing to do), and writes it with
 * recomputed progress in one transaction conditioned on the version read; retries when another
 * writer changed the goal or an ancestor in between. @throws NotFoundError, ConflictError
 */
async function writeGoal(
  ctx: UserCtx,
  id: string,
  change: (current: Item) => Promise<GoalChange | null>,
): Promise<GoalT> {
  for (let attempt = 1; ; attempt++) {
    const current = await getEntity(ctx.db, ctx.userId, 'GOAL', id);
    const result = await change(current);
    if (result === null) return toGoal(current);
    const { item, ops } = await prepare(
      ctx,
      id,
      result,
      Number(current.version ?? 0) + 1,
      Number(current.progressSeq ?? 0) + 1,
    );
    try {
      await ctx.db.transactWrite([{ put: item, condition: sameVersion(current) }, ...ops]);
      return toGoal(item);
    } catch (err) {
      if (!(err instanceof TransactionCanceledError)) throw err;
      if (attempt >= MAX_ATTEMPTS)
        throw new ConflictError('The goal changed while it was being saved; try again');
    }
  }
}

/** The activity of a status change. */
function statusActivity(goalId: string, from: string, to: string): ActivityDraft {
  return {
    type: 'status_changed',
    title: `Status changed to ${to}`,
    description: `From ${from} to ${to}`,
    entityType: 'goal',
    entityId: goalId,
  };
}

/**
 * A new goal entity from create input: defaults priority P3 and status Planning, criteria
 * normalised (strings become open criteria; a completed row without a date is completed at
 * `base.createdAt`), no activity yet. Shared by {@link createGoal} and the import.
 */
export function newGoal(input: GoalCreateInput, base: EntityBase): Record<string, unknown> {
  return {
    ...base,
    title: input.title,
    description: input.description ?? null,
    area: input.area,
    subCategory: input.subCategory ?? null,
    timeHorizon: input.timeHorizon,
    priority: input.priority ?? 'P3',
    status: input.status ?? 'Planning',
    targetDate: input.targetDate ?? null,
    completedDate: null,
    successCriteria: normaliseCriteria(input.successCriteria ?? [], [], base.createdAt),
    progressConfig: input.progressConfig ?? null,
    parentGoalId: input.parentGoalId ?? null,
    lastActivityAt: null,
    notes: input.notes ?? null,
  };
}

/**
 * Creates a goal. `successCriteria` may be strings or objects (§f i10); defaults: priority P3,
 * status Planning. A parent must exist. @throws NotFoundError, ConflictError
 */
export async function createGoal(ctx: UserCtx, input: GoalCreateInput): Promise<GoalT> {
  const now = nowInstant(ctx.clock);
  const id = newId();
  const next = newGoal(input, { id, userId: ctx.userId, createdAt: now, updatedAt: now });
  const successCriteria = criteriaOf(next);
  const checks = input.parentGoalId
    ? await ancestorChecks(ctx, id, input.title, input.parentGoalId)
    : [];
  const activities = newlyCompleted([], successCriteria).map(criterionActivity);
  const { item, ops } = await prepare(ctx, null, { next, activities, checks }, 1, 0);
  try {
    await ctx.db.transactWrite([{ put: item, condition: cond.notExists('pk') }, ...ops]);
  } catch (err) {
    if (err instanceof TransactionCanceledError)
      throw new ConflictError('The goal hierarchy changed while saving; try again');
    throw err;
  }
  return toGoal(item);
}

/**
 * Applies a partial update: omitted fields untouched, `null` clears. `successCriteria` replaces
 * the list (ids kept for existing rows, new ids for new ones; `[]` clears). A new parent must
 * exist and must not make the goal its own ancestor. @throws NotFoundError, ConflictError
 */
export async function updateGoal(ctx: UserCtx, id: string, patch: GoalUpdateInput): Promise<GoalT> {
  return writeGoal(ctx, id, async (current) => {
    const now = nowInstant(ctx.clock);
    const { successCriteria, ...rest } = patch;
    const changes = Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== undefined));
    const next: Record<string, unknown> = { ...fromItem(current), ...changes, updatedAt: now };
    const before = criteriaOf(current);
    if (successCriteria !== undefined)
      next.successCriteria = normaliseCriteria(successCriteria, before, now);
    const activities = newlyCompleted(before, criteriaOf(next)).map(criterionActivity);
    if (patch.status !== undefined && patch.status !== current.status)
      activities.push(statusActivity(id, String(current.status), patch.status));
    const parentId = patch.parentGoalId;
    const checks =
      parentId && parentId !== current.parentGoalId
        ? await ancestorChecks(ctx, id, String(next.title), parentId)
        : [];
    return { next, activities, checks };
  });
}

/**
 * Completes or reopens one success criterion (`POST …/complete` and `PATCH …/criteria/{id}`).
 * A completion records `criterion_completed` and moves `lastActivityAt`; `completedAt` defaults
 * to now (or the date it already had). Repeating the same state changes nothing.
 * @throws NotFoundError when the goal or the criterion does not exist.
 */
export async function setCriterion(
  ctx: UserCtx,
  id: string,
  criterionId: string,
  isCompleted: boolean,
  completedAt?: string | null,
): Promise<GoalT> {
  return writeGoal(ctx, id, async (current) => {
    const criteria = criteriaOf(current);
    const target = criteria.find((c) => c.id === criterionId);
    if (!target) throw new NotFoundError('Success criterion', criterionId);
    const sameDate = completedAt == null || completedAt === target.completedAt;
    if (target.isCompleted === isCompleted && (!isCompleted || sameDate)) return null;
    const now = nowInstant(ctx.clock);
    const updated = criteria.map((c) =>
      c.id !== criterionId
        ? c
        : {
            ...c,
            isCompleted,
            completedAt: isCompleted
              ? (completedAt ?? (c.isCompleted ? c.completedAt : null) ?? now)
              : null,
          },
    );
    return {
      next: { ...fromItem(current), successCriteria: updated, updatedAt: now },
      activities: newlyCompleted(criteria, updated).map(criterionActivity),
      checks: [],
    };
  });
}

/**
 * Deletes a goal with everything that points at it: each linked task, metric, habit and project
 * loses the goal's id from its `goalIds` in a versioned write together with the link item; child
 * goals keep existing with `parentGoalId = null`; its activity entries go. Links made while it is
 * being deleted are swept after the goal item is gone (no new link can name a missing goal).
 * @throws NotFoundError
 */
export async function deleteGoal(ctx: UserCtx, id: string): Promise<void> {
  await getEntity(ctx.db, ctx.userId, 'GOAL', id);
  await detachChildren(ctx, 'GOAL', id);
  try {
    await ctx.db.delete(keys.entity(ctx.userId, 'GOAL', id), cond.exists('pk'));
  } catch (err) {
    if (err instanceof ConditionFailedError) throw new NotFoundError('Goal', id);
    throw err;
  }
  await detachChildren(ctx, 'GOAL', id);
  const children = (await listEntities(ctx.db, ctx.userId, 'GOAL')).filter(
    (g) => g.parentGoalId === id,
  );
  for (const child of children) {
    try {
      await ctx.db.update(keys.entity(ctx.userId, 'GOAL', String(child.id)), {
        set: { parentGoalId: null, updatedAt: nowInstant(ctx.clock) },
        add: { version: 1 },
        condition: cond.eq('parentGoalId', id),
      });
    } catch (err) {
      if (!(err instanceof ConditionFailedError)) throw err; // moved or deleted meanwhile
    }
  }
  const rest = await queryAll(ctx.db, { pk: childPk(ctx.userId, 'GOAL', id) });
  await ctx.db.batchWrite({ delete: rest.map((i) => ({ pk: i.pk, sk: i.sk })) });
}
