/**
 * `POST /import/local-storage` and `npm run cli -- import-localstorage`: a person's browser data
 * (or an export of this API) into their account.
 *
 * Steps: read the dump (`parse.ts`); apply its preferences first (`settings.ts`: their time zone
 * dates the dump's date-only timestamps); map every record with its domain's schema and builder
 * (`entities.ts`, `children.ts`, `wallet.ts`); resolve relations — the union of relation maps
 * and embedded arrays, the goal hierarchy, dependencies, logbook links (`relations.ts`); compare
 * each record with the stored copy and write what is new or changed in packed transactions
 * (`write.ts`); then recompute the derived state: each touched metric's log summary and the
 * progress of every goal whose inputs changed (habit streaks are computed on read).
 *
 * Rules:
 * - ids are kept, so links survive; the owner is the importing user;
 * - a record that cannot be imported is reported (collection, id, reason) and the rest import;
 * - idempotent: a record equal to its stored copy is left alone, so a second run writes nothing
 *   and reports nothing created;
 * - a stored copy changed on the server after the dump was taken (a later `updatedAt`) is kept;
 * - additive: nothing stored is deleted, links are only added;
 * - completed tasks never pay (see `entities.ts`); the wallet comes from the dump's ledger and
 *   balance (see `wallet.ts`).
 */
import type { UserCtx } from '../../api/deps.js';
import type { ImportResultT } from '../../api/schemas/data.js';
import { keys, type EntityType } from '../../db/keys.js';
import { entityItem, fromItem, type EntityBase } from '../../db/models.js';
import { ENTITY_NAMES, listEntities, sameVersion } from '../../db/queries.js';
import { cond, type Item, type TransactOp } from '../../db/table.js';
import { nowInstant } from '../../utils/dates.js';
import { refreshGoalProgress } from '../goal-progress.js';
import { LINK_ARRAY, linkItem, linkedIds, type ParentType } from '../links.js';
import { dateGuard, ownGuard } from '../logbook.js';
import { recomputeMetricSummary } from '../metrics/logs.js';
import { refreshLastRedeemedAt } from '../rewards/redemptions.js';
import { timeZoneOf } from '../profile.js';
import { getBalance } from '../wallet.js';
import { CHILD_COLLECTIONS, childWrites, mapChildren } from './children.js';
import { mapEntities, type EntityCollection, type MappedEntity } from './entities.js';
import { ENTITY_COLLECTIONS, readDump } from './parse.js';
import {
  dependencyWrites,
  fieldOf,
  linkId,
  logbookLinkWrites,
  resolveHierarchy,
  resolveLinks,
  type AcceptedLink,
  type Known,
} from './relations.js';
import { ImportReport } from './report.js';
import { importFeatureConfigs, importPreferences } from './settings.js';
import { balanceOp, mapTransactions, taskRewardsOf, walletWrites } from './wallet.js';
import { holds, writeGroups, type WriteGroup } from './write.js';

/** How far an import is: `done` of `total` steps (write groups and derived-state updates). */
export type ImportProgress = (done: number, total: number) => void;

/** Parent types whose ids an entity of `type` embeds (§e.6). */
const EMBEDS: Partial<Record<EntityType, ParentType[]>> = {
  TASK: ['GOAL', 'PROJECT'],
  PROJECT: ['GOAL'],
  METRIC: ['GOAL'],
  HABIT: ['GOAL'],
};

/** Everything one import run shares. */
interface Run {
  ctx: UserCtx;
  report: ImportReport;
  timeZone: string;
  now: string;
  /** The user's stored entities, by type and id. */
  stored: Map<EntityType, Map<string, Item>>;
  /** The item of each entity after the writes (written or stored), by `{TYPE}:{id}`. */
  items: Map<string, Item>;
  /**
   * Entities whose derived state or goals need refreshing after the writes, by `{TYPE}:{id}`:
   * those written now, the parents of children written now, goals that gained a link.
   */
  touched: Set<string>;
  progress: { done: number; total: number; notify?: ImportProgress | undefined };
}

const ref = (type: string, id: string) => `${type}:${id}`;
const unref = (key: string) => key.split(/:(.*)/s) as [EntityType, string];

