/**
 * The daily logbook (API_CONTRACT.md §b.7 L1–L8, §c.2 LogbookEntry, rule §e.15).
 *
 * One entry per local calendar date per user: beside each entry a guard item
 * `LOGBOOKDATE#{date}` (holding the entry's id) is written in the same transaction with a
 * "does not exist" condition, so a second entry for a date fails with 409 `CONFLICT` even when
 * two requests race; changing an entry's date moves its guard in the same transaction. The
 * guards, sorted by date, also serve date-range listing and `GET /logbook/{date}`.
 *
 * Links (L6–L8) live in the entry's child partition (`LINK#{type}#{entityId}`); linking needs
 * the target to be the user's own entity (404 otherwise).
 */
import type { UserCtx } from '../api/deps.js';
import type {
  LogbookEntryCreateInput,
  LogbookEntryT,
  LogbookEntryUpdateInput,
  LogbookLinkCreateInput,
  LogbookLinkT,
  LogbookListQueryT,
} from '../api/schemas/logbook.js';
import { ConflictError, NotFoundError } from '../core/errors.js';
import { childPk, keys, userPk, type EntityType } from '../db/keys.js';
import { entityItem, fromItem, type EntityBase } from '../db/models.js';
import { ENTITY_NAMES, getEntities, getEntity, sameVersion } from '../db/queries.js';
import {
  TransactionCanceledError,
  cond,
  queryAll,
  type Item,
  type TransactOp,
} from '../db/table.js';
import { nowInstant } from '../utils/dates.js';
import { newId } from '../utils/ids.js';
import { paginate, type PageSlice } from '../utils/paging.js';
import { deleteVersioned } from './entity-writes.js';

/** What `GET /logbook/{idOrDate}` reads as a date (so no entry id may look like it). */
export const DATE_SHAPED = /^\d{4}-\d{2}-\d{2}$/;
const MAX_ATTEMPTS = 5;

/** The stored type of each linkable `entityType` of the wire (§c.1 LinkEntityType). */
export const LINKED_TYPE: Record<LogbookLinkT['entityType'], EntityType> = {
  task: 'TASK',
  project: 'PROJECT',
  goal: 'GOAL',
  metric: 'METRIC',
  habit: 'HABIT',
  logbook: 'LOGBOOK',
};

/** The API shape of a stored entry; `energy` repeats `energyLevel` (§f #9). */
export function toEntry(item: Item): LogbookEntryT {
  const e = fromItem<Record<string, unknown>>(item);
  const energyLevel = (e.energyLevel as number | null | undefined) ?? null;
  return {
    id: String(e.id),
    date: String(e.date),
    title: (e.title as string | null | undefined) ?? null,
    notes: (e.notes as string | null | undefined) ?? null,
    mood: (e.mood as string | null | undefined) ?? null,
    energyLevel,
    energy: energyLevel,
    userId: String(e.userId),
    createdAt: String(e.createdAt),
    updatedAt: String(e.updatedAt),
  };
}

/** The guard item that reserves `date` for entry `entryId`. */
export function dateGuard(ctx: UserCtx, date: string, entryId: string): Item {
  return {
    ...keys.logbookDate(ctx.userId, date),
    entityType: 'LOGBOOK_DATE',
    userId: ctx.userId,
    date,
    entryId,
    createdAt: nowInstant(ctx.clock),
  };
}

const dateTaken = (date: string) =>
  new ConflictError(`A logbook entry for ${date} already exists`, { date });

/** The item of an entry at `version` (no GSI: entries are found through their date guards). */
function entryItem(entry: Record<string, unknown>, version: number): Item {
  return entityItem('LOGBOOK', entry as LogbookEntryT, version);
}

// ---- entries --------------------------------------------------------------------------------

/**
 * Entries whose date lies in `[startDate, endDate]` (both optional, inclusive), newest date
 * first, paged per §a.3: one range query of the date guards, one batch read of the page.
 */
export async function listEntries(
  ctx: UserCtx,
  query: LogbookListQueryT,
): Promise<PageSlice<LogbookEntryT>> {
  const guards = await queryAll(ctx.db, {
    pk: userPk(ctx.userId),
    sk: {
      between: [
        keys.logbookDate(ctx.userId, query.startDate ?? '0000-00-00').sk,
        keys.logbookDate(ctx.userId, query.endDate ?? '9999-99-99').sk,
      ],
    },
    forward: false,
  });
  const slice = paginate(guards, query);
  const ids = slice.items.map((guard) => String(guard.entryId));
  const entries = await getEntities(ctx.db, ctx.userId, 'LOGBOOK', ids);
  return { ...slice, items: entries.map(toEntry) };
}

