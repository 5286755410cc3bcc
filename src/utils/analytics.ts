/**
 * Time-series statistics of metric logs, on the user's local calendar (DESIGN.md §4), computed
 * with simple-statistics (regression, correlation, median, MAD) and jStat (Student's t CDF).
 *
 * Time axis: a log's position is its *local day number* — wall-clock days since 1970-01-01 in
 * the user's zone, {@link localDayNumber} — so a local calendar day always counts as one day, a
 * 23- or 25-hour day across a DST change included, and `floor` of it is the local date.
 *
 * Every function returns finite numbers only (JSON has no NaN or Infinity): each division is
 * guarded and each result passes through {@link finite}.
 */
import jStat from 'jstat';
import {
  linearRegression,
  linearRegressionLine,
  mean,
  median,
  medianAbsoluteDeviation,
  sampleCorrelation,
} from 'simple-statistics';
import { utcOffsetMs } from './dates.js';

const MS_PER_DAY = 86_400_000;

/** A logged value at an instant (fixed-width ISO string). */
export interface SeriesPoint {
  at: string;
  value: number;
}

/** `x` when it is a finite number, else 0 — the last guard before JSON. */
export function finite(x: number): number {
  return Number.isFinite(x) ? x : 0;
}

/**
 * Local day number of `instant` in `timeZone`: (epoch milliseconds + the zone's UTC offset at that
 * instant) / 86 400 000, i.e. wall-clock days since 1970-01-01 local time. `Math.floor` of it
 * numbers the local calendar date; differences are in local days.
 */
export function localDayNumber(instant: string, timeZone: string): number {
  const ms = Date.parse(instant);
  return (ms + utcOffsetMs(ms, timeZone)) / MS_PER_DAY;
}

/** Trend of the last two values (§e.9: "trend from the last two logs"). */
export interface Trend {
  /** Latest value (0 without logs). */
  current: number;
  /** The value before it (= current with one log). */
  previous: number;
  /** current − previous. */
  change: number;
  /** change / |previous| × 100; 0 when previous is 0. */
  changePercent: number;
  /** change per local day between the last two logs; 0 when they share one instant. */
  velocity: number;
  /** velocity − the velocity of the pair before (units per day, per step); 0 with < 3 logs. */
  acceleration: number;
}

/** The trend of chronological `points` (oldest first). */
export function trend(points: SeriesPoint[], timeZone: string): Trend {
  const last = points.at(-1);
  if (!last) {
    return { current: 0, previous: 0, change: 0, changePercent: 0, velocity: 0, acceleration: 0 };
  }
  const prev = points.at(-2) ?? last;
  const before = points.at(-3);
  const rate = (a: SeriesPoint, b: SeriesPoint) => {
    const days = localDayNumber(b.at, timeZone) - localDayNumber(a.at, timeZone);
    return days > 0 ? (b.value - a.value) / days : 0;
  };
  const change = last.value - prev.value;
  const velocity = rate(prev, last);
  return {
    current: finite(last.value),
    previous: finite(prev.value),
    change: finite(change),
    changePercent: prev.value === 0 ? 0 : finite((change / Math.abs(prev.value)) * 100),
    velocity: finite(velocity),
    acceleration: before ? finite(velocity - rate(before, prev)) : 0,
  };
}

/** A least-squares forecast. */
export interface Prediction {
  futureValue: number;
  daysAhead: number;
  /** R² of the fitted line in [0, 1]; 0 with fewer than 3 points or a constant x. */
  confidence: number;
}

/**
 * Ordinary least-squares line value ~ local day over chronological `points`, evaluated
 * `daysAhead` local days after `now`; confidence = R² (coefficient of determination). With one
 * point, or all points at one instant, the forecast is the latest value with confidence 0; with
 * two points it follows their line with confidence 0. A constant series fits exactly: R² = 1.
 */
export function prediction(
  points: SeriesPoint[],
  timeZone: string,
  now: string,
  daysAhead = 30,
): Prediction {
  const last = points.at(-1);
  if (!last) return { futureValue: 0, daysAhead, confidence: 0 };
  const origin = localDayNumber((points[0] as SeriesPoint).at, timeZone);
  const data = points.map((p) => [localDayNumber(p.at, timeZone) - origin, p.value]);
  if (isConstant(data.map(([x]) => x as number))) {
    return { futureValue: finite(last.value), daysAhead, confidence: 0 };
  }
  const line = linearRegressionLine(linearRegression(data));
  const futureValue = finite(line(localDayNumber(now, timeZone) - origin + daysAhead));
  if (points.length < 3) return { futureValue, daysAhead, confidence: 0 };
  const meanY = mean(points.map((p) => p.value));
  let total = 0;
  let residual = 0;
  for (const [x, y] of data as [number, number][]) {
    total += (y - meanY) ** 2;
    residual += (y - line(x)) ** 2;
  }
  const r2 = total === 0 ? 1 : 1 - residual / total;
  return { futureValue, daysAhead, confidence: Math.min(1, Math.max(0, finite(r2))) };
}

