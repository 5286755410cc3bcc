/**
 * The dump's wallet: its ledger entries, the balance its wallet record holds, the opening
 * balance that reconciles the two, and what the ledger says each task's completion paid.
 *
 * The front end's local mode keeps a balance record (`gs_wallet_balance`, keyed by user id:
 * `{totalPoints, lifetimeEarned, lifetimeSpent}`) and its transactions (`gs_wallet_transactions`,
 * spends with a *negative* amount; refunds and adjustments added to `totalPoints` but not to
 * `lifetimeEarned`). This API's ledger keeps amounts positive with the sign in `type`, and its
 * balance is the ledger's running sum (`services/wallet.ts`): credits add to `lifetimeEarned`,
 * debits to `lifetimeSpent`, `totalPoints = lifetimeEarned − lifetimeSpent`.
 *
 * So every transaction of the dump is imported as a ledger entry with its id (negative amounts
 * made positive; a negative adjustment becomes a `spend`), and when the dump's balance record
 * says more than those entries add up to, **opening-balance entries** make up the difference
 * ({@link openingBalance}): a credit (`adjustment`, source `system`) and/or a debit (`spend`,
 * source `system`), with fixed ids — so `wallet-audit` stays clean and a second import finds them
 * and writes nothing. The balance item moves by exactly the entries written, in the same
 * transactions.
 */
import type { UserCtx } from '../../api/deps.js';
import {
  MAX_CREDIT,
  WalletTransaction,
  type WalletTransactionT,
} from '../../api/schemas/wallet.js';
import { keys, userPk } from '../../db/keys.js';
import { cond, queryAll, type TransactOp } from '../../db/table.js';
import { balanceDelta, ledgerItem, type BalanceTotals } from '../wallet.js';
import type { TaskReward } from './entities.js';
import { instantOf, issuesText, validId, type RawCollection } from './parse.js';
import type { ImportReport } from './report.js';
import { holds, type WriteGroup } from './write.js';

/**
 * Largest balance counter (points) a dump's balance record may hold: far above any real wallet
 * and far below the safe integers (2^53), so the counters and the sums of later imports stay
 * exact. Each ledger entry is at most `MAX_CREDIT` points, like every entry the API writes (a
 * credit, a task's `pointValue`, a reward's `pointCost`).
 */
export const MAX_BALANCE_POINTS = 1_000_000_000_000;

/** Ids of the opening-balance entries. */
export const OPENING_IDS = { credit: 'import-opening-credit', debit: 'import-opening-debit' };

/** The counters a set of entries adds up to (§e.13 arithmetic of `balanceDelta`). */
export function totalsOf(entries: Pick<WalletTransactionT, 'type' | 'amount'>[]): BalanceTotals {
  const totals: BalanceTotals = { totalPoints: 0, lifetimeEarned: 0, lifetimeSpent: 0 };
  for (const entry of entries) {
    const delta = balanceDelta(entry.type, entry.amount);
    totals.totalPoints += delta.totalPoints;
    totals.lifetimeEarned += delta.lifetimeEarned;
    totals.lifetimeSpent += delta.lifetimeSpent;
  }
  return totals;
}

/**
 * The opening-balance entries' amounts (points, ≥ 0) that take a ledger summing to `ledger` to
 * the `target` balance: the earned and spent counters are met where the ledger falls short of
 * them, then the total is settled by whichever side it still misses. Worked example: a balance
 * record of 450 points (earned 600, spent 150) and no transactions → credit 600, debit 150;
 * the same record with transactions of +500 and −150 → credit 100, debit 0.
 */
export function openingBalance(
  target: BalanceTotals,
  ledger: BalanceTotals,
): { credit: number; debit: number } {
  let credit = Math.max(0, target.lifetimeEarned - ledger.lifetimeEarned);
  let debit = Math.max(0, target.lifetimeSpent - ledger.lifetimeSpent);
  const gap = target.totalPoints - (ledger.totalPoints + credit - debit);
  if (gap > 0) credit += gap;
  else debit -= gap;
  return { credit, debit };
}

/**
 * What each task's completion paid according to `entries`, replayed in time order: a
 * `task_completion` earn credits its amount (and becomes the award entry), a
 * `task_completion_reversal` clawback takes it back. Only tasks left with points appear.
 */
