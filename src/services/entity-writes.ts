/**
 * Writes shared by the entities: a versioned read-modify-write with retry (any entity), and for
 * the goal-linkable entities that own a child partition (metrics and habits) create and update
 * with goal links (§e.6) that tell the goals what changed, and delete with every child and link.
 */
import type { UserCtx } from '../api/deps.js';
import { ConflictError } from '../core/errors.js';
import { childPk, keys, type EntityType } from '../db/keys.js';
import { entityItem, fromItem, type EntityBase } from '../db/models.js';
import { getEntity, sameVersion } from '../db/queries.js';
import {
  MAX_TRANSACT_ITEMS,
  TransactionCanceledError,
  cond,
  queryAll,
  type Item,
  type Key,
  type TransactOp,
} from '../db/table.js';
import { onGoalInputsChanged, type GoalInputEvent } from './goal-progress.js';
import { assertLinksFit, linkedIds, relinkOps, unlinkChildOps } from './links.js';

const MAX_ATTEMPTS = 5;

/** Entity types written here. */
export type LinkableType = 'METRIC' | 'HABIT';

/** A transaction to write; `ops[0]` must be conditioned on the version read. */
export interface WritePlan {
  ops: TransactOp[];
}

/**
 * Reads the user's entity `type`/`id`, lets `plan` build the transaction from it (null: nothing
 * to write) and writes it. `ops[0]` carries the optimistic-concurrency condition
 * (`sameVersion(current)`, or a delete's): when the transaction is cancelled — another writer
 * changed the entity, or an item another condition names — everything is read and planned
 * again, up to 5 times. A deleted entity is then a 404 (of two concurrent deletes one succeeds
 * and the other answers 404), and so is a deleted parent that `plan` reads (`relinkOps`).
 *
 * @returns the entity as read and the plan written.
 * @throws NotFoundError when the user has no such entity; ConflictError when it kept changing.
 */
export async function writeVersioned<P extends WritePlan | null>(
  ctx: UserCtx,
  type: EntityType,
  id: string,
  plan: (current: Item) => Promise<P>,
): Promise<{ current: Item; plan: P }> {
  for (let attempt = 1; ; attempt++) {
    const current = await getEntity(ctx.db, ctx.userId, type, id);
    const next = await plan(current);
    if (next === null) return { current, plan: next };
    try {
      await ctx.db.transactWrite(next.ops);
      return { current, plan: next };
    } catch (err) {
      // Cancelled: the entity changed, or another item a condition names did (e.g. a goal
      // being linked was deleted). Everything is read and planned again.
      if (!(err instanceof TransactionCanceledError)) throw err;
      if (attempt >= MAX_ATTEMPTS) {
        throw new ConflictError('The item changed while it was being saved; try again');
      }
    }
  }
}

/**
 * Deletes the user's entity `type`/`id` with the items `plan` lists for it: the first
 * {@link MAX_TRANSACT_ITEMS} operations (`ops[0]` the entity's own delete, conditioned on its
 * version) in one transaction through {@link writeVersioned} — so a concurrent change is re-read
 * and a concurrent delete answers 404 — and any further ones after it, in batches.
 * @returns the entity as it was deleted.
 * @throws NotFoundError; ConflictError when it kept changing.
 */
export async function deleteVersioned(
  ctx: UserCtx,
  type: EntityType,
  id: string,
  plan: (current: Item) => Promise<TransactOp[]>,
): Promise<Item> {
  const { current, plan: written } = await writeVersioned(ctx, type, id, async (entity) => {
    const ops = await plan(entity);
    return { ops: ops.slice(0, MAX_TRANSACT_ITEMS), rest: ops.slice(MAX_TRANSACT_ITEMS) };
  });
  for (let i = 0; i < written.rest.length; i += MAX_TRANSACT_ITEMS)
    await ctx.db.transactWrite(written.rest.slice(i, i + MAX_TRANSACT_ITEMS));
  return current;
}

/** The goal event fields about `item` of `type`. */
function subject(type: LinkableType, item: Item): Omit<GoalInputEvent, 'kind'> {
  return {
    entityType: type === 'METRIC' ? 'metric' : 'habit',
    entityId: String(item.id),
    title: String(item.name),
  };
}

/** Fields of each type that enter goal progress (§e.7: metric at target, habit consistency). */
const PROGRESS_FIELDS: Record<LinkableType, string[]> = {
  METRIC: ['direction', 'targetValue'],
  HABIT: ['frequency', 'dailyTarget', 'weeklyTarget'],
};

/**
 * Tells goals added to `after`'s `goalIds` (`linked`), dropped from `before`'s (`unlinked`), and
 * the goals that stayed linked when a field that enters their progress changed (`updated`).
 */
