/** The points wallet: W1–W2 of API_CONTRACT.md §b.8, and the cursor-paged ledger. */
import { defineRoute } from '../route.js';
import {
  LedgerPage,
  LedgerQuery,
  WalletAdd,
  WalletAddResult,
  WalletQuery,
  WalletSummary,
} from '../schemas/wallet.js';
import * as wallet from '../../services/wallet.js';

const tags = ['Wallet'];

/** The routes of this module, for `createRouter`. */
export const walletRoutes = [
  defineRoute({
    method: 'get',
    path: '/wallet',
    tags,
    summary: 'Balance, lifetime totals and the newest ledger entries',
    description:
      '`recentTransactions` holds the `limit` newest entries (default 50), newest first; `nextCursor` continues at `/wallet/transactions`.',
    query: WalletQuery,
    response: WalletSummary,
    handler: ({ ctx, query }) => wallet.getWalletSummary(ctx, query.limit),
  }),
  defineRoute({
    method: 'post',
    path: '/wallet/add',
    tags,
    summary: 'Credit points (a refund, a milestone or a manual adjustment)',
    description:
      '`amount` is a positive integer. `source: system` records a `refund`; `source: manual` records an `earn` when `sourceEntityId` is given (e.g. a metric milestone), else an `adjustment`.',
    body: WalletAdd,
    response: WalletAddResult,
    handler: ({ ctx, body }) => wallet.addPoints(ctx, body),
  }),
  defineRoute({
    method: 'get',
    path: '/wallet/transactions',
    tags,
    summary: 'The ledger, newest first, with cursor paging',
    query: LedgerQuery,
    response: LedgerPage,
    handler: ({ ctx, query }) => wallet.listLedger(ctx, query),
  }),
];