export function taskRewardsOf(entries: WalletTransactionT[]): Map<string, TaskReward> {
  const rewards = new Map<string, TaskReward>();
  const ordered = [...entries].sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  for (const entry of ordered) {
    if (entry.sourceEntityType !== 'task' || !entry.sourceEntityId) continue;
    if (entry.source === 'task_completion' && entry.type === 'earn') {
      rewards.set(entry.sourceEntityId, { points: entry.amount, transactionId: entry.id });
    } else if (entry.source === 'task_completion_reversal') {
      rewards.delete(entry.sourceEntityId);
    }
  }
  return rewards;
}

/**
 * The dump's transactions as ledger entries of `userId`. Invalid ones (no usable id or amount,
 * an unknown type or source) are reported as failed; negative amounts are made positive and a
 * negative credit becomes a `spend` (with a warning).
 */
export function mapTransactions(
  collection: RawCollection | undefined,
  userId: string,
  timeZone: string,
  now: string,
  report: ImportReport,
): WalletTransactionT[] {
  if (!collection) return [];
  const entries: WalletTransactionT[] = [];
  const seen = new Set<string>();
  for (const { key, value } of collection.records) {
    const id = validId(value.id ?? key);
    const amount = value.amount;
    if (!id || seen.has(id)) {
      report.fail(
        collection.key,
        String(value.id ?? key),
        id ? 'the id appears twice' : 'invalid id',
      );
      continue;
    }
    seen.add(id);
    if (typeof amount !== 'number' || !Number.isFinite(amount) || Math.round(amount) === 0) {
      report.fail(
        collection.key,
        id,
        `amount ${JSON.stringify(amount)} is not a non-zero number of points`,
      );
      continue;
    }
    if (Math.abs(amount) > MAX_CREDIT) {
      report.fail(
        collection.key,
        id,
        `amount ${JSON.stringify(amount)} is more than any entry holds (at most ${MAX_CREDIT} points)`,
      );
      continue;
    }
    let type = value.type ?? (amount < 0 ? 'spend' : 'earn');
    if (amount < 0 && (type === 'earn' || type === 'refund' || type === 'adjustment')) {
      report.warn(collection.key, id, `a negative ${String(type)} is imported as a spend`);
      type = 'spend';
    }
    const parsed = WalletTransaction.safeParse({
      id,
      userId,
      amount: Math.abs(Math.round(amount)),
      type,
      source: value.source ?? 'manual',
      sourceEntityType: value.sourceEntityType ?? null,
      sourceEntityId: validId(value.sourceEntityId),
      description: typeof value.description === 'string' ? value.description : '',
      createdAt: instantOf(value.createdAt, timeZone) ?? now,
    });
    if (!parsed.success) report.fail(collection.key, id, issuesText(parsed.error));
    else entries.push(parsed.data);
  }
  return entries;
}

/**
 * The dump's balance record as target counters: `totalPoints` (or `balance`) and
 * `lifetimeSpent` as given, `lifetimeEarned = totalPoints + lifetimeSpent` (the ledger's
 * identity; a record that disagrees is warned about). Counters it lacks come from `ledger`.
 * Null without a usable record: counters that are not whole numbers up to
 * {@link MAX_BALANCE_POINTS}, or negative lifetime counters, fail the record.
 */
export function balanceTarget(
  collection: RawCollection | undefined,
  ledger: BalanceTotals,
  report: ImportReport,
): BalanceTotals | null {
  const records = collection?.records ?? [];
  if (!collection || records.length === 0) return null;
  if (records.length > 1) {
    report.warn(collection.key, null, `${records.length} balances; the first is imported`);
  }
  const value = (records[0] as { value: Record<string, unknown> }).value;
  const int = (v: unknown) =>
    typeof v === 'number' && Number.isInteger(v) && Math.abs(v) <= MAX_BALANCE_POINTS ? v : null;
  const total = int(value.totalPoints ?? value.balance);
  if (total === null) {
    report.fail(
      collection.key,
      null,
      `the balance has no whole number of points (totalPoints) up to ${MAX_BALANCE_POINTS}`,
    );
    return null;
  }
  const spent = int(value.lifetimeSpent) ?? ledger.lifetimeSpent;
  if (spent < 0 || total + spent < 0) {
    report.fail(collection.key, null, 'the balance has negative lifetime counters');
    return null;
  }
  const earned = total + spent;
  if (value.lifetimeEarned !== undefined && value.lifetimeEarned !== earned) {
    report.warn(
      collection.key,
      null,
      `lifetimeEarned ${JSON.stringify(value.lifetimeEarned)} is not totalPoints + lifetimeSpent; imported as ${earned}`,
    );
  }
  return { totalPoints: total, lifetimeEarned: earned, lifetimeSpent: spent };
}

