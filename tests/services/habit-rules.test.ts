/** Worked examples of the habit streak and rate rules, and of metric target rules. */
import { describe, expect, it } from 'vitest';
import { completionRate, habitStreaks } from '../../src/services/habits/streaks.js';
import { isAtTarget, targetProgress } from '../../src/services/metrics/targets.js';

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
