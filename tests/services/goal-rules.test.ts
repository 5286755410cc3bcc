/**
 * Worked examples of the goal progress formula (§e.7), goal health (§e.8) and project health
 * (§e.11). Every expected value is worked out by hand in the comments.
 */
import { describe, expect, it } from 'vitest';
import {
  goalHealth,
  progressBreakdown,
  type ProgressInputs,
} from '../../src/services/goals/rules.js';
import { projectHealth, type ProjectHealthInput } from '../../src/services/projects/health.js';

const done = { isCompleted: true };
const open = { isCompleted: false };
const none: ProgressInputs = { criteria: [], taskStatuses: [], metrics: [], habits: [] };
const weights = (
  c: number,
  t: number,
  m: number,
  h: number,
  manualOverride: number | null = null,
) => ({
  criteriaWeight: c,
  tasksWeight: t,
  metricsWeight: m,
  habitsWeight: h,
  manualOverride,
});

describe('goal progress (§e.7)', () => {
  const acceptance: ProgressInputs = {
    criteria: [done, done, open, open], // 2/4 = 50 %
    taskStatuses: ['Done', 'In Progress'], // 1/2 = 50 %
    metrics: [
      { direction: 'Higher', targetValue: 100, currentValue: 95 }, // 95 ≥ 90 → at target
      { direction: 'Lower', targetValue: 50, currentValue: 70 }, // 70 > 55 → not
    ], // 1/2 = 50 %
    habits: [{ consistency: 50, currentStreak: 15 }], // 50 %
  };

  it('reads 50 for the acceptance example with default weights', () => {
    // (50×40 + 50×30 + 50×20 + 50×10) / 100 = 50
    expect(progressBreakdown(acceptance, null)).toEqual({
      overall: 50,
      criteria: { completed: 2, total: 4, percentage: 50 },
      tasks: { completed: 1, total: 2, percentage: 50 },
      metrics: { atTarget: 1, total: 2, percentage: 50 },
      habits: { streakDays: 15, consistency: 50 },
    });
  });

  it('reads 65 once the second task is done', () => {
    // (50×40 + 100×30 + 50×20 + 50×10) / 100 = (2000 + 3000 + 1000 + 500) / 100 = 65
    const inputs = { ...acceptance, taskStatuses: ['Done', 'Done'] };
    expect(progressBreakdown(inputs, null).overall).toBe(65);
  });

  it('counts empty parts as 0 in the denominator', () => {
    // criteria 1/1 = 100 %, nothing else: 100×40 / (40+30+20+10) = 40
    expect(progressBreakdown({ ...none, criteria: [done] }, null).overall).toBe(40);
    expect(progressBreakdown(none, null)).toEqual({
      overall: 0,
      criteria: { completed: 0, total: 0, percentage: 0 },
      tasks: { completed: 0, total: 0, percentage: 0 },
      metrics: { atTarget: 0, total: 0, percentage: 0 },
      habits: { streakDays: 0, consistency: 0 },
    });
  });

  it('uses the goal’s own weights, whatever they sum to, rounding halves up', () => {
    const inputs = {
      ...none,
      criteria: [done, open, open, open], // 25 %
      taskStatuses: ['Done', 'Done', 'Done', 'Blocked'], // 75 %
    };
    // (25×50 + 75×50) / 100 = 50
    expect(progressBreakdown(inputs, weights(50, 50, 0, 0)).overall).toBe(50);
    // (25×10 + 75×30) / 40 = (250 + 2250) / 40 = 62.5 → 63
    expect(progressBreakdown(inputs, weights(10, 30, 0, 0)).overall).toBe(63);
    // 1/3 criteria with weights 1/1/1/1: (33.33…×1) / 4 = 8.33 → 8; shown as 33.33
    const third = progressBreakdown({ ...none, criteria: [done, open, open] }, weights(1, 1, 1, 1));
    expect(third.overall).toBe(8);
    expect(third.criteria.percentage).toBe(33.33);
  });

  it('judges metrics by direction: Higher ≥ 0.9 t, Lower ≤ 1.1 t, Target within ±10 %', () => {
    const metrics = [
      { direction: 'Higher', targetValue: 200, currentValue: 180 }, // 180 ≥ 180 ✓
      { direction: 'Higher', targetValue: 200, currentValue: 179 }, // ✗
      { direction: 'Lower', targetValue: 50, currentValue: 55 }, // 55 ≤ 55 ✓
      { direction: 'Lower', targetValue: 50, currentValue: 56 }, // ✗
      { direction: 'Target', targetValue: 100, currentValue: 90 }, // |−10| ≤ 10 ✓
      { direction: 'Target', targetValue: 100, currentValue: 111 }, // |11| > 10 ✗
      { direction: 'Higher', targetValue: null, currentValue: 500 }, // no target ✗
      { direction: 'Lower', targetValue: 10, currentValue: null }, // never logged ✗
    ];
    const result = progressBreakdown({ ...none, metrics }, weights(0, 0, 100, 0));
    // 3 of 8 at target = 37.5 % → overall round(37.5) = 38
    expect(result.metrics).toEqual({ atTarget: 3, total: 8, percentage: 37.5 });
    expect(result.overall).toBe(38);
  });

  it('averages habit consistency and reports the longest current streak', () => {
    const habits = [
      { consistency: 40, currentStreak: 3 },
      { consistency: 70, currentStreak: 9 },
    ];
    // (40 + 70) / 2 = 55; with only the habit weight, overall 55
    expect(progressBreakdown({ ...none, habits }, weights(0, 0, 0, 10)).habits).toEqual({
      streakDays: 9,
      consistency: 55,
    });
    // default weights: 55×10 / 100 = 5.5 → 6
    expect(progressBreakdown({ ...none, habits }, null).overall).toBe(6);
  });

  it('lets manualOverride decide the overall while still reporting the parts', () => {
    const result = progressBreakdown(
      { ...none, criteria: [done, open] },
      weights(40, 30, 20, 10, 72.5),
    );
    expect(result.overall).toBe(73); // round(72.5)
    expect(result.criteria.percentage).toBe(50);
  });
});