/**
 * The opening-balance entries for `target` over the dump's `entries`, dated just before the
 * dump's first entry (else at `fallback`), so the ledger lists them first.
 */
export function openingEntries(
  target: BalanceTotals | null,
  entries: WalletTransactionT[],
  userId: string,
  fallback: string,
): WalletTransactionT[] {
  if (!target) return [];
  const { credit, debit } = openingBalance(target, totalsOf(entries));
  const first = entries.map((e) => e.createdAt).sort()[0];
  const createdAt = first ? new Date(Date.parse(first) - 1).toISOString() : fallback;
  const entry = (id: string, type: 'adjustment' | 'spend', amount: number, what: string) => ({
    id,
    userId,
    amount,
    type,
    source: 'system' as const,
    sourceEntityType: null,
    sourceEntityId: null,
    description: `Opening balance: points ${what} before the import`,
    createdAt,
  });
  return [
    ...(credit > 0 ? [entry(OPENING_IDS.credit, 'adjustment', credit, 'earned')] : []),
    ...(debit > 0 ? [entry(OPENING_IDS.debit, 'spend', debit, 'spent')] : []),
  ];
}

/** The ledger writes of an import, the entries of each, and the report's sentence about them. */
export interface WalletWrites {
  groups: WriteGroup[];
  /** The entries each group appends. */
  entries: Map<WriteGroup, WalletTransactionT[]>;
  detail: string;
}

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/**
 * The ledger entries to append: the dump's `transactions` (counted under `transactionsKey`) and
 * the opening-balance entries that reconcile them with its `balance` record (one group, counted
 * as that record), minus those the user's ledger already holds (found by id; one query).
 */
export async function walletWrites(
  ctx: UserCtx,
  balance: RawCollection | undefined,
  transactionsKey: string,
  transactions: WalletTransactionT[],
  now: string,
  report: ImportReport,
): Promise<WalletWrites> {
  const target = balanceTarget(balance, totalsOf(transactions), report);
  const opening = openingEntries(target, transactions, ctx.userId, now);
  const ledger = await queryAll(ctx.db, {
    pk: userPk(ctx.userId),
    sk: { beginsWith: keys.ledgerPrefix },
  });
  const byId = new Map(ledger.map((i) => [String(i.id), i]));
  const groups: WriteGroup[] = [];
  const entries = new Map<WriteGroup, WalletTransactionT[]>();
  const append = (list: WalletTransactionT[], collection: string, id: string) => {
    const group: WriteGroup = {
      ops: list.map((e) => ({ put: ledgerItem(e), condition: cond.notExists('pk') })),
      records: [{ collection, id, outcome: 'created' }],
    };
    groups.push(group);
    entries.set(group, list);
  };
  const isNew = (collection: string, entry: WalletTransactionT) => {
    const stored = byId.get(entry.id);
    if (stored && !holds(stored, { amount: entry.amount, type: entry.type })) {
      report.warn(
        collection,
        entry.id,
        'the ledger holds this entry with another amount or type; kept',
      );
    }
    return !stored;
  };
  for (const entry of transactions) {
    if (isNew(transactionsKey, entry)) append([entry], transactionsKey, entry.id);
    else report.count(transactionsKey, 'unchanged');
  }
  if (balance && target) {
    const missing = opening.filter((e) => isNew(balance.key, e));
    if (missing.length > 0) append(missing, balance.key, balance.records[0]?.key ?? balance.key);
    else report.count(balance.key, 'unchanged');
  }
  const detail =
    !balance && transactions.length === 0
      ? 'The dump has no wallet data: the wallet is left as it was (zero for a new account).'
      : [
          `From the dump: ${plural(transactions.length, 'ledger entry', 'ledger entries')} (${totalsOf(transactions).totalPoints} points)`,
          target ? `, its balance of ${target.totalPoints} points` : '',
          opening.length > 0
            ? `, and ${plural(opening.length, 'opening-balance entry', 'opening-balance entries')} that reconcile them`
            : '',
          '.',
        ].join('');
  return { groups, entries, detail };
}

/** The update of `userId`'s balance item by ledger `entries` (§e.13), for their transaction. */
export function balanceOp(userId: string, now: string, entries: WalletTransactionT[]): TransactOp {
  return {
    update: keys.wallet(userId),
    spec: {
      set: { entityType: 'WALLET', userId, updatedAt: now },
      add: { ...totalsOf(entries) },
    },
  };
}
