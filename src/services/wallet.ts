/**
 * The points wallet as an append-only ledger (API_CONTRACT.md §b.8 W1–W2, §c.3, §e.13).
 *
 * Every change of balance is a `WalletTransaction` item (`LEDGER#{createdAt}#{id}`), written in
 * the same transaction as the balance item (`WALLET`) and the business item that caused it —
 * {@link ledgerOps} returns those operations for the caller's transaction. Points are integers.
 *
 * Arithmetic ({@link balanceDelta}): credits (`earn`, `refund`, `adjustment` — amounts are always
 * positive, so an adjustment is a credit) add to `totalPoints` and `lifetimeEarned`; debits
 * (`spend`, `clawback`) subtract from `totalPoints` and add to `lifetimeSpent`; so
 * `totalPoints = lifetimeEarned − lifetimeSpent` always (`wallet-audit` checks it).
 *
 * Overdraft rule: a `spend` carries the condition `totalPoints ≥ amount`, so a redemption never
 * takes the balance below zero. A `clawback` (re-opening a completed task) is never refused: it
 * reverses exactly what was credited, and when the points were already spent the balance goes
 * negative — a debt that later earnings repay and that blocks every redemption until then. The
 * ledger stays truthful and re-opening a task is always possible.
 */
import type { z } from '@hono/zod-openapi';
import type { UserCtx } from '../api/deps.js';
import type {
  WalletTransactionSource as SourceSchema,
  WalletTransactionType as TypeSchema,
} from '../api/schemas/common.js';
import type {
  LedgerPageT,
  WalletAddInput,
  WalletBalanceT,
  WalletSummaryT,
  WalletTransactionT,
} from '../api/schemas/wallet.js';
import { ValidationError } from '../core/errors.js';
import { childPk, keys, userPk } from '../db/keys.js';
import {
  ConditionFailedError,
  InvalidCursorError,
  cond,
  queryAll,
  queryPage,
  type Item,
  type TransactOp,
} from '../db/table.js';
import { nowInstant } from '../utils/dates.js';
import { newId } from '../utils/ids.js';

/** Kinds of ledger entries. */
export type WalletTransactionType = z.output<typeof TypeSchema>;
/** What caused a ledger entry. */
export type WalletTransactionSource = z.output<typeof SourceSchema>;
/** One ledger entry as the API returns it (the schema's type). */
export type WalletTransaction = WalletTransactionT;
/** The balance item as the API returns it (the schema's type). */
export type WalletBalance = WalletBalanceT;

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

/** The three balance counters, in points. */
export interface BalanceTotals {
  totalPoints: number;
  lifetimeEarned: number;
  lifetimeSpent: number;
}

const DEBITS: readonly WalletTransactionType[] = ['spend', 'clawback'];

/** Whether entries of `type` reduce the balance. */
export function isDebit(type: WalletTransactionType): boolean {
  return DEBITS.includes(type);
}

/** How one entry of `type` and positive `amount` moves the counters (§e.13). */
export function balanceDelta(type: WalletTransactionType, amount: number): BalanceTotals {
  return isDebit(type)
    ? { totalPoints: -amount, lifetimeEarned: 0, lifetimeSpent: amount }
    : { totalPoints: amount, lifetimeEarned: amount, lifetimeSpent: 0 };
}

