/**
 * The points wallet as an append-only ledger (API_CONTRACT.md §c.3, §e.13).
 *
 * Every change of balance is a `WalletTransaction` item (`LEDGER#{createdAt}#{id}`), written in
 * the same transaction as the balance item (`WALLET`) and the business item that caused it —
 * {@link ledgerOps} returns those operations for the caller's transaction. Points are integers.
 *
 * Arithmetic: credits (`earn`, `refund`, positive `adjustment`) add to `totalPoints` and
 * `lifetimeEarned`; debits (`spend`, `clawback`) subtract from `totalPoints` and add to
 * `lifetimeSpent`; so `totalPoints = lifetimeEarned − lifetimeSpent` always.
 *
 * Overdraft rule: a `spend` carries the condition `totalPoints ≥ amount`, so a redemption never
 * takes the balance below zero. A `clawback` (re-opening a completed task) is never refused: it
 * reverses exactly what was credited, and when the points were already spent the balance goes
 * negative — a debt that later earnings repay and that blocks every redemption until then. The
 * ledger stays truthful and re-opening a task is always possible.
 */
import type { UserCtx } from '../api/deps.js';
import { keys } from '../db/keys.js';
import { cond, type Item, type TransactOp } from '../db/table.js';
import { nowInstant } from '../utils/dates.js';
import { newId } from '../utils/ids.js';

/** Kinds of ledger entries. */
export type WalletTransactionType = 'earn' | 'spend' | 'refund' | 'clawback' | 'adjustment';
/** What caused a ledger entry. */
export type WalletTransactionSource =
  | 'task_completion'
  | 'task_completion_reversal'
  | 'reward_redemption'
  | 'manual'
  | 'system';

/** One ledger entry as the API returns it; `amount` is a positive integer, its sign comes from `type`. */
export interface WalletTransaction {
  id: string;
  userId: string;
  amount: number;
  type: WalletTransactionType;
  source: WalletTransactionSource;
  sourceEntityType: 'task' | 'reward' | null;
  sourceEntityId: string | null;
  description: string;
  createdAt: string;
}

/** The balance item as the API returns it (`WalletBalance`). Integers. */
export interface WalletBalance {
  userId: string;
  totalPoints: number;
  lifetimeEarned: number;
  lifetimeSpent: number;
  updatedAt: string;
}

/** Input of a ledger entry. */
export interface LedgerEntryInput {
  type: WalletTransactionType;
  source: WalletTransactionSource;
  /** Positive integer number of points. */
  amount: number;
  description: string;
  sourceEntityType?: 'task' | 'reward' | null;
  sourceEntityId?: string | null;
}

const DEBITS: WalletTransactionType[] = ['spend', 'clawback'];

/** Whether entries of `type` reduce the balance. */
export function isDebit(type: WalletTransactionType): boolean {
  return DEBITS.includes(type);
}

/**
 * Operations that append one ledger entry and move the balance, for the caller's transaction.
 * A `spend` is conditioned on `totalPoints ≥ amount`: when it fails, the operation at index
 * `balanceOpIndex` of the returned `ops` is the one whose condition failed.
 *
 * @throws RangeError when `amount` is not a positive integer (a programming error).
 */
export function ledgerOps(
  ctx: UserCtx,
  input: LedgerEntryInput,
): { ops: TransactOp[]; transaction: WalletTransaction; balanceOpIndex: number } {
  if (!Number.isInteger(input.amount) || input.amount <= 0) {
    throw new RangeError(`Ledger amounts are positive integers, got ${input.amount}`);
  }
  const createdAt = nowInstant(ctx.clock);
  const transaction: WalletTransaction = {
    id: newId(),
    userId: ctx.userId,
    amount: input.amount,
    type: input.type,
    source: input.source,
    sourceEntityType: input.sourceEntityType ?? null,
    sourceEntityId: input.sourceEntityId ?? null,
    description: input.description,
    createdAt,
  };
  const debit = isDebit(input.type);
  const ops: TransactOp[] = [
    {
      put: {
        ...transaction,
        ...keys.ledgerEntry(ctx.userId, createdAt, transaction.id),
        entityType: 'WALLET_TX',
      },
      condition: cond.notExists('pk'),
    },
    {
      update: keys.wallet(ctx.userId),
      spec: {
        set: { entityType: 'WALLET', userId: ctx.userId, updatedAt: createdAt },
        add: debit
          ? { totalPoints: -input.amount, lifetimeSpent: input.amount, lifetimeEarned: 0 }
          : { totalPoints: input.amount, lifetimeEarned: input.amount, lifetimeSpent: 0 },
        ...(input.type === 'spend' ? { condition: cond.gte('totalPoints', input.amount) } : {}),
      },
    },
  ];
  return { ops, transaction, balanceOpIndex: 1 };
}

/** The wallet balance item as a {@link WalletBalance} (zeros for a user who never earned). */
export function toBalance(userId: string, item: Item | null): WalletBalance {
  return {
    userId,
    totalPoints: Number(item?.totalPoints ?? 0),
    lifetimeEarned: Number(item?.lifetimeEarned ?? 0),
    lifetimeSpent: Number(item?.lifetimeSpent ?? 0),
    updatedAt: String(item?.updatedAt ?? item?.createdAt ?? new Date(0).toISOString()),
  };
}

/** The user's current balance. */
export async function getBalance(ctx: UserCtx): Promise<WalletBalance> {
  return toBalance(ctx.userId, await ctx.db.get(keys.wallet(ctx.userId)));
}
