/**
 * The dump's relations, resolved against what the import and the store know.
 *
 * Links between entities (§e.6) come from two places in the dump: the relation maps
 * (`gs_taskGoals`, … — one record each in the front end's storage, see `parse.ts`) and the
 * children's embedded arrays (`goalIds`, `projectIds`). The links imported are their **union**,
 * one per (parent, child) pair. A link whose ends are not both entities of the user — imported
 * now or stored already — is reported and left out; the rest become link items and embedded ids
 * (`services/links.ts`). Links are only ever added: the import never removes one.
 *
 * Also here: the goal hierarchy (`parentGoalId`: a missing parent, a cycle or a chain deeper than
 * the API allows is dropped with a warning, the goal is kept), task dependencies (no self-edge,
 * no cycle — checked along the stored edges too, as `POST /tasks/{id}/dependencies` does) and
 * logbook links.
 */
import type { UserCtx } from '../../api/deps.js';
import { MAX_LINKS } from '../../api/schemas/common.js';
import type { LogbookLinkT } from '../../api/schemas/logbook.js';
import { childPk, type EntityType } from '../../db/keys.js';
import { ENTITY_NAMES } from '../../db/queries.js';
import { cond, queryAll, type Item } from '../../db/table.js';
import { MAX_GOAL_DEPTH } from '../goals/index.js';
import { LINKED_TYPE, logbookLinkItem } from '../logbook.js';
import { dependencyItems } from '../tasks/dependencies.js';
import type { MappedEntity } from './entities.js';
import {
  LINK_COLLECTIONS,
  LOGBOOK_LINK_COLLECTIONS,
  instantOf,
  validId,
  type Dump,
  type LinkCollection,
  type RawCollection,
} from './parse.js';
import type { ImportReport } from './report.js';
import { keyOf, storedByKey, type WriteGroup } from './write.js';

/** Which entity ids exist for the import: imported now, or stored — and which failed to import. */
export interface Known {
  /** Ids of each type that will exist after the import (mapped or stored). */
  ids: Map<EntityType, Set<string>>;
  /** Ids of records that failed to import, by type (to name the reason). */
  failed: Map<EntityType, Set<string>>;
}

/** Whether the user will have entity `type`/`id`; otherwise why not. */
function missing(known: Known, type: EntityType, id: string): string | null {
  if (known.ids.get(type)?.has(id)) return null;
  const name = ENTITY_NAMES[type].toLowerCase();
  return known.failed.get(type)?.has(id)
    ? `${name} ${id} was not imported`
    : `relation to a missing id: ${name} ${id} does not exist`;
}

/** A link accepted for import: child of a relation, its parent, and when it was made. */
export interface AcceptedLink {
  relation: LinkCollection;
  childId: string;
  parentId: string;
  /** Instant of the relation record, or null (then the child's creation). */
  createdAt: string | null;
}

/** The report id of a link: `{childId}#{parentId}` (the key of the export's relation maps). */
export const linkId = (childId: unknown, parentId: unknown): string =>
  `${String(childId)}#${String(parentId)}`;

/**
 * The links of the dump (relation maps ∪ embedded arrays), one per pair and relation, with the
 * ones that cannot be imported reported (counted as failed). `stored` gives the links each
 * stored child already has (its embedded arrays), so the cap counts them too.
 * @returns the accepted links, by `{childType}:{childId}`.
 */
