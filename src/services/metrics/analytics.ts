/**
 * Deterministic metric analytics (API_CONTRACT.md §c.2 MetricAnalytics, §e.9), on the user's
 * local calendar, with the statistics of `utils/analytics.ts`:
 *
 * - trend of the last two logs (velocity per local day, acceleration vs the pair before) and
 *   whether it improves, by direction (`isImprovement`);
 * - progress toward the target (§e.9: percentage, remaining, on track), 0/false without target;
 * - streak of consecutive logged local days ending today (the habits' rule: a today not yet
 *   logged does not break it) and the longest run;
 * - least-squares prediction 30 local days after now, confidence = R²;
 * - correlations between the user's metrics on shared local days (daily means; Pearson r,
 *   two-sided p, n ≥ 7, best lag −3…3) and anomalies (modified z-score > 3.5).
 *
 * `GET /metrics/{id}/insights` serves them together as the metric's `MetricInsightCache`. Each
 * request reads a series once (a 10,000-log metric is a few pages of one partition).
 */
import type { UserCtx } from '../../api/deps.js';
import type {
  MetricAnalyticsT,
  MetricAnomaliesT,
  MetricCorrelationT,
  MetricInsightCacheT,
} from '../../api/schemas/metrics.js';
import { keys } from '../../db/keys.js';
import { getEntity, listEntities } from '../../db/queries.js';
import { queryAll, type Item } from '../../db/table.js';
import {
  bestLagCorrelation,
  dailyMeans,
  finite,
  prediction,
  robustZScores,
  trend,
  type SeriesPoint,
} from '../../utils/analytics.js';
import { localDateOf, nowInstant, toInstant } from '../../utils/dates.js';
import { habitStreaks } from '../habits/streaks.js';
import { timeZoneOf } from '../profile.js';
import { listInsights } from './insights.js';
import { storedLog } from './items.js';
import { readSeries } from './logs.js';
import { isImprovement, isOnTrack, targetProgress, targetRemaining } from './targets.js';

/** Days ahead of the prediction. */
export const PREDICTION_DAYS = 30;
/** |modified z| above which a log is an anomaly (Iglewicz & Hoaglin 1993). */
export const ANOMALY_THRESHOLD = 3.5;
/** How long the `GET /metrics/{id}/insights` summary may be cached by a client. */
const INSIGHT_CACHE_MS = 60 * 60 * 1000;

/** What the analytics of one metric read. */
export interface AnalyticsInput {
  /** The metric's logs, oldest first. */
  points: SeriesPoint[];
  direction: string;
  targetValue: number | null;
  timeZone: string;
  /** The current instant. */
  now: string;
}

/** `MetricAnalytics` of one series (pure; every number finite). */
export function computeMetricAnalytics(input: AnalyticsInput): MetricAnalyticsT {
  const { points, direction, targetValue, timeZone, now } = input;
  const t = trend(points, timeZone);
  const latest = points.length ? t.current : null;
  const days = [...new Set(points.map((p) => localDateOf(p.at, timeZone)))].map((date) => ({
    date,
    amount: null,
  }));
  return {
    trend: {
      ...t,
      isImproving:
        points.length >= 2 && isImprovement(direction, t.previous, t.current, targetValue),
    },
    progress: {
      current: t.current,
      target: finite(targetValue ?? 0),
      percentage: finite(targetProgress(direction, latest, targetValue)),
      remaining: finite(targetRemaining(direction, latest, targetValue)),
      isOnTrack: isOnTrack(direction, latest, targetValue),
    },
    streak: habitStreaks({ frequency: 'Daily' }, days, localDateOf(now, timeZone)),
    prediction: prediction(points, timeZone, now, PREDICTION_DAYS),
  };
}

const pointsOf = (logs: { loggedAt: string; value: number }[]): SeriesPoint[] =>
  logs.map((l) => ({ at: l.loggedAt, value: l.value }));

/** `GET /metrics/{id}/analytics`. @throws NotFoundError */
export async function getMetricAnalytics(ctx: UserCtx, id: string): Promise<MetricAnalyticsT> {
  const metric = await getEntity(ctx.db, ctx.userId, 'METRIC', id);
  const [logs, timeZone] = await Promise.all([readSeries(ctx, id), timeZoneOf(ctx)]);
  return computeMetricAnalytics({
    points: pointsOf(logs),
    direction: String(metric.direction),
    targetValue: (metric.targetValue as number | null | undefined) ?? null,
    timeZone,
    now: nowInstant(ctx.clock),
  });
}

/** Pearson |r| bands for `strength`: < 0.3 weak, < 0.7 moderate, else strong. */
function strengthOf(r: number): MetricCorrelationT['strength'] {
  const a = Math.abs(r);
  return a < 0.3 ? 'weak' : a < 0.7 ? 'moderate' : 'strong';
}

/**
 * Correlations between the user's metrics (or only the pairs involving `metricId`), strongest
 * first. Each metric becomes a daily series (mean value per local day); a pair is reported at its
 * best lag when it shares at least 7 days there and neither side is constant. Reads the metrics
 * and every log in two queries (GSI1 `USER#{u}#METRICLOG`).
 * @throws NotFoundError when `metricId` is not one of the user's metrics
 */