/**
 * Imports `dump` (an object of `gs_*` keys, values parsed or raw JSON strings, or an export of
 * this API) into the account of `ctx.userId`, calling `onProgress` as it writes.
 * @returns the report: counts per collection, the wallet, every problem and the ignored keys.
 */
export async function importLocalStorage(
  ctx: UserCtx,
  dump: Record<string, unknown>,
  onProgress?: ImportProgress,
): Promise<ImportResultT> {
  const report = new ImportReport();
  const { collections, ignored } = readDump(dump, report);
  await importPreferences(ctx, collections.get('preferences'), report);
  await importFeatureConfigs(ctx, collections.get('featureConfigs'), report);
  const run: Run = {
    ctx,
    report,
    timeZone: await timeZoneOf(ctx),
    now: nowInstant(ctx.clock),
    stored: new Map(),
    items: new Map(),
    touched: new Set(),
    progress: { done: 0, total: 0, notify: onProgress },
  };
  for (const { type } of Object.values(ENTITY_COLLECTIONS)) {
    const items = await listEntities(ctx.db, ctx.userId, type);
    run.stored.set(type, new Map(items.map((i) => [String(i.id), i])));
    for (const item of items) run.items.set(ref(type, String(item.id)), item);
  }
  const { key: txKey = 'gs_wallet_transactions' } = collections.get('walletTransactions') ?? {};
  const transactions = mapTransactions(
    collections.get('walletTransactions'),
    ctx.userId,
    run.timeZone,
    run.now,
    report,
  );

  // Map the entities, then what points at them.
  const taskRewards = taskRewardsOf(transactions);
  const mapped: MappedEntity[] = [];
  const known: Known = { ids: new Map(), failed: new Map() };
  for (const [name, { type }] of Object.entries(ENTITY_COLLECTIONS)) {
    const collection = collections.get(name as EntityCollection);
    const result = collection
      ? mapEntities(name as EntityCollection, collection.key, collection.records, {
          ...run,
          userId: ctx.userId,
          taskRewards,
        })
      : { mapped: [], failed: [] };
    mapped.push(...result.mapped);
    const ids = [...(run.stored.get(type)?.keys() ?? []), ...result.mapped.map((m) => m.id)];
    known.ids.set(type, new Set(ids));
    known.failed.set(type, new Set(result.failed));
  }
  const goals = mapped.filter((m) => m.type === 'GOAL');
  resolveHierarchy(goals, run.stored.get('GOAL') ?? new Map(), known, report);
  const links = resolveLinks(collections, mapped, known, run.stored, run.timeZone, report);
  const children = CHILD_COLLECTIONS.flatMap((name) => {
    const collection = collections.get(name);
    const c = { ctx, timeZone: run.timeZone, now: run.now, known, report };
    return collection ? mapChildren(name, collection, c) : [];
  });

  // Plan every write against the stored copies, then write, then refresh what is derived.
  const batches: WriteGroup[][] = [
    entityWrites(run, mapped, links),
    await dependencyWrites(
      ctx,
      collections.get('taskDependencies'),
      known,
      run.stored.get('TASK') ?? new Map(),
      run.timeZone,
      run.now,
      report,
    ),
    await logbookLinkWrites(ctx, collections, known, run.timeZone, run.now, report),
    await childWrites(ctx, run.stored, children, report),
  ];
  const wallet = await walletWrites(
    ctx,
    collections.get('walletBalance'),
    txKey,
    transactions,
    run.now,
    report,
  );
  run.progress.total = [...batches, wallet.groups].reduce((n, b) => n + b.length, 0);
  const progress = (n: number) => advance(run, n);
  for (const batch of batches) {
    for (const group of await writeGroups(ctx.db, batch, report, { progress })) {
      for (const item of group.items ?? []) {
        run.items.set(ref(String(item.entityType), String(item.id)), item);
      }
      for (const touched of group.touches ?? []) run.touched.add(touched);
    }
  }
  await writeGroups(ctx.db, wallet.groups, report, {
    reserve: 1,
    progress,
    perTransaction: (chunk) => [
      balanceOp(
        ctx.userId,
        run.now,
        chunk.flatMap((g) => wallet.entries.get(g) ?? []),
      ),
    ],
  });
  await refreshDerived(run);

  const { totalPoints, lifetimeEarned, lifetimeSpent } = await getBalance(ctx);
  const fromDump = collections.has('walletBalance') || collections.has('walletTransactions');
  return report.result(
    {
      source: fromDump ? 'dump' : 'none',
      detail: wallet.detail,
      totalPoints,
      lifetimeEarned,
      lifetimeSpent,
    },
    ignored,
  );
}

