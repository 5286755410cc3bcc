/**
 * Worked examples of the metric statistics (trend, least-squares prediction, Pearson with lags
 * and p-values, modified z-scores) and fast-check properties: no NaN or Infinity ever, streaks
 * never longer than the logged days.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { computeMetricAnalytics } from '../../src/services/metrics/analytics.js';
import { habitStreaks } from '../../src/services/habits/streaks.js';
import {
  bestLagCorrelation,
  correlationPValue,
  localDayNumber,
  prediction,
  robustZScores,
  trend,
} from '../../src/utils/analytics.js';

const at = (iso: string, value: number) => ({ at: iso, value });
const series = [
  at('2026-07-01T09:00:00.000Z', 10),
  at('2026-07-03T09:00:00.000Z', 14),
  at('2026-07-04T09:00:00.000Z', 20),
];
const now = '2026-07-04T09:00:00.000Z';

describe('trend', () => {
  it('compares the last two logs per local day, and the pair before for acceleration', () => {
    const t = trend(series, 'UTC');
    expect(t.current).toBe(20);
    expect(t.previous).toBe(14);
    expect(t.change).toBe(6);
    expect(t.changePercent).toBeCloseTo((6 / 14) * 100, 10); // 42.857 %
    expect(t.velocity).toBeCloseTo(6, 10); // +6 over 1 day
    expect(t.acceleration).toBeCloseTo(4, 10); // 6/day − (14 − 10)/2 days = 6 − 2
  });

  it('counts a local day as one day across a DST change (Berlin, 29 March 2026: 23 hours)', () => {
    // 12:00 CET (11:00Z) on the 28th, 12:00 CEST (10:00Z) on the 29th: 23 hours, one local day.
    const t = trend(
      [at('2026-03-28T11:00:00.000Z', 10), at('2026-03-29T10:00:00.000Z', 12)],
      'Europe/Berlin',
    );
    expect(t.velocity).toBeCloseTo(2, 10); // not 2 / (23/24) = 2.087
    expect(localDayNumber('2026-03-29T10:00:00.000Z', 'Europe/Berlin') % 1).toBeCloseTo(0.5, 10);
  });

  it('is all zeros without logs, and flat with one', () => {
    expect(trend([], 'UTC')).toEqual({
      current: 0,
      previous: 0,
      change: 0,
      changePercent: 0,
      velocity: 0,
      acceleration: 0,
    });
    expect(trend([at(now, 5)], 'UTC')).toMatchObject({ current: 5, previous: 5, change: 0 });
  });
});

describe('least-squares prediction', () => {
  it('extends the fitted line 30 local days past now, with R² as confidence', () => {
    // x = 0, 2, 3 days; y = 10, 14, 20. x̄ = 5/3, ȳ = 44/3, Sxx = 14/3, Sxy = 44/3
    // slope = 22/7, intercept = 44/3 − 22/7 · 5/3 = 66/7; now is x = 3, so x = 33:
    // 22/7 · 33 + 66/7 = 792/7. Residuals 4/7, −12/7, 8/7: SSres = 32/7; SStot = 456/9;
    // R² = 1 − (32/7)/(456/9) = 1 − 288/3192.
    const p = prediction(series, 'UTC', now);
    expect(p.daysAhead).toBe(30);
    expect(p.futureValue).toBeCloseTo(792 / 7, 9);
    expect(p.confidence).toBeCloseTo(1 - 288 / 3192, 12);
  });

  it('has confidence 0 with fewer than 3 points or a constant x, and 1 for a constant series', () => {
    const two = prediction(series.slice(0, 2), 'UTC', now);
    // Line through (0, 10) and (2, 14): slope 2/day; now is x = 3 → x = 33 → 10 + 66 = 76.
    expect(two).toEqual({ futureValue: 76, daysAhead: 30, confidence: 0 });
    const sameInstant = prediction([at(now, 1), at(now, 9), at(now, 5)], 'UTC', now);
    expect(sameInstant).toEqual({ futureValue: 5, daysAhead: 30, confidence: 0 });
    const flat = prediction(
      [at('2026-07-01T00:00:00.000Z', 7), at('2026-07-02T00:00:00.000Z', 7), at(now, 7)],
      'UTC',
      now,
    );
    expect(flat.futureValue).toBeCloseTo(7, 12);
    expect(flat.confidence).toBe(1);
    expect(prediction([], 'UTC', now)).toEqual({ futureValue: 0, daysAhead: 30, confidence: 0 });
  });
});

describe('metric analytics', () => {
  it('puts trend, direction-aware progress, streak and prediction together', () => {
    const a = computeMetricAnalytics({
      points: series,
      direction: 'Higher',
      targetValue: 25,
      timeZone: 'UTC',
      now,
    });
    expect(a.trend.isImproving).toBe(true);
    // 20 of 25: 80 %, 5 to go; on track as 20 ≥ 0.8 × 25
    expect(a.progress).toEqual({
      current: 20,
      target: 25,
      percentage: 80,
      remaining: 5,
      isOnTrack: true,
    });
    // Logged July 1, 3, 4; today July 4 → 2 (3–4); longest 2
    expect(a.streak).toEqual({ current: 2, longest: 2 });
    const lower = computeMetricAnalytics({
      points: series,
      direction: 'Lower',
      targetValue: 12,
      timeZone: 'UTC',
      now,
    });
    // Lower: rising is worse; 12/20 = 60 %; 8 to go; 20 > 1.2 × 12 = 14.4 → off track
    expect(lower.trend.isImproving).toBe(false);
    expect(lower.progress).toMatchObject({ percentage: 60, remaining: 8, isOnTrack: false });
  });

  it('is all zeros for a metric without logs or target', () => {
    const a = computeMetricAnalytics({
      points: [],
      direction: 'Target',
      targetValue: null,
      timeZone: 'UTC',
      now,
    });
    expect(a.progress).toEqual({
      current: 0,
      target: 0,
      percentage: 0,
      remaining: 0,
      isOnTrack: false,
    });
    expect(a.streak).toEqual({ current: 0, longest: 0 });
    expect(a.trend.isImproving).toBe(false);
  });
});

describe('correlation', () => {
  it('gives the two-sided Student t p-value of Pearson r', () => {
    // r = 0.5, n = 10: t = 0.5 √(8 / 0.75) = 1.63299, 8 df → p = 0.14111 (numerical integration)
    expect(correlationPValue(0.5, 10)).toBeCloseTo(0.141113, 5);
    // r = −0.8, n = 7: t = 2.98142, 5 df → p = 0.030749
    expect(correlationPValue(-0.8, 7)).toBeCloseTo(0.030749, 5);
    expect(correlationPValue(1, 10)).toBe(0);
    expect(correlationPValue(0.9, 2)).toBe(1);
  });

  it('finds the lag at which one series follows another', () => {
    // a on days 1–10; b on days 3–12 with b(d + 2) = 2·a(d) + 1: perfect at lag +2 (n = 10).
    const aValues = [3, 1, 4, 1, 5, 9, 2, 6, 5, 3];
    const a = new Map(aValues.map((v, i) => [i + 1, v]));
    const b = new Map(aValues.map((v, i) => [i + 3, 2 * v + 1]));
    const best = bestLagCorrelation(a, b);
    expect(best).toMatchObject({ lag: 2, n: 10, pValue: 0 });
    expect(best?.r).toBeCloseTo(1, 12);
    // Seen from b, a leads by two days: lag −2.
    expect(bestLagCorrelation(b, a)).toMatchObject({ lag: -2, n: 10 });
  });

  it('reports nothing with fewer than 7 shared days or a constant series', () => {
    const six = new Map([1, 2, 3, 4, 5, 6].map((d) => [d, d * d]));
    expect(bestLagCorrelation(six, six)).toBeNull();
    const days = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
    const varying = new Map(days.map((d) => [d, d % 3]));
    const constant = new Map(days.map((d) => [d, 4]));
    expect(bestLagCorrelation(varying, constant)).toBeNull();
  });
});

describe('modified z-scores (Iglewicz & Hoaglin)', () => {
  it('scores 0.6745 (x − median) / MAD', () => {
    // sorted 10 10 10 11 11 12 50: median 11; |x − 11| = 1 0 1 1 0 1 39 → MAD 1
    const r = robustZScores([10, 11, 10, 12, 11, 10, 50]);
    expect(r).toMatchObject({ median: 11, mad: 1, method: 'mad' });
    expect(r.scores[6]).toBeCloseTo(0.6745 * 39, 10); // 26.31 > 3.5: an anomaly
    expect(r.scores[0]).toBeCloseTo(-0.6745, 10);
  });

  it('falls back to the mean absolute deviation when MAD is 0, and gives up without spread', () => {
    // median 5, MAD 0; mean |x − 5| = 45/7 → z(50) = 45 / (1.253314 × 45/7) = 7 / 1.253314
    const r = robustZScores([5, 5, 5, 5, 5, 5, 50]);
    expect(r.method).toBe('meanAbsoluteDeviation');
    expect(r.scores[6]).toBeCloseTo(7 / 1.253314, 10);
    expect(robustZScores([5, 5, 5]).method).toBe('none');
    expect(robustZScores([1, 2]).scores).toEqual([0, 0]);
  });
});

// ---- properties -----------------------------------------------------------------------------

const ZONES = ['UTC', 'America/Los_Angeles', 'Asia/Kolkata', 'Europe/Berlin', 'Pacific/Kiritimati'];
const instant = fc
  .integer({ min: Date.UTC(2020, 0, 1), max: Date.UTC(2030, 0, 1) })
  .map((ms) => new Date(ms).toISOString());
const anyNumber = fc.double({ noNaN: true, noDefaultInfinity: true });
const points = fc
  .array(fc.record({ at: instant, value: anyNumber }), { maxLength: 40 })
  .map((ps) => [...ps].sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0)));

function numbersIn(value: unknown): number[] {
  if (typeof value === 'number') return [value];
  if (value && typeof value === 'object') return Object.values(value).flatMap(numbersIn);
  return [];
}

describe('properties', () => {
  it('analytics never return NaN or Infinity, and streaks never exceed the logged days', () => {
    fc.assert(
      fc.property(
        points,
        fc.constantFrom('Higher', 'Lower', 'Target'),
        fc.option(anyNumber),
        fc.constantFrom(...ZONES),
        instant,
        (ps, direction, targetValue, timeZone, at) => {
          const a = computeMetricAnalytics({
            points: ps,
            direction,
            targetValue,
            timeZone,
            now: at,
          });
          expect(numbersIn(a).every(Number.isFinite)).toBe(true);
          expect(a.prediction.confidence).toBeGreaterThanOrEqual(0);
          expect(a.prediction.confidence).toBeLessThanOrEqual(1);
          const days = new Set(ps.map((p) => Math.floor(localDayNumber(p.at, timeZone)))).size;
          expect(a.streak.current).toBeLessThanOrEqual(a.streak.longest);
          expect(a.streak.longest).toBeLessThanOrEqual(days);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('correlations and z-scores stay finite', () => {
    const daily = fc
      .array(fc.tuple(fc.integer({ min: 0, max: 20 }), anyNumber), { maxLength: 30 })
      .map((entries) => new Map(entries));
    fc.assert(
      fc.property(daily, daily, (a, b) => {
        const c = bestLagCorrelation(a, b, { minDays: 3 });
        if (c) expect(numbersIn(c).every(Number.isFinite)).toBe(true);
      }),
    );
    fc.assert(
      fc.property(fc.array(anyNumber, { maxLength: 50 }), (values) => {
        expect(numbersIn(robustZScores(values)).every(Number.isFinite)).toBe(true);
      }),
    );
  });

  it('habit streaks never exceed the number of logged days, for every frequency', () => {
    const date = fc
      .integer({ min: 0, max: 120 })
      .map((d) => new Date(Date.UTC(2026, 0, 1 + d)).toISOString().slice(0, 10));
    fc.assert(
      fc.property(
        fc.array(fc.record({ date, amount: fc.option(fc.integer({ min: 1, max: 5 })) })),
        fc.constantFrom('Daily', 'Weekly', 'Monthly', 'Custom'),
        fc.option(fc.integer({ min: 1, max: 4 })),
        date,
        (logs, frequency, target, today) => {
          const s = habitStreaks(
            { frequency, dailyTarget: target, weeklyTarget: target },
            logs,
            today,
          );
          const days = new Set(logs.map((l) => l.date)).size;
          expect(s.current).toBeLessThanOrEqual(s.longest);
          expect(s.longest).toBeLessThanOrEqual(days);
        },
      ),
      { numRuns: 300 },
    );
  });
});
