/**
 * The dashboard (API_CONTRACT.md X2/X3, §c.2 DashboardSummary, §e.17): every entity list the
 * client caches, in the entities' own wire shapes, in a **fixed** number of storage round trips
 * whatever the number of entities — one query per entity type of the user's partition, one GSI
 * query for the rewards' recent redemptions, the wallet balance, one page of the ledger and the
 * profile (11 reads, run in parallel; more only when a list outgrows one 1 MB DynamoDB page).
 *
 * Tasks: the open ones, plus (§e.17, "consider including recently completed tasks") those Done
 * or Cancelled within the last {@link RECENT_COMPLETION_DAYS} days — or every task with
 * `includeCompleted=true`. Open tasks come first (due date ascending, undated last, then
 * priority), then closed ones, most recently completed first; `taskLimit` keeps the first N.
 */
import type { UserCtx } from '../api/deps.js';
import type { DashboardQueryT, DashboardSummaryT } from '../api/schemas/dashboard.js';
import type { TaskT } from '../api/schemas/tasks.js';
import { keys } from '../db/keys.js';
import { listEntities } from '../db/queries.js';
import { toGoal } from './goals/model.js';
import { toHabit } from './habits/index.js';
import { toEntry } from './logbook.js';
import { toMetric } from './metrics/items.js';
import { timeZoneOf } from './profile.js';
import { toProject } from './projects/model.js';
import { loadAllRecentRedemptions, withRedemptions } from './rewards/redemptions.js';
import { toTask } from './tasks/model.js';
import { listLedger, toBalance } from './wallet.js';

/** Closed tasks younger than this many days are on the dashboard by default. */
export const RECENT_COMPLETION_DAYS = 7;
/** Ledger entries shown when the client asks for no particular number. */
export const DEFAULT_TRANSACTION_LIMIT = 10;

const CLOSED = ['Done', 'Cancelled'];
const PRIORITY = ['P1', 'P2', 'P3', 'P4'];

/** Open tasks by due date then priority; closed tasks after them, latest first. */
function dashboardOrder(a: TaskT, b: TaskT): number {
  const closedA = CLOSED.includes(a.status);
  const closedB = CLOSED.includes(b.status);
  if (closedA !== closedB) return closedA ? 1 : -1;
  if (closedA)
    return (b.completedDate ?? b.updatedAt).localeCompare(a.completedDate ?? a.updatedAt);
  if (a.dueDate !== b.dueDate) {
    if (a.dueDate === null) return 1;
    if (b.dueDate === null) return -1;
    return a.dueDate.localeCompare(b.dueDate);
  }
  return (
    PRIORITY.indexOf(a.priority) - PRIORITY.indexOf(b.priority) ||
    a.createdAt.localeCompare(b.createdAt)
  );
}

/** The dashboard of the user (see the module comment for what it holds). */
export async function getDashboard(
  ctx: UserCtx,
  query: DashboardQueryT,
): Promise<DashboardSummaryT> {
  const list = (type: Parameters<typeof listEntities>[2]) => listEntities(ctx.db, ctx.userId, type);
  const [
    tasks,
    goals,
    projects,
    habits,
    metrics,
    entries,
    rewards,
    redemptions,
    timeZone,
    wallet,
    ledger,
  ] = await Promise.all([
    list('TASK'),
    list('GOAL'),
    list('PROJECT'),
    list('HABIT'),
    list('METRIC'),
    list('LOGBOOK'),
    list('REWARD'),
    loadAllRecentRedemptions(ctx),
    timeZoneOf(ctx),
    ctx.db.get(keys.wallet(ctx.userId)),
    listLedger(ctx, { limit: query.transactionLimit ?? DEFAULT_TRANSACTION_LIMIT }),
  ]);
  const recent = new Date(
    ctx.clock.now().getTime() - RECENT_COMPLETION_DAYS * 86_400_000,
  ).toISOString();
  const shown = tasks
    .map(toTask)
    .filter(
      (t) =>
        query.includeCompleted === true ||
        !CLOSED.includes(t.status) ||
        (t.completedDate ?? t.updatedAt) >= recent,
    )
    .sort(dashboardOrder);
  return {
    tasks: query.taskLimit === undefined ? shown : shown.slice(0, query.taskLimit),
    goals: goals.map(toGoal),
    projects: projects.map(toProject),
    habits: habits.map(toHabit),
    metrics: metrics.map(toMetric),
    logbookEntries: entries.map(toEntry).sort((a, b) => b.date.localeCompare(a.date)),
    rewards: rewards.map((item) =>
      withRedemptions(ctx, item, redemptions.get(String(item.id)) ?? [], timeZone),
    ),
    wallet: { balance: toBalance(ctx.userId, wallet), recentTransactions: ledger.data },
  };
}