/** Counts `n` steps done and tells the caller. */
function advance(run: Run, n: number): void {
  run.progress.done += n;
  run.progress.notify?.(run.progress.done, Math.max(run.progress.total, run.progress.done));
}

// ---- entities and their links -------------------------------------------------------------------

/** The link item of an accepted link, dated by its relation record or else its child. */
function linkItemOf(run: Run, link: AcceptedLink, childCreatedAt: string): Item {
  const { relation, parentId, childId } = link;
  return {
    ...linkItem(run.ctx, relation.parent, parentId, relation.child, childId),
    createdAt: link.createdAt ?? childCreatedAt,
  };
}

/**
 * The writes of the entities: each new one, or each one whose stored copy differs (unless that
 * copy is newer), with the link items its new links need; and the new links of stored entities
 * the dump does not carry. Unchanged records and links are counted here.
 */
function entityWrites(
  run: Run,
  mapped: MappedEntity[],
  links: Map<string, AcceptedLink[]>,
): WriteGroup[] {
  const { report } = run;
  const guards = logbookGuards(run);
  const groups: WriteGroup[] = [];
  const byRef = new Map(mapped.map((m) => [ref(m.type, m.id), m]));
  for (const key of new Set([...byRef.keys(), ...links.keys()])) {
    const m = byRef.get(key);
    const [type, id] = unref(key);
    const stored = run.stored.get(type)?.get(id);
    const { arrays, added } = embeddedLinks(run, type, stored, links.get(key) ?? []);
    const linkRecords = added.map((l) => ({
      collection: l.relation.key,
      id: linkId(l.childId, l.parentId),
      outcome: 'created' as const,
    }));
    const refuseLinks = (reason: string) => {
      for (const r of linkRecords) report.fail(r.collection, r.id, reason);
    };
    const createdAt = String(m?.entity.createdAt ?? stored?.createdAt);
    const linkOps = added.map((l) => ({ put: linkItemOf(run, l, createdAt) }));
    const touches = [
      key,
      ...added.filter((l) => l.relation.parent === 'GOAL').map((l) => ref('GOAL', l.parentId)),
    ];
    if (!m) {
      // New links of a stored entity the dump does not carry.
      if (!stored || added.length === 0) continue;
      const item = itemOf(
        type,
        { ...fromItem(stored), ...arrays },
        Number(stored.version ?? 0) + 1,
      );
      groups.push({
        ops: [{ put: item, condition: sameVersion(stored) }, ...linkOps],
        records: linkRecords,
        items: [item],
        touches,
      });
      continue;
    }
    const owned = Object.fromEntries(
      Object.entries({ ...m.entity, ...arrays }).filter(([k]) => !(stored && m.keep.includes(k))),
    );
    if (stored && holds(stored, owned)) {
      report.count(m.collection, 'unchanged');
      continue;
    }
    if (stored && String(stored.updatedAt) > String(m.entity.updatedAt)) {
      report.count(m.collection, 'unchanged');
      report.warn(
        m.collection,
        m.id,
        `changed on the server (${String(stored.updatedAt)}) after this dump; the server's copy was kept`,
      );
      refuseLinks(
        `${ENTITY_NAMES[type]} ${m.id} changed on the server after this dump; link not added`,
      );
      continue;
    }
    const guardOps = type === 'LOGBOOK' ? guards(m, stored) : [];
    if (guardOps === null) {
      refuseLinks('the logbook entry was not imported');
      continue;
    }
    const item = stored
      ? itemOf(type, { ...fromItem(stored), ...owned }, Number(stored.version ?? 0) + 1)
      : itemOf(type, { ...m.entity, ...arrays }, 1);
    groups.push({
      ops: [
        { put: item, condition: stored ? sameVersion(stored) : cond.notExists('pk') },
        ...guardOps,
        ...linkOps,
      ],
      records: [
        { collection: m.collection, id: m.id, outcome: stored ? 'updated' : 'created' },
        ...linkRecords,
      ],
      items: [item],
      touches,
    });
  }
  return groups;
}

