/**
 * Habit streaks and completion rates on the user's local calendar (API_CONTRACT.md §e.10,
 * DESIGN.md §4). Pure functions over the habit's logs, each carrying the local date it was
 * written for.
 *
 * A *period* is a local day (Daily and Custom habits), an ISO week starting on Monday (Weekly)
 * or a calendar month (Monthly). A period is *kept* when the summed `amount` of its logs
 * (a log without amount counts 1) reaches the target: `dailyTarget` for days (default 1),
 * `weeklyTarget` for weeks (default 1), 1 for months. Several logs on one day add up toward the
 * target but never count the day twice.
 *
 * Current streak: consecutive kept periods ending with the current one — or, while the current
 * period is not kept yet, ending with the previous one (today still open does not break it).
 * Longest streak: the longest run of consecutive kept periods in the whole history.
 */
import { Temporal } from 'temporal-polyfill';
import { addDays, startOfWeek } from '../../utils/dates.js';

/** The fields of a habit the rules read. */
export interface HabitCadence {
  frequency: string;
  dailyTarget?: number | null;
  weeklyTarget?: number | null;
}

/** A log reduced to what the rules read: its local date and amount (null = 1). */
export interface DatedAmount {
  date: string;
  amount: number | null;
}

/** Streak lengths in periods (days, weeks or months, by frequency). */
export interface Streaks {
  current: number;
  longest: number;
}

type Unit = 'day' | 'week' | 'month';

function unitOf(habit: HabitCadence): Unit {
  if (habit.frequency === 'Weekly') return 'week';
  if (habit.frequency === 'Monthly') return 'month';
  return 'day';
}

/** The target amount of one period of the habit. */
export function periodTarget(habit: HabitCadence): number {
  const unit = unitOf(habit);
  const target = unit === 'day' ? habit.dailyTarget : unit === 'week' ? habit.weeklyTarget : 1;
  return target != null && target > 0 ? target : 1;
}

/** The first local date of the habit's period (day, Monday-based week or month) containing `date`. */
export function habitPeriodStart(habit: HabitCadence, date: string): string {
  return periodStart(date, unitOf(habit));
}

/** The first local date of the period of `unit` containing `date`. */
function periodStart(date: string, unit: Unit): string {
  if (unit === 'day') return date;
  if (unit === 'week') return startOfWeek(date);
  return `${date.slice(0, 7)}-01`;
}

/** The start of the period after the one starting at `start`. */
function nextPeriod(start: string, unit: Unit, step = 1): string {
  if (unit === 'day') return addDays(start, step);
  if (unit === 'week') return addDays(start, 7 * step);
  return Temporal.PlainDate.from(start).add({ months: step }).toString();
}

/** Summed amount per period start. */
function totals(logs: DatedAmount[], unit: Unit): Map<string, number> {
  const sums = new Map<string, number>();
  for (const log of logs) {
    const key = periodStart(log.date, unit);
    sums.set(key, (sums.get(key) ?? 0) + (log.amount ?? 1));
  }
  return sums;
}

/** Current and longest streak of a habit as of local date `today`. */
export function habitStreaks(habit: HabitCadence, logs: DatedAmount[], today: string): Streaks {
  const unit = unitOf(habit);
  const target = periodTarget(habit);
  const sums = totals(logs, unit);
  const kept = (start: string) => (sums.get(start) ?? 0) >= target;

  let longest = 0;
  const keptStarts = [...sums.keys()].filter(kept).sort();
  let run = 0;
  let previous: string | null = null;
  for (const start of keptStarts) {
    run = previous !== null && nextPeriod(previous, unit) === start ? run + 1 : 1;
    longest = Math.max(longest, run);
    previous = start;
  }

  let cursor = periodStart(today, unit);
  if (!kept(cursor)) cursor = nextPeriod(cursor, unit, -1);
  let current = 0;
  while (kept(cursor)) {
    current += 1;
    cursor = nextPeriod(cursor, unit, -1);
  }
  return { current, longest };
}

/**
 * Completion rate in [0, 1] over the local dates `from`..`to` (inclusive): the kept share of the
 * expected amount, each period's amount capped at its target so one big day cannot hide missed
 * ones. Expected = periods × target, counting every period that overlaps the window (§e.10:
 * days × dailyTarget, or weeks × weeklyTarget). 0 for an empty window.
 */
export function completionRate(
  habit: HabitCadence,
  logs: DatedAmount[],
  from: string,
  to: string,
): number {
  if (from > to) return 0;
  const unit = unitOf(habit);
  const target = periodTarget(habit);
  const sums = totals(
    logs.filter((l) => l.date >= from && l.date <= to),
    unit,
  );
  let periods = 0;
  let achieved = 0;
  for (let start = periodStart(from, unit); start <= to; start = nextPeriod(start, unit)) {
    periods += 1;
    achieved += Math.min(sums.get(start) ?? 0, target);
  }
  return periods === 0 ? 0 : achieved / (periods * target);
}