/** Mean value per local day, keyed by local day number (`floor` of {@link localDayNumber}). */
export function dailyMeans(points: SeriesPoint[], timeZone: string): Map<number, number> {
  const sums = new Map<number, { sum: number; count: number }>();
  for (const p of points) {
    const day = Math.floor(localDayNumber(p.at, timeZone));
    const entry = sums.get(day) ?? { sum: 0, count: 0 };
    entry.sum += p.value;
    entry.count += 1;
    sums.set(day, entry);
  }
  return new Map([...sums].map(([day, { sum, count }]) => [day, sum / count]));
}

/** A Pearson correlation at its best lag. */
export interface LaggedCorrelation {
  /** Pearson r in [−1, 1]. */
  r: number;
  /** Two-sided p-value of r ≠ 0 (Student t, n − 2 degrees of freedom). */
  pValue: number;
  /** Days paired at this lag. */
  n: number;
  /** `b` on day d + lag is paired with `a` on day d. */
  lag: number;
}

/**
 * Two-sided p-value of a Pearson `r` from `n` pairs: t = |r| √((n − 2) / (1 − r²)) with n − 2
 * degrees of freedom, p = 2 (1 − F_t(t)) (the standard test of H₀: ρ = 0; e.g. Sheskin,
 * *Handbook of Parametric and Nonparametric Statistical Procedures*, Test 28). 1 with n < 3;
 * 0 for |r| = 1.
 */
export function correlationPValue(r: number, n: number): number {
  if (n < 3) return 1;
  if (Math.abs(r) >= 1) return 0;
  const t = Math.abs(r) * Math.sqrt((n - 2) / (1 - r * r));
  return Math.min(1, Math.max(0, finite(2 * (1 - jStat.studentt.cdf(t, n - 2)))));
}

/** Options of {@link bestLagCorrelation}. */
export interface CorrelationOptions {
  /** Lags tried: −maxLag…maxLag days (default 3). */
  maxLag?: number;
  /** Fewest shared days for a correlation to count (default 7). */
  minDays?: number;
}

/**
 * Pearson correlation of two daily series (local day number → value) on the days they share,
 * at the lag in −maxLag…maxLag with the largest |r| (ties: the smaller |lag|, then the negative
 * one). Null when no lag has `minDays` shared days with neither side constant.
 */
export function bestLagCorrelation(
  a: Map<number, number>,
  b: Map<number, number>,
  { maxLag = 3, minDays = 7 }: CorrelationOptions = {},
): LaggedCorrelation | null {
  let best: LaggedCorrelation | null = null;
  const lags = Array.from({ length: 2 * maxLag + 1 }, (_, i) => i - maxLag).sort(
    (x, y) => Math.abs(x) - Math.abs(y) || x - y,
  );
  for (const lag of lags) {
    const xs: number[] = [];
    const ys: number[] = [];
    for (const [day, x] of a) {
      const y = b.get(day + lag);
      if (y === undefined) continue;
      xs.push(x);
      ys.push(y);
    }
    if (xs.length < minDays || isConstant(xs) || isConstant(ys)) continue;
    const r = Math.max(-1, Math.min(1, finite(sampleCorrelation(xs, ys))));
    if (best === null || Math.abs(r) > Math.abs(best.r)) {
      best = { r, pValue: correlationPValue(r, xs.length), n: xs.length, lag };
    }
  }
  return best;
}

function isConstant(values: number[]): boolean {
  return values.every((v) => v === values[0]);
}

/** Robust z-scores of a sample (see {@link robustZScores}). */
export interface RobustScores {
  median: number;
  /** Median absolute deviation from the median. */
  mad: number;
  /** `mad` (the usual case), `meanAbsoluteDeviation` (MAD is 0), or `none` (no spread or n < 3). */
  method: 'mad' | 'meanAbsoluteDeviation' | 'none';
  /** One score per value, in input order (all 0 for `none`). */
  scores: number[];
}

/**
 * Modified z-scores of Iglewicz & Hoaglin (1993, *How to Detect and Handle Outliers*, §2.2):
 * Mᵢ = 0.6745 (xᵢ − x̃) / MAD, where x̃ is the median and MAD the median absolute deviation;
 * |Mᵢ| > 3.5 marks an outlier. When more than half the values are equal MAD is 0; the usual
 * fallback (IBM SPSS / Cognos "modified z-score") then divides by 1.253314 × the mean absolute
 * deviation from the median. No scores with fewer than 3 values or no spread at all.
 */
export function robustZScores(values: number[]): RobustScores {
  const none = (med: number, mad: number): RobustScores => ({
    median: finite(med),
    mad: finite(mad),
    method: 'none',
    scores: values.map(() => 0),
  });
  if (values.length < 3) return none(values.length ? median(values) : 0, 0);
  const med = median(values);
  const mad = medianAbsoluteDeviation(values);
  if (mad > 0) {
    return {
      median: finite(med),
      mad: finite(mad),
      method: 'mad',
      scores: values.map((x) => finite((0.6745 * (x - med)) / mad)),
    };
  }
  const meanAd = mean(values.map((x) => Math.abs(x - med)));
  if (!(meanAd > 0)) return none(med, mad);
  return {
    median: finite(med),
    mad: 0,
    method: 'meanAbsoluteDeviation',
    scores: values.map((x) => finite((x - med) / (1.253314 * meanAd))),
  };
}
