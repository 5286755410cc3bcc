/**
 * The import's report: per collection, how many records were created, updated, left unchanged
 * or failed, and every problem with its collection, id and reason — nothing is dropped silently.
 */
import type {
  ImportCountsT,
  ImportProblemT,
  ImportResultT,
  ImportWalletT,
} from '../../api/schemas/data.js';

/** What happened to one record. */
export type Outcome = keyof ImportCountsT;

const zero = (): ImportCountsT => ({ created: 0, updated: 0, unchanged: 0, failed: 0 });

/** Collects the counts and problems while an import runs. */
export class ImportReport {
  private readonly counts = new Map<string, ImportCountsT>();
  private readonly problems: ImportProblemT[] = [];

  /** Counts `n` records of `collection` with `outcome`. */
  count(collection: string, outcome: Outcome, n = 1): void {
    const counts = this.counts.get(collection) ?? zero();
    counts[outcome] += n;
    this.counts.set(collection, counts);
  }

  /** A record of `collection` that could not be imported, and why (counted as failed). */
  fail(collection: string, id: string | null, reason: string): void {
    this.count(collection, 'failed');
    this.problems.push({ collection, id, level: 'error', reason });
  }

  /** A record of `collection` imported with a change, or a note about the collection. */
  warn(collection: string, id: string | null, reason: string): void {
    this.problems.push({ collection, id, level: 'warning', reason });
  }

  /** The report as the API returns it. */
  result(wallet: ImportWalletT, ignoredKeys: string[]): ImportResultT {
    const collections = Object.fromEntries([...this.counts].sort(([a], [b]) => a.localeCompare(b)));
    const totals = zero();
    for (const counts of this.counts.values()) {
      for (const outcome of Object.keys(totals) as Outcome[]) totals[outcome] += counts[outcome];
    }
    return { collections, totals, wallet, problems: this.problems, ignoredKeys };
  }
}