export async function getMetricCorrelations(
  ctx: UserCtx,
  metricId?: string,
): Promise<{ correlations: MetricCorrelationT[] }> {
  if (metricId) await getEntity(ctx.db, ctx.userId, 'METRIC', metricId);
  const [metrics, logs, timeZone] = await Promise.all([
    listEntities(ctx.db, ctx.userId, 'METRIC'),
    queryAll(ctx.db, { index: 'GSI1', pk: keys.childIndexPk(ctx.userId, 'METRICLOG') }),
    timeZoneOf(ctx),
  ]);
  return { correlations: correlate(metrics, logs, timeZone, metricId) };
}

function correlate(
  metrics: Item[],
  logItems: Item[],
  timeZone: string,
  only?: string,
): MetricCorrelationT[] {
  const byMetric = new Map<string, SeriesPoint[]>();
  for (const log of logItems.map(storedLog)) {
    const points = byMetric.get(log.metricId) ?? [];
    points.push({ at: log.loggedAt, value: log.value });
    byMetric.set(log.metricId, points);
  }
  const series = metrics
    .filter((m) => byMetric.has(String(m.id)))
    .map((m) => ({
      id: String(m.id),
      name: String(m.name),
      daily: dailyMeans(byMetric.get(String(m.id)) ?? [], timeZone),
    }));
  const found: MetricCorrelationT[] = [];
  for (const [i, a] of series.entries()) {
    for (const b of series.slice(i + 1)) {
      if (only && a.id !== only && b.id !== only) continue;
      const [first, second] = only === b.id ? [b, a] : [a, b];
      const best = bestLagCorrelation(first.daily, second.daily);
      if (!best) continue;
      found.push({
        metricId: first.id,
        metricName: first.name,
        otherMetricId: second.id,
        otherMetricName: second.name,
        ...best,
        correlationType: best.r < 0 ? 'negative' : 'positive',
        strength: strengthOf(best.r),
      });
    }
  }
  return found.sort((x, y) => Math.abs(y.r) - Math.abs(x.r));
}

/** `GET /metrics/{id}/anomalies`: logs with |modified z| > 3.5, newest first. @throws NotFoundError */
export async function getMetricAnomalies(ctx: UserCtx, id: string): Promise<MetricAnomaliesT> {
  await getEntity(ctx.db, ctx.userId, 'METRIC', id);
  return anomaliesOf(id, await readSeries(ctx, id));
}

function anomaliesOf(
  metricId: string,
  logs: { id: string; value: number; loggedAt: string }[],
): MetricAnomaliesT {
  const robust = robustZScores(logs.map((l) => l.value));
  const anomalies = logs
    .map((log, i) => ({ log, z: robust.scores[i] ?? 0 }))
    .filter(({ z }) => Math.abs(z) > ANOMALY_THRESHOLD)
    .map(({ log, z }) => ({
      logId: log.id,
      value: log.value,
      loggedAt: log.loggedAt,
      zScore: z,
      kind: z > 0 ? ('spike' as const) : ('drop' as const),
    }))
    .reverse();
  return {
    metricId,
    n: logs.length,
    median: robust.median,
    mad: robust.mad,
    method: robust.method,
    threshold: ANOMALY_THRESHOLD,
    anomalies,
  };
}

/**
 * `GET /metrics/{id}/insights` (`MetricInsightCache`): type `deterministic`, content = the
 * metric's analytics, anomalies, correlations with the user's other metrics and its saved
 * insights that have not expired; computed now, good for an hour.
 * @throws NotFoundError
 */
export async function getMetricInsightCache(
  ctx: UserCtx,
  id: string,
): Promise<MetricInsightCacheT> {
  const metric = await getEntity(ctx.db, ctx.userId, 'METRIC', id);
  const [metrics, logItems, timeZone, insights] = await Promise.all([
    listEntities(ctx.db, ctx.userId, 'METRIC'),
    queryAll(ctx.db, { index: 'GSI1', pk: keys.childIndexPk(ctx.userId, 'METRICLOG') }),
    timeZoneOf(ctx),
    listInsights(ctx, {}, id),
  ]);
  // GSI1 order is `{loggedAt}#{logId}`: oldest first, as the series functions want.
  const logs = logItems.map(storedLog).filter((l) => l.metricId === id);
  const now = nowInstant(ctx.clock);
  return {
    type: 'deterministic',
    content: {
      analytics: computeMetricAnalytics({
        points: pointsOf(logs),
        direction: String(metric.direction),
        targetValue: (metric.targetValue as number | null | undefined) ?? null,
        timeZone,
        now,
      }),
      anomalies: anomaliesOf(id, logs),
      correlations: correlate(metrics, logItems, timeZone, id),
      insights: insights.items,
    },
    cachedAt: now,
    expiresAt: toInstant(new Date(Date.parse(now) + INSIGHT_CACHE_MS)),
  };
}
