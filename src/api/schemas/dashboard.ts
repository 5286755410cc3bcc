/** Schemas of the dashboard (API_CONTRACT.md X2/X3, §c.2 DashboardSummary). */
import { z } from '@hono/zod-openapi';
import { QueryBoolean } from './common.js';
import { Goal } from './goals.js';
import { Habit } from './habits.js';
import { LogbookEntry } from './logbook.js';
import { Metric } from './metrics.js';
import { Project } from './projects.js';
import { RewardWithRedemptions } from './rewards.js';
import { Task } from './tasks.js';
import { WalletBalance, WalletTransaction } from './wallet.js';

/** Query of X2/X3. */
export const DashboardQuery = z.object({
  includeCompleted: QueryBoolean.optional().openapi({
    description:
      'Include every Done or Cancelled task (default: only those completed in the last 7 days)',
  }),
  taskLimit: z.coerce.number().int().min(1).max(10_000).optional(),
  transactionLimit: z.coerce.number().int().min(1).max(200).optional().openapi({ example: 10 }),
});

/** Everything the dashboard shows, in the entities' own wire shapes. */
export const DashboardSummary = z
  .object({
    tasks: z.array(Task),
    goals: z.array(Goal),
    projects: z.array(Project),
    habits: z.array(Habit),
    metrics: z.array(Metric),
    logbookEntries: z.array(LogbookEntry),
    rewards: z.array(RewardWithRedemptions),
    wallet: z.object({ balance: WalletBalance, recentTransactions: z.array(WalletTransaction) }),
  })
  .openapi('DashboardSummary');

/** The parsed type of {@link DashboardQuery}. */
export type DashboardQueryT = z.output<typeof DashboardQuery>;
/** The parsed type of {@link DashboardSummary}. */
export type DashboardSummaryT = z.output<typeof DashboardSummary>;
