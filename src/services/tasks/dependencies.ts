/**
 * Task dependencies (API_CONTRACT.md §e.5): an edge "task `taskId` is blocked by
 * `dependsOnTaskId`", stored twice — `DEP#{dependsOnTaskId}` in the dependent task's partition and
 * `DEPENDENT#{taskId}` in the prerequisite's — so either task's deletion finds it. Self-edges,
 * duplicates and cycles are refused with 409; the cycle is found by a breadth-first search from
 * the prerequisite along existing edges, and named in the message. Concurrent additions are
 * serialised by the user's graph version (`keys.dependencyGraph`): its `version` counts the
 * edges ever added; every addition reads it before its cycle search and bumps it in the write's
 * transaction on the condition that it is unchanged, so of two concurrent additions that would
 * close a cycle together (X → Y and Y → X), one fails its condition, searches again and finds
 * the cycle. Removals cannot close a cycle and leave it alone.
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

/** How often a dependency is re-checked when another one was added meanwhile. */
const MAX_ATTEMPTS = 10;

/** The path through which `dependsOnTaskId` already reaches `taskId`, named, as a 409. */
async function cycleError(ctx: UserCtx, taskId: string, path: string[]): Promise<ConflictError> {
  const cycle = [taskId, ...path];
  const titles = new Map(
    (await getEntities(ctx.db, ctx.userId, 'TASK', cycle)).map((t) => [
      String(t.id),
      String(t.title),
    ]),
  );
  const named = cycle.map((id) => `"${titles.get(id) ?? id}" (${id})`).join(' → ');
  return new ConflictError(`This dependency would create a cycle: ${named}`, { cycle });
}

/**
 * Makes `taskId` depend on `dependsOnTaskId`: a breadth-first cycle search, then one transaction
 * of the edge, its mirror, both tasks' existence and the graph version; retried
 * when another edge was added meanwhile.
 * @throws NotFoundError when either task is not the user's; ConflictError for a self-edge, a
 *   duplicate, or an edge that would close a cycle (the message lists it).
 */
export async function addDependency(
  ctx: UserCtx,
  taskId: string,
  dependsOnTaskId: string,
): Promise<TaskDependencyT> {
  await getEntity(ctx.db, ctx.userId, 'TASK', taskId);
  await getEntity(ctx.db, ctx.userId, 'TASK', dependsOnTaskId);
  if (taskId === dependsOnTaskId) throw new ConflictError('A task cannot depend on itself');
  for (let attempt = 1; ; attempt++) {
    const graph = await ctx.db.get(keys.dependencyGraph(ctx.userId));
    const version = Number(graph?.version ?? 0);
    const path = await findPath(ctx, dependsOnTaskId, taskId);
    if (path) throw await cycleError(ctx, taskId, path);
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
        { check: keys.entity(ctx.userId, 'TASK', taskId), condition: cond.exists('pk') },
        { check: keys.entity(ctx.userId, 'TASK', dependsOnTaskId), condition: cond.exists('pk') },
        {
          put: {
            ...keys.dependencyGraph(ctx.userId),
            entityType: 'DEPGRAPH',
            version: version + 1,
          },
          condition: graph ? cond.eq('version', version) : cond.notExists('pk'),
        },
      ]);
      return dependency;
    } catch (err) {
      if (!(err instanceof TransactionCanceledError)) throw err;
      if (err.failedAt(0)) {
        throw new ConflictError(`Task ${taskId} already depends on task ${dependsOnTaskId}`);
      }
      if (err.failedAt(2)) throw new NotFoundError('Task', taskId);
      if (err.failedAt(3)) throw new NotFoundError('Task', dependsOnTaskId);
      if (attempt >= MAX_ATTEMPTS) {
        throw new ConflictError('Dependencies changed while this one was being added; try again');
      }
    }
  }
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
