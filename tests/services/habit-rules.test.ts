/** Worked examples of the habit streak, rate and strength rules, and of metric target rules. */
import { describe, expect, it } from 'vitest';
import { habitStrength } from '../../src/services/habits/strength.js';
import { completionRate, habitStreaks } from '../../src/services/habits/streaks.js';
import {
  isAtTarget,
  isImprovement,
  isOnTrack,
  targetProgress,
  targetRemaining,
} from '../../src/services/metrics/targets.js';
import { addDays } from '../../src/utils/dates.js';

const day = (date: string, amount: number | null = null) => ({ date, amount });
const daily = { frequency: 'Daily' };

describe('habit streaks', () => {
  it('counts consecutive days ending today', () => {
    const logs = [day('2026-07-13'), day('2026-07-14'), day('2026-07-15')];
    expect(habitStreaks(daily, logs, '2026-07-15')).toEqual({ current: 3, longest: 3 });
  });

  it('does not break the streak while today is still open, but does after a missed day', () => {
    const logs = [day('2026-07-13'), day('2026-07-14')];
    expect(habitStreaks(daily, logs, '2026-07-15')).toEqual({ current: 2, longest: 2 });
    expect(habitStreaks(daily, logs, '2026-07-16')).toEqual({ current: 0, longest: 2 });
  });

  it('does not extend the streak with duplicate logs on one day', () => {
    const logs = [day('2026-07-14'), day('2026-07-14'), day('2026-07-14'), day('2026-07-15')];
    expect(habitStreaks(daily, logs, '2026-07-15')).toEqual({ current: 2, longest: 2 });
  });

  it('counts a day only when the summed amount reaches the daily target', () => {
    const habit = { frequency: 'Daily', dailyTarget: 8 };
    const logs = [
      day('2026-07-13', 8),
      day('2026-07-14', 3),
      day('2026-07-14', 5),
      day('2026-07-15', 7),
    ];
    // 13: 8 ✓, 14: 3+5 = 8 ✓, 15: 7 ✗ (still open) → current 2 ending yesterday
    expect(habitStreaks(habit, logs, '2026-07-15')).toEqual({ current: 2, longest: 2 });
  });

  it('finds the longest run anywhere in the history, across a month end', () => {
    const logs = [
      '2026-05-30',
      '2026-05-31',
      '2026-06-01',
      '2026-06-02',
      '2026-06-10',
      '2026-06-11',
    ].map((d) => day(d));
    expect(habitStreaks(daily, logs, '2026-06-11')).toEqual({ current: 2, longest: 4 });
  });

  it('counts Monday-based weeks that reach the weekly target for weekly habits', () => {
    const habit = { frequency: 'Weekly', weeklyTarget: 2 };
    // Week of Mon 2026-07-06: 2 logs ✓; week of 07-13: 2 logs ✓; week of 07-20 (current): 1 log, open.
    const logs = [
      day('2026-07-06'),
      day('2026-07-12'),
      day('2026-07-13'),
      day('2026-07-19'),
      day('2026-07-20'),
    ];
    expect(habitStreaks(habit, logs, '2026-07-21')).toEqual({ current: 2, longest: 2 });
    // Sunday 07-12 and Monday 07-13 are in different weeks.
    expect(habitStreaks(habit, [day('2026-07-12'), day('2026-07-13')], '2026-07-13')).toEqual({
      current: 0,
      longest: 0,
    });
  });
});

describe('habit completion rate', () => {
  it('is the kept share of the expected days, each day capped at its target', () => {
    const habit = { frequency: 'Daily', dailyTarget: 2 };
    // 4 days × 2 = 8 expected; kept: 2 (capped from 5) + 1 + 0 + 2 = 5 → 0.625
    const logs = [day('2026-07-01', 5), day('2026-07-02', 1), day('2026-07-04', 2)];
    expect(completionRate(habit, logs, '2026-07-01', '2026-07-04')).toBe(0.625);
  });

  it('uses weeks × weeklyTarget for weekly habits', () => {
    const habit = { frequency: 'Weekly', weeklyTarget: 3 };
    // Window Mon 07-06 .. Sun 07-19 = 2 weeks × 3 = 6; kept 3 + 1 = 4 → 2/3
    const logs = [
      day('2026-07-06'),
      day('2026-07-07'),
      day('2026-07-08'),
      day('2026-07-09'),
      day('2026-07-15'),
    ];
    expect(completionRate(habit, logs, '2026-07-06', '2026-07-19')).toBeCloseTo(4 / 6, 10);
  });
});

