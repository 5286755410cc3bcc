/** Worked examples of the task rules: point values (§e.1) and recurrence dates. */
import { describe, expect, it } from 'vitest';
import { taskPointValue } from '../../src/services/tasks/points.js';
import { nextOccurrence, occurrenceDate } from '../../src/services/tasks/recurrence.js';

describe('task point value (§e.1)', () => {
  it.each([
    // size, priority, area, worked out by hand from the formula
    [8, 'P2', 'Health', 374], // 8×20=160; ×1.5=240; ×1.3=312; ×1.2=374.4 → 374
    [null, 'P3', 'Operations', 120], // sp 5: 100 × 1.2 × 1.0 × 1.0
    [13, 'P1', 'Wealth', 936], // 260 × 2.0 × 1.2 × 1.5
    [21, 'P4', 'Day Job', 693], // 420 × 1.0 × 1.1 × 1.5 = 693
    [1, 'P4', 'Happiness', 22], // 20 × 1.1 = 22
    [5, 'P2', 'Love', 180], // 100 × 1.5 × 1.2
    [3, 'P1', 'Health', 156], // 60 × 2.0 × 1.3
  ])('size %s, %s, %s → %i points', (size, priority, area, expected) => {
    expect(taskPointValue(size, priority, area)).toBe(expected);
  });
});

describe('recurrence', () => {
  const monthly = { frequency: 'Monthly', interval: 1, endDate: null };

  it('anchors a monthly series on the 31st: clamps to month ends and returns to the 31st', () => {
    expect([0, 1, 2, 3, 4].map((n) => occurrenceDate('2026-01-31', monthly, n))).toEqual([
      '2026-01-31',
      '2026-02-28',
      '2026-03-31',
      '2026-04-30',
      '2026-05-31',
    ]);
    expect(occurrenceDate('2024-01-31', monthly, 1)).toBe('2024-02-29');
  });

  it('keeps a yearly Feb 29 series on Feb 28 in common years and Feb 29 in leap years', () => {
    const yearly = { frequency: 'Yearly', interval: 1, endDate: null };
    expect([1, 2, 3, 4].map((n) => occurrenceDate('2024-02-29', yearly, n))).toEqual([
      '2025-02-28',
      '2026-02-28',
      '2027-02-28',
      '2028-02-29',
    ]);
  });

  it('steps daily and weekly by the interval, across month and year ends', () => {
    expect(
      occurrenceDate('2026-12-30', { frequency: 'Daily', interval: 3, endDate: null }, 1),
    ).toBe('2027-01-02');
    expect(
      occurrenceDate('2026-11-29', { frequency: 'Weekly', interval: 2, endDate: null }, 2),
    ).toBe('2026-12-27');
    expect(
      occurrenceDate('2026-11-30', { frequency: 'Monthly', interval: 3, endDate: null }, 1),
    ).toBe('2027-02-28');
  });

  it('stops after the end date, which is inclusive', () => {
    const rule = { frequency: 'Weekly', interval: 1, endDate: '2026-12-13' };
    expect(nextOccurrence('2026-11-29', rule, 2)).toBe('2026-12-13');
    expect(nextOccurrence('2026-11-29', rule, 3)).toBeNull();
  });

  it('ends a series past the last supported date, 9998-12-31', () => {
    const millennia = { frequency: 'Yearly', interval: 1000, endDate: null };
    // 8026 + 1000 = 9026 is supported; 10026 is not (it has no fixed-width ISO form).
    expect(nextOccurrence('8026-07-14', millennia, 1)).toBe('9026-07-14');
    expect(nextOccurrence('8026-07-14', millennia, 2)).toBeNull();
  });
});
