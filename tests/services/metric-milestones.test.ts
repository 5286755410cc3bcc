/** Worked examples of metric milestone detection and points (API_CONTRACT.md §e.9). */
import { describe, expect, it } from 'vitest';
import {
  detectMilestones,
  improvementPercent,
  milestonePoints,
  type MilestoneInput,
} from '../../src/services/metrics/milestones.js';
import { addDays } from '../../src/utils/dates.js';

const today = '2026-07-15';
/** The `n` local days ending `daysAgo` days before today. */
const run = (n: number, daysAgo = 0) =>
  Array.from({ length: n }, (_, i) => addDays(today, -daysAgo - i));
const base: MilestoneInput = {
  direction: 'Higher',
  targetValue: null,
  latestValue: 1,
  firstValue: 1,
  logCount: 1,
  loggedDates: [today],
  today,
};
const kinds = (input: Partial<MilestoneInput>) =>
  detectMilestones({ ...base, ...input }).map((h) => `${h.type}:${h.value}:${h.points}`);

describe('milestone points (§e.9 table)', () => {
  it.each([
    ['target_reached', 150, 300], // 200 × 1.5 (target > 100)
    ['target_reached', 100, 240], // 200 × 1.2 (target > 50)
    ['target_reached', 40, 200], // 200 × 1.0
    ['streak', 7, 350],
    ['streak', 30, 1500],
    ['streak', 100, 5000],
    ['streak', 12, 600], // other lengths: 50 per day
    ['improvement', 25, 500],
    ['consistency', 30, 750],
    ['consistency', 14, 350], // other N: 25 per day
  ] as const)('%s %d is worth %d points', (type, value, points) => {
    expect(milestonePoints(type, value)).toBe(points);
  });
});

describe('milestone detection', () => {
  it('finds target, 7-day streak, improvement and consistency for a rising metric', () => {
    expect(
      kinds({
        targetValue: 100,
        latestValue: 100,
        firstValue: 50,
        logCount: 7,
        loggedDates: run(7),
      }),
    ).toEqual([
      'target_reached:100:240',
      'streak:7:350',
      'improvement:10:200', // (100 − 50) / 50 = +100 %: every threshold
      'improvement:25:500',
      'improvement:50:1000',
      'consistency:7:175',
    ]);
  });

  it('reads improvement and target by direction', () => {
    // Lower: 100 → 80 is (100 − 80) / 100 = 20 % better; at target 80 (80 ≤ 80)
    expect(
      kinds({ direction: 'Lower', targetValue: 80, latestValue: 80, firstValue: 100, logCount: 2 }),
    ).toEqual(['target_reached:80:240', 'improvement:10:200']);
    // Higher 100 → 80 is worse: nothing
    expect(kinds({ latestValue: 80, firstValue: 100, logCount: 2 })).toEqual([]);
    // Target 70: from 90 (20 away) to 75 (5 away) closes 75 % of the gap; progress 100 − 5/7 × 100 < 100
    expect(
      kinds({ direction: 'Target', targetValue: 70, latestValue: 75, firstValue: 90, logCount: 2 }),
    ).toEqual(['improvement:10:200', 'improvement:25:500', 'improvement:50:1000']);
    expect(improvementPercent('Target', 90, 75, 70)).toBeCloseTo(75, 10);
    expect(improvementPercent('Higher', -10, -5, null)).toBeCloseTo(50, 10); // base |−10|
  });

  it('needs two logs and a non-zero first value for improvement', () => {
    expect(kinds({ latestValue: 10, firstValue: 0, logCount: 3 })).toEqual([]);
    expect(kinds({ latestValue: 10, firstValue: 5, logCount: 1 })).toEqual([]);
  });

  it('keeps a streak while today is open, but consistency needs today', () => {
    // Logged the 7 days before today, not today: streak 7 (today still open), consistency no.
    expect(kinds({ loggedDates: run(7, 1) })).toEqual(['streak:7:350']);
    // A gap two days ago: streak 1, consistency no.
    expect(kinds({ loggedDates: [...run(1), ...run(6, 2)] })).toEqual([]);
  });

  it('records every threshold a long streak passes', () => {
    expect(kinds({ loggedDates: run(35) })).toEqual([
      'streak:7:350',
      'streak:30:1500',
      'consistency:7:175',
      'consistency:30:750',
    ]);
    expect(kinds({ loggedDates: run(100) })).toContain('streak:100:5000');
  });
});