/** `GET /logbook/{idOrDate}`: by id, or by local date when it looks like `YYYY-MM-DD`. @throws NotFoundError */
export async function getEntry(ctx: UserCtx, idOrDate: string): Promise<LogbookEntryT> {
  let id = idOrDate;
  if (DATE_SHAPED.test(idOrDate)) {
    const guard = await ctx.db.get(keys.logbookDate(ctx.userId, idOrDate));
    if (!guard) throw new NotFoundError('Logbook entry for', idOrDate);
    id = String(guard.entryId);
  }
  return toEntry(await getEntity(ctx.db, ctx.userId, 'LOGBOOK', id));
}

/** A new entry entity from create input; `base` gives its id, owner and instants. */
export function newEntry(input: LogbookEntryCreateInput, base: EntityBase) {
  return {
    ...base,
    date: input.date,
    title: input.title ?? null,
    notes: input.notes ?? null,
    mood: input.mood ?? null,
    energyLevel: input.energyLevel ?? null,
  };
}

/** Creates the entry of a date. @throws ConflictError (409) when the date already has one */
export async function createEntry(
  ctx: UserCtx,
  input: LogbookEntryCreateInput,
): Promise<LogbookEntryT> {
  const now = nowInstant(ctx.clock);
  const entry = newEntry(input, {
    id: newId(),
    userId: ctx.userId,
    createdAt: now,
    updatedAt: now,
  });
  const item = entryItem(entry, 1);
  try {
    await ctx.db.transactWrite([
      { put: item, condition: cond.notExists('pk') },
      { put: dateGuard(ctx, entry.date, entry.id), condition: cond.notExists('pk') },
    ]);
  } catch (err) {
    if (err instanceof TransactionCanceledError && err.failedAt(1)) throw dateTaken(entry.date);
    throw err;
  }
  return toEntry(item);
}

/**
 * Applies a partial update (`null` clears). A new `date` moves the guard in the same
 * transaction. Retries when the entry changed in between.
 * @throws NotFoundError; ConflictError when the new date already has an entry
 */
export async function updateEntry(
  ctx: UserCtx,
  id: string,
  patch: LogbookEntryUpdateInput,
): Promise<LogbookEntryT> {
  const changes = Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined));
  for (let attempt = 1; ; attempt++) {
    const current = await getEntity(ctx.db, ctx.userId, 'LOGBOOK', id);
    const next: Record<string, unknown> = {
      ...fromItem<Record<string, unknown>>(current),
      ...changes,
      updatedAt: nowInstant(ctx.clock),
    };
    const item = entryItem(next, Number(current.version ?? 0) + 1);
    const ops: TransactOp[] = [{ put: item, condition: sameVersion(current) }];
    const [before, after] = [String(current.date), String(next.date)];
    if (after !== before) {
      ops.push(
        { put: dateGuard(ctx, after, id), condition: cond.notExists('pk') },
        { delete: keys.logbookDate(ctx.userId, before), condition: ownGuard(id) },
      );
    }
    try {
      await ctx.db.transactWrite(ops);
      return toEntry(item);
    } catch (err) {
      if (!(err instanceof TransactionCanceledError)) throw err;
      if (err.failedAt(1)) throw dateTaken(after);
      if (attempt >= MAX_ATTEMPTS) {
        throw new ConflictError('The entry changed while it was being saved; try again');
      }
    }
  }
}

/** The guard of a date is absent or belongs to entry `id`. */
export const ownGuard = (id: string) => cond.or(cond.notExists('pk'), cond.eq('entryId', id));

/**
 * Deletes an entry with its date guard and its links. The entry and its guard go in the first
 * transaction, conditioned on the version read (re-read when the entry changed meanwhile; one
 * deleted meanwhile is a 404); an entry with more than 98 links continues in batches.
 * @throws NotFoundError
 */
export async function deleteEntry(ctx: UserCtx, id: string): Promise<void> {
  await deleteVersioned(ctx, 'LOGBOOK', id, async (entry) => {
    const links = await queryAll(ctx.db, { pk: childPk(ctx.userId, 'LOGBOOK', id) });
    return [
      { delete: keys.entity(ctx.userId, 'LOGBOOK', id), condition: sameVersion(entry) },
      { delete: keys.logbookDate(ctx.userId, String(entry.date)), condition: ownGuard(id) },
      ...links.map((link): TransactOp => ({ delete: { pk: link.pk, sk: link.sk } })),
    ];
  });
}

