/**
 * Schemas of the points wallet (API_CONTRACT.md §b.8 W1–W2, §c.3): ledger entries, the balance,
 * the summary of `GET /wallet`, the credit of `POST /wallet/add` and the cursor-paged ledger.
 * Points are integers; a ledger `amount` is positive and its sign comes from `type` (§e.13).
 */
import { z } from '@hono/zod-openapi';
import {
  Id,
  Instant,
  WalletSourceEntityType,
  WalletTransactionSource,
  WalletTransactionType,
} from './common.js';

/** Largest single credit of `POST /wallet/add`, in points. */
export const MAX_CREDIT = 1_000_000;

/** One ledger entry (`WalletTransaction`). */
export const WalletTransaction = z
  .object({
    id: z.string(),
    userId: z.string(),
    amount: z.number().int().openapi({ description: 'Points, positive; the sign comes from type' }),
    type: WalletTransactionType,
    source: WalletTransactionSource,
    sourceEntityType: WalletSourceEntityType.nullable(),
    sourceEntityId: z.string().nullable(),
    description: z.string(),
    createdAt: Instant,
  })
  .openapi('WalletTransaction');

/** The balance item (`WalletBalance`), as the dashboard and `POST /wallet/add` return it. */
export const WalletBalance = z
  .object({
    userId: z.string(),
    totalPoints: z.number().int().openapi({
      description: 'lifetimeEarned − lifetimeSpent; negative while a clawback debt is open',
    }),
    lifetimeEarned: z.number().int(),
    lifetimeSpent: z.number().int(),
    updatedAt: Instant,
  })
  .openapi('WalletBalance');

/** `GET /wallet` (`WalletSummary`); `nextCursor` continues the list at `/wallet/transactions`. */
export const WalletSummary = z
  .object({
    balance: z.number().int(),
    lifetimeEarned: z.number().int(),
    lifetimeSpent: z.number().int(),
    recentTransactions: z.array(WalletTransaction).openapi({ description: 'Newest first' }),
    nextCursor: z.string().nullable().openapi({
      description: 'Pass to `GET /wallet/transactions?cursor=` for older entries; null at the end',
    }),
  })
  .openapi('WalletSummary');

/** Query of `GET /wallet`: how many recent entries to include. */
export const WalletQuery = z.object({
  limit: z.coerce
    .number()
    .int()
    .min(1)
    .max(1000)
    .default(50)
    .openapi({ description: 'Recent transactions to include (default 50)' }),
});

/** Query of `GET /wallet/transactions`: cursor paging of the ledger, newest first. */
export const LedgerQuery = WalletQuery.extend({
  cursor: z
    .string()
    .min(1)
    .max(2048)
    .optional()
    .openapi({ description: 'The `nextCursor` of the previous page' }),
});

/** One page of the ledger. */
export const LedgerPage = z
  .object({
    data: z.array(WalletTransaction),
    nextCursor: z.string().nullable(),
    hasMore: z.boolean(),
  })
  .openapi('LedgerPage');

/**
 * Body of `POST /wallet/add`: a credit. Only `manual` and `system` may be given: the other
 * sources are written by the server itself (completions, reversals, redemptions).
 */
export const WalletAdd = z
  .object({
    amount: z.number().int().min(1).max(MAX_CREDIT).openapi({ description: 'Points to credit' }),
    source: z.enum(['manual', 'system']).openapi({
      description:
        '`system` records a `refund`; `manual` records an `earn` when `sourceEntityId` names what earned it (e.g. a metric milestone), otherwise an `adjustment`',
    }),
    description: z.string().trim().min(1).max(500),
    sourceEntityType: WalletSourceEntityType.nullable().optional(),
    sourceEntityId: Id.nullable().optional(),
  })
  .openapi('WalletAdd');

/** Response of `POST /wallet/add`. */
export const WalletAddResult = z
  .object({ balance: WalletBalance, transaction: WalletTransaction })
  .openapi('WalletAddResult');

/** The parsed type of {@link WalletTransaction}. */
export type WalletTransactionT = z.output<typeof WalletTransaction>;
/** The parsed type of {@link WalletBalance}. */
export type WalletBalanceT = z.output<typeof WalletBalance>;
/** The parsed type of {@link WalletSummary}. */
export type WalletSummaryT = z.output<typeof WalletSummary>;
/** The parsed type of {@link WalletAdd}. */
export type WalletAddInput = z.output<typeof WalletAdd>;
/** The parsed type of {@link LedgerQuery}. */
export type LedgerQueryT = z.output<typeof LedgerQuery>;
/** The parsed type of {@link LedgerPage}. */
export type LedgerPageT = z.output<typeof LedgerPage>;