async function notifyGoalLinks(
  ctx: UserCtx,
  type: LinkableType,
  before: Item | null,
  after: Item,
): Promise<void> {
  const was = before ? linkedIds(before, 'GOAL') : [];
  const is = linkedIds(after, 'GOAL');
  const added = is.filter((g) => !was.includes(g));
  const removed = was.filter((g) => !is.includes(g));
  const kept = is.filter((g) => was.includes(g));
  const about = subject(type, after);
  if (added.length) await onGoalInputsChanged(ctx, added, { ...about, kind: 'linked' });
  if (removed.length) await onGoalInputsChanged(ctx, removed, { ...about, kind: 'unlinked' });
  const changed = PROGRESS_FIELDS[type].some((f) => before?.[f] !== after[f]);
  if (kept.length && changed) await onGoalInputsChanged(ctx, kept, { ...about, kind: 'updated' });
}

/**
 * Stores a new entity (version 1) with the goal links of its `goalIds` in one transaction, then
 * tells the linked goals.
 * @returns the stored item.
 * @throws NotFoundError when a goal in `goalIds` does not exist for this user.
 */
export async function createLinked(
  ctx: UserCtx,
  type: LinkableType,
  entity: EntityBase & { goalIds: string[] },
): Promise<Item> {
  const item = entityItem(type, entity, 1);
  for (let attempt = 1; ; attempt++) {
    const ops: TransactOp[] = [
      { put: item, condition: cond.notExists('pk') },
      ...(await relinkOps(ctx, 'GOAL', type, entity.id, [], entity.goalIds)),
    ];
    assertLinksFit(ops, ['goalIds']);
    try {
      await ctx.db.transactWrite(ops);
      break;
    } catch (err) {
      // A goal being linked was deleted meanwhile: planning again finds it missing (404).
      if (!(err instanceof TransactionCanceledError)) throw err;
      if (attempt >= MAX_ATTEMPTS)
        throw new ConflictError('The item could not be saved; try again');
    }
  }
  await notifyGoalLinks(ctx, type, null, item);
  return item;
}

/**
 * Read-modify-write of an entity: `change` receives the stored entity (without storage
 * attributes) and returns the next one; a changed `goalIds` relinks in the same transaction.
 * Retries on concurrent changes (see {@link writeVersioned}), then tells the goals.
 * @returns the stored item.
 * @throws NotFoundError, ConflictError, and whatever `change` throws (e.g. ValidationError).
 */
export async function updateLinked(
  ctx: UserCtx,
  type: LinkableType,
  id: string,
  change: (entity: Record<string, unknown>) => Record<string, unknown>,
): Promise<Item> {
  const { current, plan } = await writeVersioned(ctx, type, id, async (current) => {
    const next = change(fromItem(current));
    const item = entityItem(type, next as unknown as EntityBase, Number(current.version ?? 0) + 1);
    const relink = await relinkOps(
      ctx,
      'GOAL',
      type,
      id,
      linkedIds(current, 'GOAL'),
      linkedIds(item, 'GOAL'),
    );
    const ops: TransactOp[] = [{ put: item, condition: sameVersion(current) }, ...relink];
    assertLinksFit(ops, ['goalIds']);
    return { item, ops };
  });
  await notifyGoalLinks(ctx, type, current, plan.item);
  return plan.item;
}

/**
 * Deletes the user's entity `type`/`id` with its whole child partition (logs, milestones), the
 * items `extraKeys` names (e.g. cached insights elsewhere) and its goal links, then tells the
 * linked goals. The children go first, in batches (a metric may have 10,000 logs, far beyond one
 * transaction); the entity and its links go last in one transaction conditioned on its version,
 * so a log written meanwhile makes the whole delete run again and nothing is orphaned. A crash
 * half-way leaves the entity in place, and repeating the delete finishes it.
 *
 * @throws NotFoundError when the user has no such entity; ConflictError when it kept changing.
 */
export async function deleteWithChildren(
  ctx: UserCtx,
  type: LinkableType,
  id: string,
  extraKeys: (entity: Item) => Promise<Key[]> = async () => [],
): Promise<void> {
  const { current } = await writeVersioned(ctx, type, id, async (entity) => {
    const children = await queryAll(ctx.db, { pk: childPk(ctx.userId, type, id) });
    const doomed: Key[] = [
      ...children.map((c) => ({ pk: String(c.pk), sk: String(c.sk) })),
      ...(await extraKeys(entity)),
    ];
    if (doomed.length) await ctx.db.batchWrite({ delete: doomed });
    return {
      ops: [
        { delete: keys.entity(ctx.userId, type, id), condition: sameVersion(entity) },
        ...unlinkChildOps(ctx, type, entity),
      ],
    };
  });
  await onGoalInputsChanged(ctx, linkedIds(current, 'GOAL'), {
    ...subject(type, current),
    kind: 'deleted',
  });
}

/** Sort order "newest first" of entities: by `createdAt`, then id, both descending. */
export function newestCreatedFirst(
  a: { createdAt: string; id: string },
  b: { createdAt: string; id: string },
): number {
  const [x, y] = [`${a.createdAt}#${a.id}`, `${b.createdAt}#${b.id}`];
  return x < y ? 1 : x > y ? -1 : 0;
}