/** The item of a ledger entry: `LEDGER#{createdAt}#{id}` in its owner's partition. */
export function ledgerItem(transaction: WalletTransactionT): Item {
  return {
    ...transaction,
    ...keys.ledgerEntry(transaction.userId, transaction.createdAt, transaction.id),
    entityType: 'WALLET_TX',
  };
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
): { ops: TransactOp[]; transaction: WalletTransactionT; balanceOpIndex: number } {
  if (!Number.isInteger(input.amount) || input.amount <= 0) {
    throw new RangeError(`Ledger amounts are positive integers, got ${input.amount}`);
  }
  const createdAt = nowInstant(ctx.clock);
  const transaction: WalletTransactionT = {
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
  const ops: TransactOp[] = [
    { put: ledgerItem(transaction), condition: cond.notExists('pk') },
    {
      update: keys.wallet(ctx.userId),
      spec: {
        set: { entityType: 'WALLET', userId: ctx.userId, updatedAt: createdAt },
        add: { ...balanceDelta(input.type, input.amount) },
        ...(input.type === 'spend' ? { condition: cond.gte('totalPoints', input.amount) } : {}),
      },
    },
  ];
  return { ops, transaction, balanceOpIndex: 1 };
}

/** The wallet balance item as a `WalletBalance` (zeros for a user who never earned). */
export function toBalance(userId: string, item: Item | null): WalletBalanceT {
  return {
    userId,
    totalPoints: Number(item?.totalPoints ?? 0),
    lifetimeEarned: Number(item?.lifetimeEarned ?? 0),
    lifetimeSpent: Number(item?.lifetimeSpent ?? 0),
    updatedAt: String(item?.updatedAt ?? item?.createdAt ?? new Date(0).toISOString()),
  };
}

/** A stored ledger item as a `WalletTransaction`. */
export function toTransaction(item: Item): WalletTransactionT {
  return {
    id: String(item.id),
    userId: String(item.userId),
    amount: Number(item.amount),
    type: item.type as WalletTransactionType,
    source: item.source as WalletTransactionSource,
    sourceEntityType: (item.sourceEntityType as WalletTransactionT['sourceEntityType']) ?? null,
    sourceEntityId: (item.sourceEntityId as string | null | undefined) ?? null,
    description: String(item.description ?? ''),
    createdAt: String(item.createdAt),
  };
}

/** The user's current balance. */
export async function getBalance(ctx: UserCtx): Promise<WalletBalanceT> {
  return toBalance(ctx.userId, await ctx.db.get(keys.wallet(ctx.userId)));
}

/**
 * One page of the user's ledger, newest first: at most `limit` entries, and the cursor of the
 * next page (null after the oldest entry). One query of the `LEDGER#` range.
 *
 * @throws ValidationError (400) for a cursor that is not one of this user's ledger.
 */
export async function listLedger(
  ctx: UserCtx,
  query: { limit: number; cursor?: string | undefined },
): Promise<LedgerPageT> {
  try {
    const page = await queryPage(ctx.db, {
      pk: userPk(ctx.userId),
      sk: { beginsWith: keys.ledgerPrefix },
      forward: false,
      limit: query.limit,
      cursor: query.cursor ?? null,
    });
    return {
      data: page.items.map(toTransaction),
      nextCursor: page.cursor,
      hasMore: page.cursor !== null,
    };
  } catch (err) {
    if (!(err instanceof InvalidCursorError)) throw err;
    throw new ValidationError('Invalid cursor', [
      { loc: ['query', 'cursor'], msg: 'not a cursor of this ledger', type: 'invalid_cursor' },
    ]);
  }
}

/**
 * `GET /wallet`: the balance counters and the `limit` newest ledger entries (newest first), with
 * the cursor that continues the list at `GET /wallet/transactions`. Two reads in parallel.
 */
export async function getWalletSummary(ctx: UserCtx, limit: number): Promise<WalletSummaryT> {
  const [balance, page] = await Promise.all([getBalance(ctx), listLedger(ctx, { limit })]);
  return {
    balance: balance.totalPoints,
    lifetimeEarned: balance.lifetimeEarned,
    lifetimeSpent: balance.lifetimeSpent,
    recentTransactions: page.data,
    nextCursor: page.nextCursor,
  };
}

/**
 * The ledger type of a `POST /wallet/add` credit (§e.13: "`system` is used for refunds and
 * `manual` for adjustments/milestones"): `system` → `refund`; `manual` with a `sourceEntityId`
 * (something earned it, e.g. the metric of a milestone) → `earn`; `manual` without → `adjustment`.
 */
export function creditType(
  input: Pick<WalletAddInput, 'source' | 'sourceEntityId'>,
): WalletTransactionType {
  if (input.source === 'system') return 'refund';
  return input.sourceEntityId ? 'earn' : 'adjustment';
}

/**
 * `POST /wallet/add`: credits `amount` points (a positive integer) with one ledger entry, in one
 * transaction with the balance. Returns the entry and the balance read right after it — except
 * the client's payment of a milestone the server already paid, which credits nothing and returns
 * the server's entry (see `claimServerPaidMilestone`).
 */
export async function addPoints(
  ctx: UserCtx,
  input: WalletAddInput,
): Promise<{ balance: WalletBalanceT; transaction: WalletTransactionT }> {
  const alreadyPaid = await claimServerPaidMilestone(ctx, input);
  if (alreadyPaid) return { balance: await getBalance(ctx), transaction: alreadyPaid };
  const { ops, transaction } = ledgerOps(ctx, {
    type: creditType(input),
    source: input.source,
    amount: input.amount,
    description: input.description,
    sourceEntityType: input.sourceEntityType ?? null,
    sourceEntityId: input.sourceEntityId ?? null,
  });
  await ctx.db.transactWrite(ops);
  return { balance: await getBalance(ctx), transaction };
}

/** The description the shipped client gives its milestone payments (§e.9). */
const MILESTONE_PAYMENT = /^Milestone achieved: (\w+) for metric$/;

/**
 * Dedupes the client's payment of a metric milestone the server already paid (§e.9: "a backend
 * that also awards on log would double-credit — dedupe on (metricId, type, value)"). The client's
 * payment is `source: manual`, no `sourceEntityType`, `sourceEntityId` = the metric and the
 * description `Milestone achieved: <type> for metric`; it names no value, so it is matched to a
 * server-paid milestone of that metric and type worth exactly `amount` whose payment no client
 * has claimed yet, and the claim is a conditional update — one client payment per milestone.
 * Reads one milestone query (only for such payments) and the server's ledger entry.
 * @returns the server's ledger entry for the milestone, or null when the payment is not one.
 */
async function claimServerPaidMilestone(
  ctx: UserCtx,
  input: WalletAddInput,
): Promise<WalletTransactionT | null> {
  const type = MILESTONE_PAYMENT.exec(input.description)?.[1];
  const metricId = input.sourceEntityId;
  if (input.source !== 'manual' || input.sourceEntityType || !type || !metricId) return null;
  const milestones = await queryAll(ctx.db, {
    pk: childPk(ctx.userId, 'METRIC', metricId),
    sk: { beginsWith: `${keys.milestonePrefix}${type}#` },
  });
  for (const milestone of milestones) {
    const { transactionId, transactionCreatedAt } = milestone;
    if (typeof transactionId !== 'string' || typeof transactionCreatedAt !== 'string') continue;
    if (milestone.pointsAwarded !== input.amount || milestone.clientPaymentClaimedAt) continue;
    try {
      await ctx.db.update(
        { pk: String(milestone.pk), sk: String(milestone.sk) },
        {
          set: { clientPaymentClaimedAt: nowInstant(ctx.clock) },
          condition: cond.and(cond.exists('pk'), cond.notExists('clientPaymentClaimedAt')),
        },
      );
    } catch (err) {
      if (err instanceof ConditionFailedError) continue;
      throw err;
    }
    const entry = await ctx.db.get(
      keys.ledgerEntry(ctx.userId, transactionCreatedAt, transactionId),
    );
    if (entry) return toTransaction(entry);
  }
  return null;
}
