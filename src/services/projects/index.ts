/**
 * Projects (API_CONTRACT.md §b.3, §c.2 Project, §e.6, §e.11): CRUD with filters, the project's
 * tasks (parent PROJECT → child TASK, mirrored in the task's `projectIds`) and goals (one
 * relation with the goal side: parent GOAL → child PROJECT, mirrored in the project's
 * `goalIds`), health, and deletion with every link.
 */
import type { UserCtx } from '../../api/deps.js';
import type {
  ProjectCreateInput,
  ProjectListQueryT,
  ProjectT,
  ProjectUpdateInput,
} from '../../api/schemas/projects.js';
import type { GoalT } from '../../api/schemas/goals.js';
import type { TaskT } from '../../api/schemas/tasks.js';
import { ConflictError, NotFoundError, ValidationError } from '../../core/errors.js';
import { keys } from '../../db/keys.js';
import { fromItem, type EntityBase } from '../../db/models.js';
import { getEntities, getEntity, listByStatusOrArea, sameVersion } from '../../db/queries.js';
import {
  MAX_TRANSACT_ITEMS,
  TransactionCanceledError,
  cond,
  type TransactOp,
} from '../../db/table.js';
import { nowInstant } from '../../utils/dates.js';
import { newId } from '../../utils/ids.js';
import { paginate, type PageSlice } from '../../utils/paging.js';
import { toGoal } from '../goals/model.js';
import {
  assertLinksFit,
  detachChildren,
  linkedChildren,
  linkedIds,
  relinkOps,
  setLink,
} from '../links.js';
import { toTask } from '../tasks/model.js';
import { projectHealthMany } from './health.js';
import { projectItem, toProject } from './model.js';

const MAX_ATTEMPTS = 5;

/** @throws ValidationError when the target end date is before the start date. */
export function assertSchedule(project: Record<string, unknown>): void {
  const { startDate, targetEndDate } = project as { startDate?: string; targetEndDate?: string };
  if (startDate && targetEndDate && targetEndDate < startDate) {
    throw new ValidationError('targetEndDate is before startDate', [
      { loc: ['body', 'targetEndDate'], msg: 'must not be before startDate', type: 'value_error' },
    ]);
  }
}

// ---- reads ----------------------------------------------------------------------------------

/**
 * The user's projects matching `query` (`status` reads GSI1, `area` GSI2, `priority` filters in
 * memory), newest first, paged per §a.3. With `includeHealth`, each carries `health`,
 * `taskCount` and `completedTaskCount`, computed for the whole list at once
 * ({@link projectHealthMany}: a fixed number of storage calls, not one per project or task).
 */
export async function listProjects(
  ctx: UserCtx,
  query: ProjectListQueryT,
): Promise<PageSlice<ProjectT>> {
  const items = await listByStatusOrArea(ctx.db, ctx.userId, 'PROJECT', query);
  const matching = items
    .filter(
      (p) =>
        (!query.status || p.status === query.status) &&
        (!query.area || p.area === query.area) &&
        (!query.priority || p.priority === query.priority),
    )
    .sort(
      (a, b) =>
        String(b.createdAt).localeCompare(String(a.createdAt)) ||
        String(b.id).localeCompare(String(a.id)),
    );
  const page = paginate(matching, query);
  if (!query.includeHealth) return { ...page, items: page.items.map(toProject) };
  const health = await projectHealthMany(ctx, page.items);
  return {
    ...page,
    items: page.items.map((item) => {
      const h = health.get(String(item.id));
      return h
        ? {
            ...toProject(item),
            health: h,
            taskCount: h.tasksTotal,
            completedTaskCount: h.tasksCompleted,
          }
        : toProject(item);
    }),
  };
}

/** One project. @throws NotFoundError */
export async function getProject(ctx: UserCtx, id: string): Promise<ProjectT> {
  return toProject(await getEntity(ctx.db, ctx.userId, 'PROJECT', id));
}

/** The project's linked tasks, oldest link first, in one page. @throws NotFoundError */
export async function listProjectTasks(ctx: UserCtx, id: string): Promise<PageSlice<TaskT>> {
  await getEntity(ctx.db, ctx.userId, 'PROJECT', id);
  return paginate((await linkedChildren(ctx, 'PROJECT', id, 'TASK')).map(toTask));
}

/** The project's linked goals (by its `goalIds`), in one page. @throws NotFoundError */
export async function listProjectGoals(ctx: UserCtx, id: string): Promise<PageSlice<GoalT>> {
  const project = await getEntity(ctx.db, ctx.userId, 'PROJECT', id);
  const goals = await getEntities(ctx.db, ctx.userId, 'GOAL', linkedIds(project, 'GOAL'));
  return paginate(goals.map(toGoal));
}

// ---- writes ---------------------------------------------------------------------------------

/**
 * A new project entity from create input, with the defaults priority P3, status Planning and
 * impact 3; `base` gives its id, owner and instants. Shared by {@link createProject} and the import.
 */