describe('metric targets', () => {
  it.each([
    ['Higher', 90, 100, true],
    ['Higher', 89.9, 100, false],
    ['Lower', 110, 100, true],
    ['Lower', 110.1, 100, false],
    ['Target', 95, 100, true],
    ['Target', 111, 100, false],
  ])('%s: %d vs target %d at target → %s (§e.7)', (direction, value, target, expected) => {
    expect(isAtTarget(direction, value, target)).toBe(expected);
  });

  it('is never at target without a target', () => {
    expect(isAtTarget('Higher', 100, null)).toBe(false);
  });

  it.each([
    ['Higher', 50, 200, 25],
    ['Higher', 300, 200, 100],
    ['Lower', 80, 60, 75],
    ['Lower', 50, 60, 100],
    ['Target', 105, 100, 50], // 100 − 5 / 10 × 100
    ['Target', 130, 100, 0],
  ])('%s: progress of %d toward %d is %d %% (§e.9)', (direction, value, target, expected) => {
    expect(targetProgress(direction, value, target)).toBeCloseTo(expected, 10);
  });
});

describe('metric progress for display (§e.9)', () => {
  it.each([
    ['Higher', 80, 100, true, 20], // 80 ≥ 0.8 × 100; 20 to go
    ['Higher', 79, 100, false, 21],
    ['Lower', 72, 60, true, 12], // 72 ≤ 1.2 × 60; 12 to lose
    ['Lower', 73, 60, false, 13],
    ['Target', 109, 100, true, 9], // within ±10 %
    ['Target', 89, 100, false, 11],
  ] as const)(
    '%s: %d toward %d is on track → %s, %d remaining',
    (direction, value, target, onTrack, remaining) => {
      expect(isOnTrack(direction, value, target)).toBe(onTrack);
      expect(targetRemaining(direction, value, target)).toBe(remaining);
    },
  );

  it('reads improvement by direction', () => {
    expect(isImprovement('Higher', 5, 6, null)).toBe(true);
    expect(isImprovement('Lower', 5, 6, null)).toBe(false);
    expect(isImprovement('Target', 90, 95, 100)).toBe(true); // 10 away → 5 away
    expect(isImprovement('Target', 95, 106, 100)).toBe(false); // 5 away → 6 away
    expect(isImprovement('Target', 90, 95, null)).toBe(false);
    expect(isOnTrack('Higher', null, 10)).toBe(false);
    expect(targetRemaining('Higher', 120, 100)).toBe(0);
  });
});

describe('habit strength (Loop Habit Tracker score)', () => {
  // m = 0.5^(√f / 13); a daily habit has f = 1, so m^13 = 0.5.
  const m = 0.5 ** (1 / 13);
  const days = (n: number, endingDaysAgo = 0, amount: number | null = null) =>
    Array.from({ length: n }, (_, i) => day(addDays('2026-07-26', -endingDaysAgo - i), amount));

  it('reaches 50 after 13 daily check-ins and 75 after 26', () => {
    expect(habitStrength(daily, days(13), '2026-07-26')).toBe(50); // 1 − m^13
    expect(habitStrength(daily, days(26), '2026-07-26')).toBe(75); // 1 − m^26
    expect(habitStrength(daily, [], '2026-07-26')).toBe(0);
  });

  it('decays by m per missed day, but not for today while it is open', () => {
    // 13 days done ending yesterday, today open → still 50
    expect(habitStrength(daily, days(13, 1), '2026-07-26')).toBe(50);
    // 13 days done ending 13 days ago, 12 missed days since (today open): 0.5 × m^12 = 0.2637
    expect(habitStrength(daily, days(13, 13), '2026-07-26')).toBe(Math.round(50 * m ** 12));
    expect(Math.round(50 * m ** 12)).toBe(26);
  });

  it('counts a partial day toward the daily target', () => {
    // dailyTarget 2, one glass a day for 13 days: checkmark 0.5 → 0.5 × (1 − m^13) = 25
    expect(habitStrength({ frequency: 'Daily', dailyTarget: 2 }, days(13), '2026-07-26')).toBe(25);
  });

  it('rolls a 7-day window for weekly habits (f = weeklyTarget / 7)', () => {
    // 3 per week, done Mon–Wed, today Wed: checkmarks 1/3, 2/3, 1 with mw = 0.5^(√(3/7)/13):
    // s = ((1/3 (1 − mw)) mw + 2/3 (1 − mw)) mw + (1 − mw) = 0.06705 → 7
    const habit = { frequency: 'Weekly', weeklyTarget: 3 };
    const logs = [day('2026-07-20'), day('2026-07-21'), day('2026-07-22')];
    expect(habitStrength(habit, logs, '2026-07-22')).toBe(7);
  });
});
