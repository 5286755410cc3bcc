/**
 * Links between entities and the embedded arrays that mirror them (API_CONTRACT.md §e.6).
 *
 * A link parent → child is an item in the parent's child partition
 * (`USER#{u}#GOAL#{goalId}` / `TASK#{taskId}`); the child carries the parent's id in its embedded
 * array (`goalIds` for goal parents, `projectIds` for project parents), which the client filters
 * by. Both change in one transaction, so they always agree.
 *
 * Relations: goal → task | metric | habit | project, project → task.
 */
import type { UserCtx } from '../api/deps.js';
import { MAX_LINKS } from '../api/schemas/common.js';
import { ConflictError, NotFoundError, ValidationError } from '../core/errors.js';
import { childPk, keys, type EntityType } from '../db/keys.js';
import { ENTITY_NAMES, getEntities, getEntity, sameVersion } from '../db/queries.js';
import {
  MAX_TRANSACT_ITEMS,
  TransactionCanceledError,
  cond,
  queryAll,
  type Item,
  type TransactOp,
} from '../db/table.js';
import { nowInstant } from '../utils/dates.js';

/** Parent types and the embedded array on their children. */
export const LINK_ARRAY = { GOAL: 'goalIds', PROJECT: 'projectIds' } as const;
/** A type that can be a link parent. */
export type ParentType = keyof typeof LINK_ARRAY;

/** The embedded array of `item` for parents of `parentType`. */
export function linkedIds(item: Item, parentType: ParentType): string[] {
  const value = item[LINK_ARRAY[parentType]];
  return Array.isArray(value) ? value.map(String) : [];
}

/** The link item parent → child. */
export function linkItem(
  ctx: UserCtx,
  parentType: ParentType,
  parentId: string,
  childType: EntityType,
  childId: string,
): Item {
  return {
    ...keys.link(ctx.userId, parentType, parentId, childType, childId),
    entityType: 'LINK',
    userId: ctx.userId,
    parentType,
    parentId,
    childType,
    childId,
    createdAt: nowInstant(ctx.clock),
  };
}

/**
 * Operations that turn the child's links to parents of `parentType` from `before` into `after`
 * (puts for added parents, with a check that each exists; deletes for removed ones). The caller
 * sets the child's array to `after` in the same transaction.
 *
 * @throws NotFoundError when an added parent does not exist for this user.
 */
export async function relinkOps(
  ctx: UserCtx,
  parentType: ParentType,
  childType: EntityType,
  childId: string,
  before: string[],
  after: string[],
): Promise<TransactOp[]> {
  const added = after.filter((id) => !before.includes(id));
  const removed = before.filter((id) => !after.includes(id));
  const found = await getEntities(ctx.db, ctx.userId, parentType, added);
  const missing = added.find((id) => !found.some((item) => item.id === id));
  if (missing !== undefined) throw new NotFoundError(ENTITY_NAMES[parentType], missing);
  return [
    ...added.flatMap((id): TransactOp[] => [
      { put: linkItem(ctx, parentType, id, childType, childId) },
      { check: keys.entity(ctx.userId, parentType, id), condition: cond.exists('pk') },
    ]),
    ...removed.map(
      (id): TransactOp => ({ delete: keys.link(ctx.userId, parentType, id, childType, childId) }),
    ),
  ];
}

/**
 * Refuses a write whose transaction would hold more than {@link MAX_TRANSACT_ITEMS} operations
 * because of the links it changes (each list is at most `MAX_LINKS` long, but a task's goals and
 * projects together, or links changed while a recurring task spawns its next occurrence with
 * them, can exceed one transaction). `ops` is the whole transaction; `fields` are the body fields
 * whose links it changes.
 * @throws ValidationError (400) naming each of `fields`, so the client changes them in several
 *   requests; nothing has been written.
 */
export function assertLinksFit(ops: TransactOp[], fields: string[]): void {
  if (ops.length <= MAX_TRANSACT_ITEMS) return;
  const msg = `changes too many links in one request (${ops.length} storage operations, at most ${MAX_TRANSACT_ITEMS}); change them in several requests`;
  throw new ValidationError(
    `Invalid request: ${msg}`,
    fields.map((field) => ({ loc: ['body', field], msg, type: 'too_big' })),
  );
}

/** Operations that remove every link of a child that is being deleted. */
export function unlinkChildOps(ctx: UserCtx, childType: EntityType, child: Item): TransactOp[] {
  return (Object.keys(LINK_ARRAY) as ParentType[]).flatMap((parentType) =>
    linkedIds(child, parentType).map(
      (id): TransactOp => ({
        delete: keys.link(ctx.userId, parentType, id, childType, String(child.id)),
      }),
    ),
  );
}

/**
 * Links or unlinks one child to/from one parent, from the parent's side (e.g.
 * `POST /goals/{id}/tasks`). Idempotent. Retries on a concurrent change of the child.
 *
 * @returns the child item after the change.
 * @throws NotFoundError when the parent or the child does not exist for this user;
 *   ConflictError (409) when the child already has `MAX_LINKS` parents of that type, or kept
 *   changing for 5 attempts.
 */
