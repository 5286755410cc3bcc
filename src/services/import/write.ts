/**
 * How the import writes: each record becomes a *group* of operations that must land together
 * (an entity with its new link items, a logbook entry with its date guard, a dependency with its
 * mirror), and groups are packed into transactions of at most 100 operations — so a dump of
 * thousands of records takes a few dozen transactions, not one request per record or field.
 * Creations are conditioned on the item not existing and updates on the version read, so a
 * write of the API that lands meanwhile is never overwritten: the transaction is cancelled, its
 * groups are retried one by one, and a group that still fails is reported, not dropped.
 */
import { isDeepStrictEqual } from 'node:util';
import { stripUndefined } from '../../db/conditions.js';
import {
  ConditionFailedError,
  InvalidRequestError,
  ItemTooLargeError,
  MAX_TRANSACT_ITEMS,
  TransactionCanceledError,
  type Item,
  type Key,
  type Table,
  type TransactOp,
} from '../../db/table.js';
import type { ImportReport } from './report.js';

/** A record a group writes, counted with its outcome once the group is stored. */
export interface GroupRecord {
  collection: string;
  id: string | null;
  outcome: 'created' | 'updated';
}

/** Operations that must land together, and the records they write. */
export interface WriteGroup {
  ops: TransactOp[];
  records: GroupRecord[];
  /** Entity items the group writes (the import remembers them once stored). */
  items?: Item[];
  /** Entities (`{TYPE}:{id}`) whose derived state the group changes once stored. */
  touches?: string[];
}

/** Options of {@link writeGroups}. */
export interface WriteOptions<G extends WriteGroup> {
  /**
   * Operations every transaction adds for the groups it holds (e.g. the wallet balance moved by
   * the ledger entries of those groups); at most `reserve` of them.
   */
  perTransaction?: (groups: G[]) => TransactOp[];
  reserve?: number;
  /** Called after each transaction with the number of groups it stored. */
  progress?: (groups: number) => void;
}

/** Why a group could not be written, for the report. */
function failure(err: unknown): string | null {
  if (err instanceof TransactionCanceledError || err instanceof ConditionFailedError) {
    return 'changed on the server while it was being imported; run the import again';
  }
  if (err instanceof ItemTooLargeError) return 'too large to store (over 400 KB)';
  if (err instanceof InvalidRequestError) return `refused by the store: ${err.message}`;
  return null;
}

/**
 * Writes `groups` in transactions of at most 100 operations (several groups each) and counts
 * their records in `report`. A transaction that fails is retried group by group; a group that
 * still fails is reported as failed with the reason. Other errors propagate.
 * @returns the groups that were stored.
 */
export async function writeGroups<G extends WriteGroup>(
  db: Table,
  groups: G[],
  report: ImportReport,
  options: WriteOptions<G> = {},
): Promise<G[]> {
  const room = MAX_TRANSACT_ITEMS - (options.reserve ?? 0);
  const extra = options.perTransaction ?? (() => []);
  const stored: G[] = [];
  const commit = async (chunk: G[]) => {
    await db.transactWrite([...chunk.flatMap((g) => g.ops), ...extra(chunk)]);
    for (const group of chunk) {
      for (const r of group.records) report.count(r.collection, r.outcome);
    }
    stored.push(...chunk);
    options.progress?.(chunk.length);
  };
  let chunk: G[] = [];
  let size = 0;
  const flush = async () => {
    if (chunk.length === 0) return;
    const pending = chunk;
    chunk = [];
    size = 0;
    try {
      await commit(pending);
    } catch (err) {
      if (failure(err) === null) throw err;
      for (const group of pending) {
        try {
          await commit([group]);
        } catch (single) {
          const reason = failure(single);
          if (reason === null) throw single;
          for (const r of group.records) report.fail(r.collection, r.id, reason);
          options.progress?.(1);
        }
      }
    }
  };
  for (const group of groups) {
    if (group.ops.length > room) {
      for (const r of group.records) {
        report.fail(r.collection, r.id, `needs ${group.ops.length} writes in one transaction`);
      }
      continue;
    }
    if (size + group.ops.length > room) await flush();
    chunk.push(group);
    size += group.ops.length;
  }
  await flush();
  return stored;
}

/**
 * Whether the stored item already holds `fields` (compared as JSON, as the store keeps them:
 * undefined fields are absent, and a missing field equals null).
 */
export function holds(stored: Record<string, unknown>, fields: Record<string, unknown>): boolean {
  const wanted = stripUndefined(fields);
  return Object.entries(wanted).every(([name, value]) =>
    isDeepStrictEqual(stored[name] ?? null, value ?? null),
  );
}

/** An item's key as one string, `pk|sk`. */
export const keyOf = (key: Key): string => `${key.pk}|${key.sk}`;

/** The stored items among `wanted`, by {@link keyOf} (one batch read). */
export async function storedByKey(db: Table, wanted: Key[]): Promise<Map<string, Item>> {
  const items = await db.batchGet(wanted.map(({ pk, sk }) => ({ pk, sk })));
  return new Map(items.map((item) => [keyOf(item), item]));
}