export function resolveLinks(
  dump: Dump,
  mapped: MappedEntity[],
  known: Known,
  stored: Map<EntityType, Map<string, Item>>,
  timeZone: string,
  report: ImportReport,
): Map<string, AcceptedLink[]> {
  const accepted = new Map<string, AcceptedLink[]>();
  const seen = new Set<string>();
  const consider = (
    relation: LinkCollection,
    childId: unknown,
    parentId: unknown,
    createdAt: unknown,
  ) => {
    const pair = linkId(childId, parentId);
    if (seen.has(`${relation.key}|${pair}`)) return;
    seen.add(`${relation.key}|${pair}`);
    const child = validId(childId);
    const parent = validId(parentId);
    if (!child || !parent) {
      report.fail(relation.key, pair, `invalid id ${JSON.stringify(child ? parentId : childId)}`);
      return;
    }
    const why = missing(known, relation.child, child) ?? missing(known, relation.parent, parent);
    if (why) {
      report.fail(relation.key, pair, why);
      return;
    }
    const key = `${relation.child}:${child}`;
    const list = accepted.get(key) ?? [];
    const storedIds = stored.get(relation.child)?.get(child)?.[fieldOf(relation)];
    const already = new Set([
      ...(Array.isArray(storedIds) ? storedIds.map(String) : []),
      ...list.filter((l) => l.relation.key === relation.key).map((l) => l.parentId),
    ]);
    if (
      !already.has(parent) &&
      already.size >= MAX_LINKS // the domains' cap on links of one kind
    ) {
      report.fail(
        relation.key,
        pair,
        `${ENTITY_NAMES[relation.child]} ${child} has too many links of this kind already`,
      );
      return;
    }
    const instant = instantOf(createdAt, timeZone);
    list.push({ relation, childId: child, parentId: parent, createdAt: instant ?? null });
    accepted.set(key, list);
  };
  for (const relation of LINK_COLLECTIONS) {
    for (const { value } of dump.get(relation.key)?.records ?? []) {
      consider(relation, value[relation.childField], value[relation.parentField], value.createdAt);
    }
  }
  for (const entity of mapped) {
    for (const relation of LINK_COLLECTIONS.filter((r) => r.child === entity.type)) {
      for (const parentId of entity.embedded[relation.parent]) {
        consider(relation, entity.id, parentId, null);
      }
    }
  }
  return accepted;
}

/** The embedded array of a relation's child: `goalIds` for goal parents, `projectIds` for projects. */
export function fieldOf(relation: LinkCollection): 'goalIds' | 'projectIds' {
  return relation.parent === 'GOAL' ? 'goalIds' : 'projectIds';
}

/**
 * Resolves each imported goal's `parentGoalId` (written into its entity): kept when the parent
 * will exist and the chain above stays acyclic and at most {@link MAX_GOAL_DEPTH} deep; otherwise
 * null, with a warning naming why. Stored goals' parents count in the chains.
 */
export function resolveHierarchy(
  goals: MappedEntity[],
  stored: Map<string, Item>,
  known: Known,
  report: ImportReport,
): void {
  const parents = new Map<string, string | null>();
  for (const [id, goal] of stored) parents.set(id, (goal.parentGoalId as string | null) ?? null);
  for (const goal of goals) parents.set(goal.id, null);
  for (const goal of goals) {
    const raw = goal.parentGoalId;
    if (raw === null || raw === undefined || raw === '') continue;
    const parent = validId(raw);
    const why = !parent
      ? `invalid parentGoalId ${JSON.stringify(raw)}`
      : (missing(known, 'GOAL', parent) ?? chainProblem(goal.id, parent, parents));
    if (why || !parent) {
      report.warn(goal.collection, goal.id, `${why}; imported without a parent goal`);
      continue;
    }
    parents.set(goal.id, parent);
    goal.entity.parentGoalId = parent;
  }
  for (const goal of goals) goal.entity.parentGoalId ??= null;
}

/** Why `parent` cannot be the parent of `goalId` (a cycle, or too deep), or null. */
function chainProblem(
  goalId: string,
  parent: string,
  parents: Map<string, string | null>,
): string | null {
  let depth = 0;
  for (let at: string | null = parent; at !== null; at = parents.get(at) ?? null) {
    if (at === goalId) return `goal ${parent} is below this goal: the hierarchy would be a cycle`;
    if (++depth > MAX_GOAL_DEPTH)
      return `the hierarchy would be deeper than ${MAX_GOAL_DEPTH} levels`;
  }
  return null;
}

/** A task dependency accepted for import. */
export interface AcceptedDependency {
  id: string;
  taskId: string;
  dependsOnTaskId: string;
  createdAt: string | null;
}

