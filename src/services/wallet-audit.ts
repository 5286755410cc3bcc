/**
 * The wallet audit (`npm run cli -- wallet-audit`): recomputes a balance from its ledger and
 * compares it with the stored `WALLET` item. The ledger is the truth; the balance item is a
 * running sum of it kept in the same transactions (services/wallet.ts), so they must agree:
 * `totalPoints = Σ credits − Σ debits`, `lifetimeEarned = Σ credits`, `lifetimeSpent = Σ debits`
 * (API_CONTRACT.md §e.13), every amount a positive integer.
 *
 * Run it on a quiet store: a write that lands between reading the balance and reading the ledger
 * shows up as a mismatch that a second run does not repeat.
 */
import type { UserCtx } from '../api/deps.js';
import { WalletTransactionType } from '../api/schemas/common.js';
import { keys, userPk } from '../db/keys.js';
import { cond, queryAll, type Item, type Page, type Table } from '../db/table.js';
import { balanceDelta, toBalance, type BalanceTotals } from './wallet.js';

/** The audit of one user's wallet. */
export interface WalletAudit {
  userId: string;
  /** Ledger entries read. */
  entries: number;
  /** The counters of the stored balance item (zeros when it is missing). */
  stored: BalanceTotals;
  /** The counters recomputed from the ledger. */
  recomputed: BalanceTotals;
  /** What is wrong, one sentence each; empty when the wallet is consistent. */
  problems: string[];
}

const COUNTERS = ['totalPoints', 'lifetimeEarned', 'lifetimeSpent'] as const;

/** Audits the wallet of `ctx.userId`: one read of the balance, one query of the ledger. */
export async function auditWallet(ctx: Pick<UserCtx, 'db' | 'userId'>): Promise<WalletAudit> {
  const item = await ctx.db.get(keys.wallet(ctx.userId));
  const ledger = await queryAll(ctx.db, {
    pk: userPk(ctx.userId),
    sk: { beginsWith: keys.ledgerPrefix },
  });
  const stored = toBalance(ctx.userId, item);
  const recomputed: BalanceTotals = { totalPoints: 0, lifetimeEarned: 0, lifetimeSpent: 0 };
  const problems: string[] = [];
  for (const entry of ledger) {
    const amount = entry.amount;
    if (typeof amount !== 'number' || !Number.isInteger(amount) || amount <= 0) {
      problems.push(
        `entry ${String(entry.id)} has amount ${String(amount)}, not a positive integer`,
      );
      continue;
    }
    const type = WalletTransactionType.safeParse(entry.type);
    if (!type.success) {
      problems.push(`entry ${String(entry.id)} has unknown type ${String(entry.type)}`);
      continue;
    }
    const delta = balanceDelta(type.data, amount);
    for (const counter of COUNTERS) recomputed[counter] += delta[counter];
  }
  for (const counter of COUNTERS) {
    if (stored[counter] !== recomputed[counter]) {
      problems.push(
        `${counter} is ${stored[counter]} but the ledger sums to ${recomputed[counter]}`,
      );
    }
  }
  const { totalPoints, lifetimeEarned, lifetimeSpent } = stored;
  return {
    userId: ctx.userId,
    entries: ledger.length,
    stored: { totalPoints, lifetimeEarned, lifetimeSpent },
    recomputed,
    problems,
  };
}

/**
 * Every user that has a balance item or a ledger entry, sorted: one scan of the whole table
 * (administration only).
 */
export async function walletUserIds(db: Table): Promise<string[]> {
  const users = new Set<string>();
  const filter = cond.or(cond.eq('sk', 'WALLET'), cond.beginsWith('sk', keys.ledgerPrefix));
  let cursor: string | null = null;
  do {
    const page: Page = await db.scan({ filter, cursor });
    for (const item of page.items) users.add(ownerOf(item));
    cursor = page.cursor;
  } while (cursor);
  return [...users].sort();
}

/** The owner of a wallet or ledger item (its `userId`, else the user of its partition). */
function ownerOf(item: Item): string {
  return typeof item.userId === 'string' ? item.userId : item.pk.replace(/^USER#/, '');
}

/** Audits every wallet of the store (see {@link walletUserIds}), one user after another. */
export async function auditAllWallets(db: Table): Promise<WalletAudit[]> {
  const audits: WalletAudit[] = [];
  for (const userId of await walletUserIds(db)) audits.push(await auditWallet({ db, userId }));
  return audits;
}

/**
 * One line for a person: `ok <user>: balance 50 (earned 250, spent 200) from 3 entries`, or
 * `MISMATCH <user>: <problem>; <problem>`.
 */
export function describeAudit(audit: WalletAudit): string {
  if (audit.problems.length > 0) return `MISMATCH ${audit.userId}: ${audit.problems.join('; ')}`;
  const { totalPoints, lifetimeEarned, lifetimeSpent } = audit.stored;
  return `ok ${audit.userId}: balance ${totalPoints} (earned ${lifetimeEarned}, spent ${lifetimeSpent}) from ${audit.entries} entries`;
}
