/**
 * Habit strength: the score of Loop Habit Tracker (iSoron/uhabits, `Score.compute` in
 * `uhabits-core/.../core/models/Score.kt`, rolled day by day as in `ScoreList`), an exponential
 * moving average of how fully each local day's period was done:
 *
 *     score_d = score_(d−1) × m + c_d × (1 − m),   m = 0.5 ^ (√f / 13)
 *
 * - f, the habit's frequency in repetitions per day: Daily and Custom 1, Weekly
 *   min(weeklyTarget, 7) / 7, Monthly 1 / 30 (Loop's `Frequency(numerator, denominator)`);
 * - c_d ∈ [0, 1], the checkmark value: min(1, sum of the amounts (a log without amount counts 1)
 *   logged on the local days of the window ending on d ÷ the period target), the window being
 *   Loop's denominator — 1 day (Daily, Custom; target `dailyTarget`), 7 days (Weekly; target
 *   `weeklyTarget`), 30 days (Monthly; target 1).
 *
 * The score starts at 0 on the first logged day and runs to today — today only once it has a log,
 * so an open day does not lower it (the streaks' rule). A daily habit done every day for 13 days
 * scores 1 − 0.5 = 50 %, for 26 days 75 %; every missed day multiplies the score by m ≈ 0.948.
 * Result: round(100 × score), an integer 0–100.
 */
import { Temporal } from 'temporal-polyfill';
import { periodTarget, type DatedAmount, type HabitCadence } from './streaks.js';

const EPOCH = Temporal.PlainDate.from('1970-01-01');

/** Days since 1970-01-01 of local date `date` (calendar arithmetic, no time zone involved). */
function dayNumber(date: string): number {
  return Temporal.PlainDate.from(date).since(EPOCH).days;
}

/** Loop's frequency (repetitions per day) and rolling window (days) for a habit. */
function cadence(habit: HabitCadence): { frequency: number; window: number } {
  if (habit.frequency === 'Weekly') {
    return { frequency: Math.min(periodTarget(habit), 7) / 7, window: 7 };
  }
  if (habit.frequency === 'Monthly') return { frequency: 1 / 30, window: 30 };
  return { frequency: 1, window: 1 };
}

/** Strength 0–100 of a habit with `logs` (local dates and amounts) as of local date `today`. */
export function habitStrength(habit: HabitCadence, logs: DatedAmount[], today: string): number {
  const sums = new Map<number, number>();
  for (const log of logs) {
    const day = dayNumber(log.date);
    sums.set(day, (sums.get(day) ?? 0) + (log.amount ?? 1));
  }
  if (sums.size === 0) return 0;
  const { frequency, window } = cadence(habit);
  const target = periodTarget(habit);
  const multiplier = 0.5 ** (Math.sqrt(frequency) / 13);
  const todayNumber = dayNumber(today);
  const last = sums.has(todayNumber) ? todayNumber : todayNumber - 1;
  let first = todayNumber;
  for (const day of sums.keys()) first = Math.min(first, day);
  let score = 0;
  let rolling = 0;
  for (let day = first; day <= last; day++) {
    rolling += (sums.get(day) ?? 0) - (sums.get(day - window) ?? 0);
    score = score * multiplier + Math.min(1, rolling / target) * (1 - multiplier);
  }
  return Math.round(Math.min(1, Math.max(0, score)) * 100);
}