export async function setLink(
  ctx: UserCtx,
  parentType: ParentType,
  parentId: string,
  childType: EntityType,
  childId: string,
  linked: boolean,
): Promise<Item> {
  await getEntity(ctx.db, ctx.userId, parentType, parentId);
  for (let attempt = 0; ; attempt++) {
    const child = await getEntity(ctx.db, ctx.userId, childType, childId);
    const before = linkedIds(child, parentType);
    if (linked && !before.includes(parentId) && before.length >= MAX_LINKS) {
      throw new ConflictError(
        `${ENTITY_NAMES[childType]} ${childId} is linked to ${before.length} ${ENTITY_NAMES[parentType].toLowerCase()}s already (at most ${MAX_LINKS}); unlink one first`,
        { limit: MAX_LINKS },
      );
    }
    const after = linked
      ? [...new Set([...before, parentId])]
      : before.filter((id) => id !== parentId);
    const updated = {
      ...child,
      [LINK_ARRAY[parentType]]: after,
      updatedAt: nowInstant(ctx.clock),
      version: Number(child.version ?? 0) + 1,
    };
    const ops: TransactOp[] = [
      { put: updated, condition: sameVersion(child) },
      linked
        ? { put: linkItem(ctx, parentType, parentId, childType, childId) }
        : { delete: keys.link(ctx.userId, parentType, parentId, childType, childId) },
      ...(linked
        ? [{ check: keys.entity(ctx.userId, parentType, parentId), condition: cond.exists('pk') }]
        : []),
    ];
    try {
      await ctx.db.transactWrite(ops);
      return updated;
    } catch (err) {
      if (!(err instanceof TransactionCanceledError)) throw err;
      if (err.failedAt(2)) throw new NotFoundError(ENTITY_NAMES[parentType], parentId);
      if (attempt >= 4) {
        throw new ConflictError(`${ENTITY_NAMES[childType]} ${childId} keeps changing; try again`);
      }
    }
  }
}

/** Ids of the children of type `childType` linked to a parent (one query of its partition). */
export async function childIds(
  ctx: UserCtx,
  parentType: ParentType,
  parentId: string,
  childType: EntityType,
): Promise<string[]> {
  const links = await queryAll(ctx.db, {
    pk: childPk(ctx.userId, parentType, parentId),
    sk: { beginsWith: `${childType}#` },
  });
  return links.map((link) => String(link.childId));
}

/** The children of type `childType` linked to a parent, loaded in one batch. */
export async function linkedChildren(
  ctx: UserCtx,
  parentType: ParentType,
  parentId: string,
  childType: EntityType,
): Promise<Item[]> {
  return getEntities(
    ctx.db,
    ctx.userId,
    childType,
    await childIds(ctx, parentType, parentId, childType),
  );
}

/** Attempts of {@link detachChildren} per child before it gives up. */
export const MAX_DETACH_ATTEMPTS = 5;

/**
 * Removes every link of a parent that is being deleted: for each linked child, one transaction
 * removes the parent's id from the child's embedded array (conditioned on the child's version,
 * retried when it changed) and deletes the link item; a link to a child that no longer exists is
 * just deleted. One query of the parent's partition, then one read and one write per child.
 *
 * @throws ConflictError when a child keeps changing for {@link MAX_DETACH_ATTEMPTS} attempts.
 */
export async function detachChildren(
  ctx: UserCtx,
  parentType: ParentType,
  parentId: string,
): Promise<void> {
  const links = await queryAll(ctx.db, {
    pk: childPk(ctx.userId, parentType, parentId),
    filter: cond.eq('entityType', 'LINK'),
  });
  for (const link of links) {
    const childType = link.childType as EntityType;
    const childId = String(link.childId);
    const childKey = keys.entity(ctx.userId, childType, childId);
    const unlink: TransactOp = {
      delete: keys.link(ctx.userId, parentType, parentId, childType, childId),
    };
    for (let attempt = 1; ; attempt++) {
      const child = await ctx.db.get(childKey);
      const ops: TransactOp[] = child
        ? [
            {
              update: childKey,
              spec: {
                set: {
                  [LINK_ARRAY[parentType]]: linkedIds(child, parentType).filter(
                    (id) => id !== parentId,
                  ),
                  updatedAt: nowInstant(ctx.clock),
                },
                add: { version: 1 },
                condition: sameVersion(child),
              },
            },
            unlink,
          ]
        : [unlink];
      try {
        await ctx.db.transactWrite(ops);
        break;
      } catch (err) {
        if (!(err instanceof TransactionCanceledError)) throw err;
        if (attempt >= MAX_DETACH_ATTEMPTS) {
          throw new ConflictError(
            `${ENTITY_NAMES[childType]} ${childId} keeps changing; try again`,
          );
        }
      }
    }
  }
}
