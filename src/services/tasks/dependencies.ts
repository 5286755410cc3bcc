/**
 * Task dependencies (API_CONTRACT.md §e.5): an edge "task `taskId` is blocked by
 * `dependsOnTaskId`", stored twice — `DEP#{dependsOnTaskId}` in the dependent task's partition and
 * `DEPENDENT#{taskId}` in the prerequisite's — so either task's deletion finds it. Self-edges,
 * duplicates and cycles are refused with 409; the cycle is found by a breadth-first search from
 * the prerequisite along existing edges, and named in the message.
 */
import type { UserCtx } from '../../api/deps.js';
import type { TaskDependencyT } from '../../api/schemas/tasks.js';
import { ConflictError, NotFoundError } from '../../core/errors.js';
import { childPk, keys } from '../../db/keys.js';
import { getEntities, getEntity } from '../../db/queries.js';
import { TransactionCanceledError, cond, queryAll, type Item } from '../../db/table.js';
import { nowInstant } from '../../utils/dates.js';
import { newId } from '../../utils/ids.js';

/**
 * The two items of an edge: `DEP#{dependsOnTaskId}` in the dependent task's partition and its
 * mirror `DEPENDENT#{taskId}` in the prerequisite's.
 */
export function dependencyItems(userId: string, dependency: TaskDependencyT): [Item, Item] {
  const edge = { ...dependency, userId, entityType: 'TASK_DEPENDENCY' };
  const { taskId, dependsOnTaskId } = dependency;
  return [
    { ...edge, ...keys.dependency(userId, taskId, dependsOnTaskId) },
    { ...edge, ...keys.dependent(userId, dependsOnTaskId, taskId) },
  ];
}

/** The API shape of a stored edge. */
export function toDependency(item: Item): TaskDependencyT {
  return {
    id: String(item.id),
    taskId: String(item.taskId),
    dependsOnTaskId: String(item.dependsOnTaskId),
    createdAt: String(item.createdAt),
  };
}

/** Ids of the tasks `taskId` depends on. */
async function prerequisites(ctx: UserCtx, taskId: string): Promise<string[]> {
  const edges = await queryAll(ctx.db, {
    pk: childPk(ctx.userId, 'TASK', taskId),
    sk: { beginsWith: 'DEP#' },
  });
  return edges.map((e) => String(e.dependsOnTaskId));
}

/**
 * The path `from → … → to` along dependency edges, or null when `to` is not reachable
 * (breadth-first, one query per visited task).
 */
async function findPath(ctx: UserCtx, from: string, to: string): Promise<string[] | null> {
  const parent = new Map<string, string | null>([[from, null]]);
  let frontier = [from];
  while (frontier.length > 0) {
    const next: string[] = [];
    for (const node of frontier) {
      for (const prerequisite of await prerequisites(ctx, node)) {
        if (parent.has(prerequisite)) continue;
        parent.set(prerequisite, node);
        if (prerequisite === to) {
          const path = [to];
          for (let at = parent.get(to); at != null; at = parent.get(at)) path.unshift(at);
          return path;
        }
        next.push(prerequisite);
      }
    }
    frontier = next;
  }
  return null;
}

/** The dependencies of a task (what blocks it), oldest first. @throws NotFoundError */
export async function listDependencies(ctx: UserCtx, taskId: string): Promise<TaskDependencyT[]> {
  await getEntity(ctx.db, ctx.userId, 'TASK', taskId);
  const edges = await queryAll(ctx.db, {
    pk: childPk(ctx.userId, 'TASK', taskId),
    sk: { beginsWith: 'DEP#' },
  });
  return edges
    .map(toDependency)
    .sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id));
}

/**
 * Makes `taskId` depend on `dependsOnTaskId`.
 * @throws NotFoundError when either task is not the user's; ConflictError for a self-edge, a
 *   duplicate, or an edge that would close a cycle (the message lists it).
 */
export async function addDependency(
  ctx: UserCtx,
  taskId: string,
  dependsOnTaskId: string,
): Promise<TaskDependencyT> {
  const task = await getEntity(ctx.db, ctx.userId, 'TASK', taskId);
  const prerequisite = await getEntity(ctx.db, ctx.userId, 'TASK', dependsOnTaskId);
  if (taskId === dependsOnTaskId) throw new ConflictError('A task cannot depend on itself');
  const path = await findPath(ctx, dependsOnTaskId, taskId);
  if (path) {
    const cycle = [taskId, ...path];
    const titles = new Map(
      (await getEntities(ctx.db, ctx.userId, 'TASK', cycle)).map((t) => [
        String(t.id),
        String(t.title),
      ]),
    );
    const named = cycle.map((id) => `"${titles.get(id) ?? id}" (${id})`).join(' → ');
    throw new ConflictError(`This dependency would create a cycle: ${named}`, { cycle });
  }
  const dependency: TaskDependencyT = {
    id: newId(),
    taskId,
    dependsOnTaskId,
    createdAt: nowInstant(ctx.clock),
  };
  const [edge, mirror] = dependencyItems(ctx.userId, dependency);
  try {
    await ctx.db.transactWrite([
      { put: edge, condition: cond.notExists('pk') },
      { put: mirror },
      { check: keys.entity(ctx.userId, 'TASK', String(task.id)), condition: cond.exists('pk') },
      {
        check: keys.entity(ctx.userId, 'TASK', String(prerequisite.id)),
        condition: cond.exists('pk'),
      },
    ]);
  } catch (err) {
    if (err instanceof TransactionCanceledError && err.failedAt(0)) {
      throw new ConflictError(`Task ${taskId} already depends on task ${dependsOnTaskId}`);
    }
    if (err instanceof TransactionCanceledError) throw new NotFoundError('Task');
    throw err;
  }
  return dependency;
}

/** Removes the edge `taskId` → `dependsOnTaskId`. @throws NotFoundError when the task or the edge is missing */
export async function removeDependency(
  ctx: UserCtx,
  taskId: string,
  dependsOnTaskId: string,
): Promise<void> {
  await getEntity(ctx.db, ctx.userId, 'TASK', taskId);
  try {
    await ctx.db.transactWrite([
      {
        delete: keys.dependency(ctx.userId, taskId, dependsOnTaskId),
        condition: cond.exists('pk'),
      },
      { delete: keys.dependent(ctx.userId, dependsOnTaskId, taskId) },
    ]);
  } catch (err) {
    if (err instanceof TransactionCanceledError)
      throw new NotFoundError('Dependency', dependsOnTaskId);
    throw err;
  }
}