describe('goal health (§e.8)', () => {
  // Created March 1, target March 31: a 30-day span. On March 16, 15 days elapsed → expected 50 %.
  const base = {
    createdAt: '2026-03-01T12:00:00.000Z',
    lastActivityAt: '2026-03-15T09:00:00.000Z',
    targetDate: '2026-03-31',
    now: new Date('2026-03-16T12:00:00.000Z'),
    timeZone: 'UTC',
  };

  it.each([
    [40, 'healthy'], // 40 is not < 50 − 10
    [39, 'at_risk'], // 39 < 40
    [30, 'at_risk'], // 30 is not < 50 − 20
    [29, 'behind'], // 29 < 30
  ])('overall %d against expected 50 is %s', (overall, status) => {
    expect(goalHealth({ ...base, overall })).toEqual({
      status,
      daysRemaining: 15, // March 16 → March 31
      expected: 50,
      actual: overall,
      daysSinceActivity: 1,
    });
  });

  it('is dormant after more than 7 local days without activity, from createdAt when none', () => {
    const quiet = { ...base, lastActivityAt: null, overall: 100 };
    // March 1 → March 8 = 7 days: still active (expected 7/30 = 23.33 %)
    expect(goalHealth({ ...quiet, now: new Date('2026-03-08T23:00:00.000Z') })).toMatchObject({
      status: 'healthy',
      daysSinceActivity: 7,
      expected: 23.33,
    });
    // March 1 → March 9 = 8 days: dormant, whatever the progress
    expect(goalHealth({ ...quiet, now: new Date('2026-03-09T00:30:00.000Z') })).toMatchObject({
      status: 'dormant',
      daysSinceActivity: 8,
    });
  });

  it('counts days on the user’s calendar, across a DST change', () => {
    // Los Angeles: 2026-03-01T20:00Z is March 1 (12:00 PST); 2026-03-09T05:00Z is March 8
    // (22:00 PDT, clocks moved forward that morning). 7 local days, though 8 UTC dates apart.
    const input = {
      ...base,
      overall: 0,
      targetDate: null,
      lastActivityAt: '2026-03-01T20:00:00.000Z',
      now: new Date('2026-03-09T05:00:00.000Z'),
      timeZone: 'America/Los_Angeles',
    };
    expect(goalHealth(input)).toEqual({
      status: 'healthy', // no target date: never behind
      daysRemaining: null,
      expected: null,
      actual: 0,
      daysSinceActivity: 7,
    });
    expect(goalHealth({ ...input, timeZone: 'UTC' }).status).toBe('dormant');
  });

  it('expects 100 % once the target date is not after the creation date', () => {
    const late = { ...base, targetDate: '2026-02-20', overall: 85 };
    // expected 100: 85 < 90 → at_risk; March 16 → February 20 = −24 days
    expect(goalHealth(late)).toMatchObject({
      status: 'at_risk',
      expected: 100,
      daysRemaining: -24,
    });
  });
});