export function newProject(input: ProjectCreateInput, base: EntityBase): Record<string, unknown> {
  return {
    ...base,
    name: input.name,
    description: input.description ?? null,
    area: input.area,
    subCategory: input.subCategory ?? null,
    priority: input.priority ?? 'P3',
    status: input.status ?? 'Planning',
    impact: input.impact ?? 3,
    startDate: input.startDate ?? null,
    targetEndDate: input.targetEndDate ?? null,
    actualEndDate: null,
    notes: input.notes ?? null,
    goalIds: [...new Set(input.goalIds ?? [])],
  };
}

/**
 * Creates a project; defaults: priority P3, status Planning, impact 3. `goalIds` links the
 * goals (each must exist). @throws NotFoundError, ValidationError
 */
export async function createProject(ctx: UserCtx, input: ProjectCreateInput): Promise<ProjectT> {
  const now = nowInstant(ctx.clock);
  const id = newId();
  const project = newProject(input, { id, userId: ctx.userId, createdAt: now, updatedAt: now });
  assertSchedule(project);
  const ops = await relinkOps(ctx, 'GOAL', 'PROJECT', id, [], project.goalIds as string[]);
  const item = projectItem(project, 1);
  const write: TransactOp[] = [{ put: item, condition: cond.notExists('pk') }, ...ops];
  assertLinksFit(write, ['goalIds']);
  try {
    await ctx.db.transactWrite(write);
  } catch (err) {
    if (err instanceof TransactionCanceledError) throw new NotFoundError('Goal');
    throw err;
  }
  return toProject(item);
}

/**
 * Applies a partial update (omitted fields untouched, `null` clears). `goalIds` relinks the
 * goals in the same transaction. Retries when another writer changed the project meanwhile.
 * @throws NotFoundError, ValidationError, ConflictError
 */
export async function updateProject(
  ctx: UserCtx,
  id: string,
  patch: ProjectUpdateInput,
): Promise<ProjectT> {
  for (let attempt = 1; ; attempt++) {
    const current = await getEntity(ctx.db, ctx.userId, 'PROJECT', id);
    const changes = Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined));
    const next: Record<string, unknown> = {
      ...fromItem(current),
      ...changes,
      updatedAt: nowInstant(ctx.clock),
    };
    if (patch.goalIds) next.goalIds = [...new Set(patch.goalIds)];
    assertSchedule(next);
    const before = linkedIds(current, 'GOAL');
    const ops = patch.goalIds
      ? await relinkOps(ctx, 'GOAL', 'PROJECT', id, before, next.goalIds as string[])
      : [];
    const item = projectItem(next, Number(current.version ?? 0) + 1);
    const write: TransactOp[] = [{ put: item, condition: sameVersion(current) }, ...ops];
    assertLinksFit(write, ['goalIds']);
    try {
      await ctx.db.transactWrite(write);
      return toProject(item);
    } catch (err) {
      if (!(err instanceof TransactionCanceledError)) throw err;
      if (!err.failedAt(0)) throw new NotFoundError('Goal');
      if (attempt >= MAX_ATTEMPTS)
        throw new ConflictError('The project changed while it was being saved; try again');
    }
  }
}

/** Links or unlinks a task to/from the project (idempotent). @throws NotFoundError */
export async function setProjectTaskLink(
  ctx: UserCtx,
  id: string,
  taskId: string,
  linked: boolean,
): Promise<void> {
  await setLink(ctx, 'PROJECT', id, 'TASK', taskId, linked);
}

/**
 * Links or unlinks a goal from the project's side (P10/P11): the same relation as
 * `POST/DELETE /goals/{id}/projects`. Idempotent. @throws NotFoundError
 */
export async function setProjectGoalLink(
  ctx: UserCtx,
  id: string,
  goalId: string,
  linked: boolean,
): Promise<void> {
  await getEntity(ctx.db, ctx.userId, 'PROJECT', id);
  await setLink(ctx, 'GOAL', goalId, 'PROJECT', id, linked);
}

/**
 * Deletes a project with its links: each linked task loses the id from `projectIds` in a
 * versioned write together with the link item; the goal links go in the transaction that
 * deletes the project; links made meanwhile are swept afterwards. @throws NotFoundError
 */
export async function deleteProject(ctx: UserCtx, id: string): Promise<void> {
  await getEntity(ctx.db, ctx.userId, 'PROJECT', id);
  await detachChildren(ctx, 'PROJECT', id);
  for (let attempt = 1; ; attempt++) {
    const project = await getEntity(ctx.db, ctx.userId, 'PROJECT', id);
    const goalLinks = linkedIds(project, 'GOAL').map((goalId) =>
      keys.link(ctx.userId, 'GOAL', goalId, 'PROJECT', id),
    );
    try {
      await ctx.db.transactWrite([
        { delete: keys.entity(ctx.userId, 'PROJECT', id), condition: sameVersion(project) },
        ...goalLinks.slice(0, MAX_TRANSACT_ITEMS - 1).map((key) => ({ delete: key })),
      ]);
    } catch (err) {
      if (!(err instanceof TransactionCanceledError)) throw err;
      if (attempt >= MAX_ATTEMPTS)
        throw new ConflictError('The project changed while it was being deleted; try again');
      continue;
    }
    // A project in more goals than one transaction holds: the other link items in batches.
    await ctx.db.batchWrite({ delete: goalLinks.slice(MAX_TRANSACT_ITEMS - 1) });
    break;
  }
  await detachChildren(ctx, 'PROJECT', id);
}
