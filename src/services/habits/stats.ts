/**
 * What is computed from a habit's logs on read, on the user's local calendar (API_CONTRACT.md
 * §b.6 H9–H11, §e.10): stats with streaks and strength, the heatmap, and today's list. Each log
 * counts on the local date stored with it. Nothing is cached, so deleting a log recomputes
 * everything at once.
 */
import type { UserCtx } from '../../api/deps.js';
import type {
  HabitStatsT,
  HabitTodayT,
  HeatmapQueryT,
  HeatmapT,
} from '../../api/schemas/habits.js';
import { keys } from '../../db/keys.js';
import { getEntity, listEntities } from '../../db/queries.js';
import { queryAll, type Item } from '../../db/table.js';
import { addDays, todayIn } from '../../utils/dates.js';
import { paginate, type PageRequest, type PageSlice } from '../../utils/paging.js';
import { timeZoneOf } from '../profile.js';
import { toHabit } from './index.js';
import { readHabitLogs } from './logs.js';
import { habitStrength } from './strength.js';
import { habitPeriodStart, habitStreaks, periodTarget, type DatedAmount } from './streaks.js';

const dated = (log: Item): DatedAmount => ({
  date: String(log.localDate),
  amount: (log.amount as number | null | undefined) ?? null,
});

/**
 * `HabitStats` as of today in the user's zone: `total` logs ever; `last7Days` / `last30Days`
 * logs on the last 7 / 30 local days (today included); `currentStreak` / `longestStreak` in
 * periods of the habit's frequency (days; Monday-based weeks for Weekly; months for Monthly;
 * a period counts when its summed amount reaches the target; today still open does not break
 * the current streak); `strength` 0–100 (`strength.ts`). Reads the habit's logs once.
 * @throws NotFoundError
 */
export async function habitStats(ctx: UserCtx, habitId: string): Promise<HabitStatsT> {
  const habit = toHabit(await getEntity(ctx.db, ctx.userId, 'HABIT', habitId));
  const [logs, timeZone] = await Promise.all([readHabitLogs(ctx, habitId), timeZoneOf(ctx)]);
  const today = todayIn(ctx.clock, timeZone);
  const days = logs.map(dated);
  const since = (n: number) => {
    const after = addDays(today, -n);
    return days.filter((d) => d.date > after && d.date <= today);
  };
  const streaks = habitStreaks(habit, days, today);
  return {
    total: days.length,
    last7Days: since(7).length,
    last30Days: since(30).length,
    currentStreak: streaks.current,
    longestStreak: streaks.longest,
    strength: habitStrength(habit, days, today),
  };
}

/**
 * `{localDate: number of logs}` for the local dates of calendar `year`, or `startDate`..`endDate`
 * (inclusive; a missing end is today, a missing start 364 days before the end — so a start after
 * today alone is an empty range), or by default the last 365 days ending today. Only days with
 * logs appear.
 * @throws NotFoundError
 */
export async function habitHeatmap(
  ctx: UserCtx,
  habitId: string,
  query: HeatmapQueryT,
): Promise<HeatmapT> {
  await getEntity(ctx.db, ctx.userId, 'HABIT', habitId);
  let range: { from: string; to: string };
  if (query.year !== undefined) {
    const year = String(query.year).padStart(4, '0');
    range = { from: `${year}-01-01`, to: `${year}-12-31` };
  } else {
    const to = query.endDate ?? todayIn(ctx.clock, await timeZoneOf(ctx));
    range = { from: query.startDate ?? addDays(to, -364), to };
  }
  const heatmap: HeatmapT = {};
  if (range.from > range.to) return heatmap; // a start after today, without an end
  for (const log of await readHabitLogs(ctx, habitId, range)) {
    const date = String(log.localDate);
    heatmap[date] = (heatmap[date] ?? 0) + 1;
  }
  return heatmap;
}

/**
 * The habits due today in the user's zone, with whether each is done (`HabitToday`, in creation
 * order). Due rule: only Active habits; Daily and Custom habits every day, `completed` when
 * today's summed amount reaches `dailyTarget` (default 1); Weekly (Monday-based week, target
 * `weeklyTarget`) and Monthly (target 1) habits while their period's target is not met — and on
 * the day a log meets it, so today's completion still shows — with `completed` = the period's
 * target is met. Two queries: the habits, and every habit log since the earlier of this week's
 * Monday and this month's first day (GSI1 `USER#{u}#HABITLOG`).
 */
export async function habitsToday(
  ctx: UserCtx,
  request: PageRequest,
): Promise<PageSlice<HabitTodayT>> {
  const timeZone = await timeZoneOf(ctx);
  const today = todayIn(ctx.clock, timeZone);
  const from = [
    habitPeriodStart({ frequency: 'Weekly' }, today),
    habitPeriodStart({ frequency: 'Monthly' }, today),
  ].sort()[0] as string;
  const [habits, logs] = await Promise.all([
    listEntities(ctx.db, ctx.userId, 'HABIT'),
    queryAll(ctx.db, {
      index: 'GSI1',
      pk: keys.childIndexPk(ctx.userId, 'HABITLOG'),
      sk: { between: [from, `${today}#~`] },
    }),
  ]);
  const due: HabitTodayT[] = [];
  for (const habit of habits.map(toHabit).filter((h) => h.status === 'Active')) {
    const start = habitPeriodStart(habit, today);
    const mine = logs.filter((l) => l.habitId === habit.id).map(dated);
    const done = mine.filter((l) => l.date >= start).reduce((s, l) => s + (l.amount ?? 1), 0);
    const completed = done >= periodTarget(habit);
    const everyDay = habit.frequency === 'Daily' || habit.frequency === 'Custom';
    if (everyDay || !completed || mine.some((l) => l.date === today)) {
      due.push({ habitId: habit.id, name: habit.name, completed, date: today });
    }
  }
  return paginate(due, request);
}