describe('project health (§e.11)', () => {
  // Schedule March 1 → March 31 (30 days); on March 16 the elapsed share is 15/30 = 50 %.
  const base: ProjectHealthInput = {
    status: 'Active',
    startDate: '2026-03-01',
    targetEndDate: '2026-03-31',
    createdDate: '2026-02-20',
    taskStatuses: [],
    goals: [],
    today: '2026-03-16',
  };
  const tasks = (doneCount: number, total: number, other = 'Not Started') =>
    Array.from({ length: total }, (_, i) => (i < doneCount ? 'Done' : other));

  it('is green on schedule, yellow 10 points behind, green 9.99 behind', () => {
    // 2/4 = 50 %: 50 − 50 = 0 → green
    expect(projectHealth({ ...base, taskStatuses: tasks(2, 4) })).toEqual({
      status: 'green',
      tasksCompleted: 2,
      tasksTotal: 4,
      percentComplete: 50,
    });
    // 2/5 = 40 %: 40 − 50 = −10 ≤ −10 → yellow
    expect(projectHealth({ ...base, taskStatuses: tasks(2, 5) }).status).toBe('yellow');
    // 3/7 = 42.86 %: −7.14 → green
    expect(projectHealth({ ...base, taskStatuses: tasks(3, 7) })).toMatchObject({
      status: 'green',
      percentComplete: 42.86,
    });
  });

  it('is red when overdue or when a task is blocked', () => {
    // April 1 is past March 31 and 1/2 < 100 %
    expect(projectHealth({ ...base, taskStatuses: tasks(1, 2), today: '2026-04-01' }).status).toBe(
      'red',
    );
    // On the end date itself it is not overdue yet, but 50 − 100 = −50 → yellow
    expect(projectHealth({ ...base, taskStatuses: tasks(1, 2), today: '2026-03-31' }).status).toBe(
      'yellow',
    );
    // On schedule (2/4) but one task Blocked → red
    expect(projectHealth({ ...base, taskStatuses: tasks(2, 4, 'Blocked') }).status).toBe('red');
  });

  it('never calls complete work overdue or behind', () => {
    const late = { ...base, taskStatuses: tasks(1, 2), today: '2026-04-01' };
    expect(projectHealth({ ...late, status: 'Completed' }).status).toBe('green');
    expect(projectHealth({ ...late, taskStatuses: tasks(2, 2) })).toMatchObject({
      status: 'green',
      percentComplete: 100,
    });
  });

  it('without tasks, averages the criteria completion of the linked goals', () => {
    const goals = [
      { status: 'Active', criteria: [{ isCompleted: true }, { isCompleted: false }] }, // 50 %
      { status: 'Active', criteria: [] }, // 0 %
    ];
    // (50 + 0) / 2 = 25 %: 25 − 50 = −25 → yellow
    expect(projectHealth({ ...base, goals })).toEqual({
      status: 'yellow',
      tasksCompleted: 0,
      tasksTotal: 0,
      percentComplete: 25,
    });
    // Every linked goal Achieved: the work is complete, never overdue
    const achieved = goals.map((g) => ({ ...g, status: 'Achieved' }));
    expect(projectHealth({ ...base, goals: achieved, today: '2026-05-01' }).status).toBe('green');
  });

  it('runs the schedule from the creation date without a start date, and has none without an end', () => {
    // February 20 → March 31 = 39 days; February 20 → March 16 = 24 → 61.54 %; 1/2 = 50 → −11.54
    expect(projectHealth({ ...base, startDate: null, taskStatuses: tasks(1, 2) }).status).toBe(
      'yellow',
    );
    expect(projectHealth({ ...base, targetEndDate: null, taskStatuses: tasks(0, 3) }).status).toBe(
      'green',
    );
  });
});
