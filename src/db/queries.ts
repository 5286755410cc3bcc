/**
 * Access patterns shared by the domains: one entity by id (404 when the user has none), all of a
 * user's entities of a type, many by id in one batch, and the optimistic-concurrency condition.
 */
import { NotFoundError } from '../core/errors.js';
import { childPk, entityPrefix, keys, userPk, type EntityType } from './keys.js';
import { cond, queryAll, type Condition, type Item, type Table } from './table.js';

/** Display names of entity types, for messages. */
export const ENTITY_NAMES: Record<EntityType, string> = {
  TASK: 'Task',
  PROJECT: 'Project',
  GOAL: 'Goal',
  METRIC: 'Metric',
  HABIT: 'Habit',
  LOGBOOK: 'Logbook entry',
  REWARD: 'Reward',
  INBOXITEM: 'Inbox item',
  VAULTITEM: 'Vault item',
};

/** The user's entity of `type` with `id`, or null. */
export async function findEntity(
  db: Table,
  userId: string,
  type: EntityType,
  id: string,
): Promise<Item | null> {
  return db.get(keys.entity(userId, type, id));
}

/** The user's entity of `type` with `id`. @throws NotFoundError when the user has no such entity */
export async function getEntity(
  db: Table,
  userId: string,
  type: EntityType,
  id: string,
): Promise<Item> {
  const item = await findEntity(db, userId, type, id);
  if (!item) throw new NotFoundError(ENTITY_NAMES[type], id);
  return item;
}

/** Every entity of `type` the user owns, in id order (one paged query of the user's partition). */
export async function listEntities(db: Table, userId: string, type: EntityType): Promise<Item[]> {
  return queryAll(db, { pk: userPk(userId), sk: { beginsWith: entityPrefix(type) } });
}

/** The user's entities of `type` among `ids` that exist, in the order of `ids` (one batch read). */
export async function getEntities(
  db: Table,
  userId: string,
  type: EntityType,
  ids: string[],
): Promise<Item[]> {
  const unique = [...new Set(ids)];
  if (unique.length === 0) return [];
  const items = await db.batchGet(unique.map((id) => keys.entity(userId, type, id)));
  const byId = new Map(items.map((item) => [String(item.id), item]));
  return unique.flatMap((id) => byId.get(id) ?? []);
}

/** Condition "the item still has the version read", for optimistic concurrency. */
export function sameVersion(item: Item): Condition {
  return cond.eq('version', Number(item.version ?? 0));
}

/**
 * The user's entities of `type`, narrowed by `status` (one query of GSI1, `{status}#…`) or else
 * by `area` (one query of GSI2), or all of them; the caller applies any further filter.
 */
export async function listByStatusOrArea(
  db: Table,
  userId: string,
  type: EntityType,
  filter: { status?: string | undefined; area?: string | undefined },
): Promise<Item[]> {
  if (filter.status) {
    return queryAll(db, {
      index: 'GSI1',
      pk: keys.gsi1(userId, type, filter.status, '').gsi1pk,
      sk: { beginsWith: `${filter.status}#` },
    });
  }
  if (filter.area) {
    return queryAll(db, {
      index: 'GSI2',
      pk: keys.gsi2(userId, filter.area, type, '').gsi2pk,
      sk: { beginsWith: `${type}#` },
    });
  }
  return listEntities(db, userId, type);
}

/** Entity types, for recognising entity items by their sort key (`{TYPE}#{id}`). */
const ENTITY_TYPES = Object.keys(ENTITY_NAMES) as EntityType[];

/**
 * Every item the user owns: the user's partition, the child partition of each of its entities
 * (links, dependencies, activity, logs, milestones, redemptions), and the user's GSI1 child-index
 * partitions — so logs and milestones left behind by an entity deleted half-way are found too.
 * Each item once. One query per entity: for the export and account deletion, never a list route.
 */
export async function userItems(db: Table, userId: string): Promise<Item[]> {
  const found = new Map<string, Item>();
  const add = (items: Item[]) => {
    for (const item of items) found.set(`${item.pk}\u0000${item.sk}`, item);
  };
  const own = await queryAll(db, { pk: userPk(userId) });
  add(own);
  for (const item of own) {
    const [type, ...rest] = String(item.sk).split('#');
    if (!ENTITY_TYPES.includes(type as EntityType) || rest.length === 0) continue;
    add(await queryAll(db, { pk: childPk(userId, type as EntityType, rest.join('#')) }));
  }
  for (const kind of ['METRICLOG', 'METRICMILESTONE', 'HABITLOG'] as const) {
    add(await queryAll(db, { index: 'GSI1', pk: keys.childIndexPk(userId, kind) }));
  }
  return [...found.values()];
}