// ---- links ----------------------------------------------------------------------------------

/** The item of a link from entry `entryId` to `link`'s entity, made at instant `createdAt`. */
export function logbookLinkItem(
  userId: string,
  entryId: string,
  link: LogbookLinkT,
  createdAt: string,
): Item {
  return {
    ...keys.logbookLink(userId, entryId, link.entityType, link.entityId),
    entityType: 'LOGBOOK_LINK',
    userId,
    entryId,
    linkedType: link.entityType,
    linkedId: link.entityId,
    createdAt,
  };
}

/** The link items of an entry, after checking the entry is the user's. @throws NotFoundError */
async function linkItems(ctx: UserCtx, entryId: string): Promise<Item[]> {
  await getEntity(ctx.db, ctx.userId, 'LOGBOOK', entryId);
  return queryAll(ctx.db, {
    pk: childPk(ctx.userId, 'LOGBOOK', entryId),
    sk: { beginsWith: keys.logbookLinkPrefix },
  });
}

/**
 * `GET /logbook/{id}/links`: the entities the entry links to, by type then id. Links whose
 * entity has since been deleted are left out (one batch read per linked type).
 * @throws NotFoundError
 */
export async function listLinks(ctx: UserCtx, entryId: string): Promise<PageSlice<LogbookLinkT>> {
  const links = (await linkItems(ctx, entryId)).map(
    (item): LogbookLinkT => ({
      entityType: item.linkedType as LogbookLinkT['entityType'],
      entityId: String(item.linkedId),
    }),
  );
  const alive = new Set<string>();
  for (const [type, stored] of Object.entries(LINKED_TYPE)) {
    const ids = links.filter((l) => l.entityType === type).map((l) => l.entityId);
    const found = await getEntities(ctx.db, ctx.userId, stored, ids);
    for (const item of found) alive.add(`${type}#${String(item.id)}`);
  }
  return paginate(links.filter((l) => alive.has(`${l.entityType}#${l.entityId}`)));
}

/**
 * `POST /logbook/{id}/links`: links the entry to one of the user's entities (idempotent).
 * @throws NotFoundError when the entry or the entity is not the user's; ConflictError when an
 *   entry would link to itself
 */
export async function addLink(
  ctx: UserCtx,
  entryId: string,
  input: LogbookLinkCreateInput,
): Promise<void> {
  const stored = LINKED_TYPE[input.entityType];
  await getEntity(ctx.db, ctx.userId, 'LOGBOOK', entryId);
  if (stored === 'LOGBOOK' && input.entityId === entryId) {
    throw new ConflictError('A logbook entry cannot link to itself', { entityId: entryId });
  }
  await getEntity(ctx.db, ctx.userId, stored, input.entityId);
  try {
    await ctx.db.transactWrite([
      {
        put: logbookLinkItem(ctx.userId, entryId, input, nowInstant(ctx.clock)),
      },
      { check: keys.entity(ctx.userId, 'LOGBOOK', entryId), condition: cond.exists('pk') },
      { check: keys.entity(ctx.userId, stored, input.entityId), condition: cond.exists('pk') },
    ]);
  } catch (err) {
    // Deleted between the reads and the write.
    if (err instanceof TransactionCanceledError && err.failedAt(1))
      throw new NotFoundError('Logbook entry', entryId);
    if (err instanceof TransactionCanceledError && err.failedAt(2))
      throw new NotFoundError(ENTITY_NAMES[stored], input.entityId);
    throw err;
  }
}

/**
 * `DELETE /logbook/{id}/links/{entityId}`: removes the entry's link(s) to the entity with that
 * id, whatever its type (the client passes only the id, §f i20).
 * @throws NotFoundError when the entry is not the user's or has no such link
 */
export async function removeLink(ctx: UserCtx, entryId: string, entityId: string): Promise<void> {
  const links = (await linkItems(ctx, entryId)).filter((link) => link.linkedId === entityId);
  if (links.length === 0) throw new NotFoundError('Link to', entityId);
  await ctx.db.transactWrite(links.map((link) => ({ delete: { pk: link.pk, sk: link.sk } })));
}