/**
 * The dump's task dependencies that can be imported: both tasks the user's, no self-edge, no
 * duplicate, and no cycle — found by a breadth-first search from the prerequisite along the
 * accepted edges and the stored ones (one query per stored task visited, as the API does).
 */
export async function resolveDependencies(
  ctx: UserCtx,
  collection: string,
  records: { key: string; value: Record<string, unknown> }[],
  known: Known,
  storedTasks: Map<string, Item>,
  timeZone: string,
  report: ImportReport,
): Promise<AcceptedDependency[]> {
  const edges = new Map<string, string[]>();
  const storedEdges = new Map<string, string[]>();
  const prerequisites = async (taskId: string) => {
    if (!storedEdges.has(taskId)) {
      const items = storedTasks.has(taskId)
        ? await queryAll(ctx.db, {
            pk: childPk(ctx.userId, 'TASK', taskId),
            sk: { beginsWith: 'DEP#' },
          })
        : [];
      storedEdges.set(
        taskId,
        items.map((i) => String(i.dependsOnTaskId)),
      );
    }
    return [...(storedEdges.get(taskId) ?? []), ...(edges.get(taskId) ?? [])];
  };
  const reaches = async (from: string, to: string) => {
    const visited = new Set([from]);
    for (let frontier = [from]; frontier.length > 0; ) {
      const next: string[] = [];
      for (const node of frontier) {
        for (const p of await prerequisites(node)) {
          if (p === to) return true;
          if (visited.has(p)) continue;
          visited.add(p);
          next.push(p);
        }
      }
      frontier = next;
    }
    return false;
  };
  const accepted: AcceptedDependency[] = [];
  const pairs = new Set<string>();
  for (const { key, value } of records) {
    const taskId = validId(value.taskId);
    const dependsOnTaskId = validId(value.dependsOnTaskId);
    const shown = validId(value.id) ?? key;
    if (!taskId || !dependsOnTaskId) {
      const bad = taskId ? value.dependsOnTaskId : value.taskId;
      report.fail(collection, shown, `invalid task id ${JSON.stringify(bad)}`);
      continue;
    }
    const pair = `${taskId}|${dependsOnTaskId}`;
    const exists = (await prerequisites(taskId)).includes(dependsOnTaskId);
    const why =
      missing(known, 'TASK', taskId) ??
      missing(known, 'TASK', dependsOnTaskId) ??
      (taskId === dependsOnTaskId ? 'a task cannot depend on itself' : null) ??
      (pairs.has(pair) ? 'the same dependency appears twice' : null) ??
      (!exists && (await reaches(dependsOnTaskId, taskId))
        ? `task ${dependsOnTaskId} already depends on task ${taskId}: this would be a cycle`
        : null);
    if (why) {
      report.fail(collection, shown, why);
      continue;
    }
    pairs.add(pair);
    if (!exists) edges.set(taskId, [...(edges.get(taskId) ?? []), dependsOnTaskId]);
    accepted.push({
      id: validId(value.id) ?? `${taskId}-${dependsOnTaskId}`,
      taskId,
      dependsOnTaskId,
      createdAt: instantOf(value.createdAt, timeZone) ?? null,
    });
  }
  return accepted;
}

/** A logbook link accepted for import, with the dump key it came from. */
export interface AcceptedLogbookLink extends LogbookLinkT {
  collection: string;
  entryId: string;
  createdAt: string | null;
}

/**
 * The dump's logbook links — the front end's `gs_logbook{Tasks,Projects,Goals,Habits}` maps
 * and the export's `logbookLinks` — whose entry and entity the user has, one per
 * (entry, type, entity).
 */