/** The item of an entity of `type` at `version` (`entityItem`, as every domain maps its own). */
function itemOf(type: EntityType, entity: Record<string, unknown>, version: number): Item {
  return entityItem(type, entity as unknown as EntityBase, version);
}

/**
 * The embedded arrays of an entity after its accepted links are added to the stored ones
 * (stored first, then the dump's, in its order), and the links that are new. Links already
 * stored are counted as unchanged.
 */
function embeddedLinks(
  run: Run,
  type: EntityType,
  stored: Item | undefined,
  accepted: AcceptedLink[],
): { arrays: Record<string, string[]>; added: AcceptedLink[] } {
  const arrays: Record<string, string[]> = {};
  const added: AcceptedLink[] = [];
  for (const parentType of EMBEDS[type] ?? []) {
    const field = LINK_ARRAY[parentType];
    const before = stored ? linkedIds(stored, parentType) : [];
    for (const link of accepted.filter((l) => fieldOf(l.relation) === field)) {
      if (before.includes(link.parentId)) run.report.count(link.relation.key, 'unchanged');
      else added.push(link);
    }
    arrays[field] = [
      ...before,
      ...added.filter((l) => fieldOf(l.relation) === field).map((l) => l.parentId),
    ];
  }
  return { arrays, added };
}

/**
 * The date guards of logbook entries (one entry per local date, §e.15): returns the guard
 * operations an entry's write needs, or null (reported) when its date belongs to another entry,
 * stored or earlier in the dump.
 */
function logbookGuards(run: Run) {
  const taken = new Map<string, string>();
  for (const entry of run.stored.get('LOGBOOK')?.values() ?? []) {
    taken.set(String(entry.date), String(entry.id));
  }
  return (m: MappedEntity, stored: Item | undefined): TransactOp[] | null => {
    const date = String(m.entity.date);
    const holder = taken.get(date);
    if (holder !== undefined && holder !== m.id) {
      run.report.fail(
        m.collection,
        m.id,
        `a logbook entry for ${date} already exists (${holder}); one entry per date`,
      );
      return null;
    }
    taken.set(date, m.id);
    const before = stored ? String(stored.date) : null;
    if (before === date) return [];
    if (before) taken.delete(before);
    return [
      { put: dateGuard(run.ctx, date, m.id), condition: cond.notExists('pk') },
      ...(before
        ? [{ delete: keys.logbookDate(run.ctx.userId, before), condition: ownGuard(m.id) }]
        : []),
    ];
  };
}

// ---- derived state ------------------------------------------------------------------------------

/**
 * Recomputes what depends on the records written: the log summary of each metric whose entity,
 * logs or milestones were written (`recomputeMetricSummary`), each reward's `lastRedeemedAt`
 * after its redemptions were written, then the progress of each goal
 * that was written or gained a link, or is linked to a task, metric or habit that was written or
 * got new logs (`refreshGoalProgress`, §e.7). Nothing was written: nothing is refreshed.
 */
async function refreshDerived(run: Run): Promise<void> {
  const goals = new Set<string>();
  const touched = [...run.touched].map(unref);
  run.progress.total += touched.filter(([type]) => type === 'METRIC').length;
  for (const [type, id] of touched) {
    if (type === 'GOAL') goals.add(id);
    if (type === 'METRIC') {
      await recomputeMetricSummary(run.ctx, id);
      advance(run, 1);
    }
    if (type === 'REWARD') await refreshLastRedeemedAt(run.ctx, id);
    if (type === 'METRIC' || type === 'TASK' || type === 'HABIT') {
      const item = run.items.get(ref(type, id));
      for (const goal of item ? linkedIds(item, 'GOAL') : []) goals.add(goal);
    }
  }
  run.progress.total += goals.size;
  for (const goal of goals) {
    await refreshGoalProgress(run.ctx, [goal]);
    advance(run, 1);
  }
}
