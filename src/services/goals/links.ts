/**
 * The goal side of links (API_CONTRACT.md §b.4 G6–G17, §e.6) and the activity timeline
 * (G21–G22).
 *
 * Links go through `services/links.ts`, which writes the link item and the child's embedded
 * `goalIds` in one transaction. A change of a task, metric or habit link is a progress input:
 * the goal's progress is recomputed and stored right after (`onGoalInputsChanged`). A goal ↔
 * project link is one relation stored once (parent GOAL, child PROJECT), also reached from the
 * project side (P10/P11); it does not enter goal progress.
 */
import type { UserCtx } from '../../api/deps.js';
import type {
  ActivityQueryT,
  GoalActivityCreateInput,
  GoalActivityT,
} from '../../api/schemas/goals.js';
import { childPk, keys, type EntityType } from '../../db/keys.js';
import { getEntity } from '../../db/queries.js';
import { queryAll, type Item } from '../../db/table.js';
import { paginate, type PageSlice } from '../../utils/paging.js';
import { onGoalInputsChanged, recordGoalChange } from '../goal-progress.js';
import { linkedChildren, setLink } from '../links.js';
import { toTask } from '../tasks/model.js';
import { toProject } from '../projects/model.js';
import { toHabit } from '../habits/index.js';
import { toMetric } from '../metrics/items.js';
import { toActivity } from './model.js';

/** Kinds of entities a goal links to. */
export type GoalChildType = Extract<EntityType, 'TASK' | 'METRIC' | 'HABIT' | 'PROJECT'>;

/** How each kind of child is returned: in its own domain's API shape. */
const SHAPES = {
  TASK: toTask,
  PROJECT: toProject,
  METRIC: toMetric,
  HABIT: toHabit,
} satisfies Record<GoalChildType, (item: Item) => unknown>;

/** The API shape of a child of type `T`. */
export type GoalChild<T extends GoalChildType> = ReturnType<(typeof SHAPES)[T]>;

/**
 * The goal's linked children of `type`, oldest link first, all in one page (§a.3).
 * @throws NotFoundError when the user has no such goal.
 */
export async function listGoalChildren<T extends GoalChildType>(
  ctx: UserCtx,
  goalId: string,
  type: T,
): Promise<PageSlice<GoalChild<T>>> {
  await getEntity(ctx.db, ctx.userId, 'GOAL', goalId);
  const items = await linkedChildren(ctx, 'GOAL', goalId, type);
  return paginate(items.map((item) => SHAPES[type](item) as GoalChild<T>));
}

/**
 * Links (`linked = true`) or unlinks a child of `type` to/from the goal; idempotent. Task,
 * metric and habit links recompute the goal's progress.
 * @throws NotFoundError when the goal or the child does not exist for this user.
 */
export async function setGoalLink(
  ctx: UserCtx,
  goalId: string,
  type: GoalChildType,
  childId: string,
  linked: boolean,
): Promise<void> {
  const child = await setLink(ctx, 'GOAL', goalId, type, childId, linked);
  if (type === 'PROJECT') return;
  await onGoalInputsChanged(ctx, [goalId], {
    kind: linked ? 'linked' : 'unlinked',
    entityType: type.toLowerCase() as 'task' | 'metric' | 'habit',
    entityId: childId,
    title: String(child.title ?? child.name ?? childId),
  });
}

/**
 * The goal's activity, newest first; `limit` (or `pageSize`) caps the page.
 * @throws NotFoundError
 */
export async function listActivity(
  ctx: UserCtx,
  goalId: string,
  query: ActivityQueryT,
): Promise<PageSlice<GoalActivityT>> {
  await getEntity(ctx.db, ctx.userId, 'GOAL', goalId);
  const items = await queryAll(ctx.db, {
    pk: childPk(ctx.userId, 'GOAL', goalId),
    sk: { beginsWith: keys.goalActivityPrefix },
    forward: false,
  });
  return paginate(items.map(toActivity), {
    page: query.page,
    pageSize: query.limit ?? query.pageSize,
  });
}

/**
 * Adds an activity entry by hand (`POST /goals/{id}/activity`). It counts as activity: it moves
 * `lastActivityAt`. @throws NotFoundError
 */
export async function addActivity(
  ctx: UserCtx,
  goalId: string,
  input: GoalActivityCreateInput,
): Promise<GoalActivityT> {
  await getEntity(ctx.db, ctx.userId, 'GOAL', goalId);
  return (await recordGoalChange(ctx, goalId, input, false)) as GoalActivityT;
}