export function resolveLogbookLinks(
  dump: Dump,
  known: Known,
  timeZone: string,
  report: ImportReport,
): AcceptedLogbookLink[] {
  const sources: {
    collection: string;
    entityType: unknown;
    entityId: unknown;
    value: Record<string, unknown>;
  }[] = [];
  for (const { key, entityType } of LOGBOOK_LINK_COLLECTIONS) {
    for (const { value } of dump.get(key)?.records ?? []) {
      sources.push({ collection: key, entityType, entityId: value[`${entityType}Id`], value });
    }
  }
  const server = dump.get('logbookLinks');
  for (const { value } of server?.records ?? []) {
    sources.push({
      collection: server?.key ?? 'logbookLinks',
      entityType: value.entityType,
      entityId: value.entityId,
      value,
    });
  }
  const seen = new Set<string>();
  const accepted: AcceptedLogbookLink[] = [];
  for (const { collection, entityType, entityId, value } of sources) {
    const pair = linkId(entityId, value.logbookEntryId);
    const entryId = validId(value.logbookEntryId);
    const id = validId(entityId);
    const stored = LINKED_TYPE[entityType as LogbookLinkT['entityType']] as EntityType | undefined;
    if (!entryId || !id || !stored) {
      report.fail(
        collection,
        pair,
        `invalid ${!stored ? `entity type ${JSON.stringify(entityType)}` : 'id'}`,
      );
      continue;
    }
    if (seen.has(`${entryId}|${String(entityType)}|${id}`)) continue;
    seen.add(`${entryId}|${String(entityType)}|${id}`);
    const why =
      stored === 'LOGBOOK' && id === entryId
        ? 'a logbook entry cannot link to itself'
        : (missing(known, 'LOGBOOK', entryId) ?? missing(known, stored, id));
    if (why) {
      report.fail(collection, pair, why);
      continue;
    }
    const createdAt = instantOf(value.createdAt, timeZone);
    accepted.push({
      collection,
      entryId,
      entityType: entityType as LogbookLinkT['entityType'],
      entityId: id,
      createdAt: createdAt ?? null,
    });
  }
  return accepted;
}

/**
 * The writes of the dump's task dependencies (each edge with its mirror) that the user does not
 * have yet; those stored already are counted as unchanged.
 */
export async function dependencyWrites(
  ctx: UserCtx,
  collection: RawCollection | undefined,
  known: Known,
  storedTasks: Map<string, Item>,
  timeZone: string,
  now: string,
  report: ImportReport,
): Promise<WriteGroup[]> {
  if (!collection) return [];
  const accepted = await resolveDependencies(
    ctx,
    collection.key,
    collection.records,
    known,
    storedTasks,
    timeZone,
    report,
  );
  const planned = accepted.map((d) =>
    dependencyItems(ctx.userId, { ...d, createdAt: d.createdAt ?? now }),
  );
  const present = await storedByKey(
    ctx.db,
    planned.map(([edge]) => edge),
  );
  return planned.flatMap(([edge, mirror]): WriteGroup[] => {
    if (present.has(keyOf(edge))) {
      report.count(collection.key, 'unchanged');
      return [];
    }
    return [
      {
        ops: [{ put: edge, condition: cond.notExists('pk') }, { put: mirror }],
        records: [{ collection: collection.key, id: String(edge.id), outcome: 'created' }],
      },
    ];
  });
}

/**
 * The writes of the dump's logbook links that the user does not have yet; those stored already
 * are counted as unchanged.
 */
export async function logbookLinkWrites(
  ctx: UserCtx,
  dump: Dump,
  known: Known,
  timeZone: string,
  now: string,
  report: ImportReport,
): Promise<WriteGroup[]> {
  const planned = resolveLogbookLinks(dump, known, timeZone, report).map((link) => ({
    link,
    item: logbookLinkItem(ctx.userId, link.entryId, link, link.createdAt ?? now),
  }));
  const present = await storedByKey(
    ctx.db,
    planned.map(({ item }) => item),
  );
  return planned.flatMap(({ link, item }): WriteGroup[] => {
    if (present.has(keyOf(item))) {
      report.count(link.collection, 'unchanged');
      return [];
    }
    const id = linkId(link.entityId, link.entryId);
    return [
      {
        ops: [{ put: item, condition: cond.notExists('pk') }],
        records: [{ collection: link.collection, id, outcome: 'created' }],
      },
    ];
  });
}
