/**
 * Schemas of metrics and their logs, milestones, insights and analytics (API_CONTRACT.md §b.5,
 * §c.2 Metric, MetricLog, MetricMilestone, MetricInsight, MetricAnalytics), plus the
 * correlation and anomaly reports of `GET /metrics/correlations` and `GET /metrics/{id}/anomalies`.
 */
import { z } from '@hono/zod-openapi';
import {
  Area,
  GoalIds,
  Id,
  Instant,
  InstantInput,
  LocalDate,
  MetricDirection,
  MetricInsightType,
  MetricMilestoneType,
  MetricSource,
  MetricStatus,
  MetricTrackingFrequency,
  MetricUnit,
  PageQuery,
  SubCategory,
  Text,
  paged,
  startNotAfterEnd,
  storable,
} from './common.js';

/** A measured value: a finite number of magnitude at most 10¹² (keeps statistics finite). */
export const MetricValue = storable(z.number().min(-1e12).max(1e12)).openapi({ example: 72.5 });

// ---- logs -----------------------------------------------------------------------------------

/** A metric log as the API returns it; `notes` repeats `note` (§f.8, i12). */
export const MetricLog = z
  .object({
    id: z.string(),
    metricId: z.string(),
    value: z.number(),
    loggedAt: Instant,
    note: z.string().nullable(),
    notes: z.string().nullable(),
    userId: z.string(),
    createdAt: Instant,
  })
  .openapi('MetricLog');

/** `POST /metrics/{id}/logs`: `loggedAt` defaults to now; `notes` is accepted as an alias of `note`. */
export const MetricLogCreate = z
  .object({
    value: MetricValue,
    loggedAt: InstantInput.optional(),
    note: Text(10_000).optional(),
    notes: Text(10_000).optional(),
  })
  .openapi('MetricLogCreate');

/** Query of `GET /metrics/{id}/logs`: local dates in the user's zone, inclusive; `limit` = `pageSize`. */
export const MetricLogQuery = PageQuery.extend({
  startDate: LocalDate.optional(),
  endDate: LocalDate.optional(),
  limit: z.coerce
    .number()
    .int()
    .min(1)
    .max(1000)
    .optional()
    .openapi({ description: 'Alias of pageSize' }),
}).refine(...startNotAfterEnd);

/** Path parameters `{id}/logs/{logId}`. */
export const MetricLogParams = z.object({ id: Id, logId: Id });

// ---- metrics --------------------------------------------------------------------------------

/** A metric as the API returns it, with its newest logs embedded (newest first). */
export const Metric = z
  .object({
    id: z.string(),
    name: z.string(),
    description: z.string().nullable(),
    area: z.string(),
    subCategory: z.string().nullable(),
    unit: z.string(),
    customUnit: z.string().nullable(),
    direction: z.string(),
    targetValue: z.number().nullable(),
    thresholdLow: z.number().nullable(),
    thresholdHigh: z.number().nullable(),
    source: z.string(),
    status: z.string(),
    isActive: z.boolean().openapi({ description: 'status === "Active"' }),
    goalIds: z.array(z.string()),
    userId: z.string(),
    createdAt: Instant,
    updatedAt: Instant,
    currentValue: z
      .number()
      .optional()
      .openapi({ description: 'Value of the latest log by loggedAt; absent without logs' }),
    baselineValue: z.number().nullable(),
    trackingFrequency: z.string(),
    logCount: z.number().int(),
    milestoneCount: z.number().int(),
    logs: z.array(MetricLog).openapi({ description: 'The 10 newest logs, newest first' }),
  })
  .openapi('Metric');

const editable = {
  description: Text(10_000).optional(),
  subCategory: SubCategory.nullable().optional(),
  customUnit: Text(50).optional(),
  targetValue: MetricValue.nullable().optional(),
  thresholdLow: MetricValue.nullable().optional(),
  thresholdHigh: MetricValue.nullable().optional(),
  baselineValue: MetricValue.nullable().optional(),
  source: MetricSource.optional(),
  status: MetricStatus.optional(),
  isActive: z
    .boolean()
    .optional()
    .openapi({ description: 'Alternative to status: true → Active, false → Paused' }),
  trackingFrequency: MetricTrackingFrequency.optional(),
  goalIds: GoalIds.optional(),
};

/** `CreateMetricInput`. */
export const MetricCreate = z
  .object({
    name: z.string().trim().min(1).max(200),
    area: Area,
    unit: MetricUnit,
    direction: MetricDirection,
    ...editable,
  })
  .openapi('MetricCreate');

/** `UpdateMetricInput`: every field optional; omitted fields are left untouched, `null` clears. */
export const MetricUpdate = z
  .object({
    name: z.string().trim().min(1).max(200).optional(),
    area: Area.optional(),
    unit: MetricUnit.optional(),
    direction: MetricDirection.optional(),
    ...editable,
  })
  .openapi('MetricUpdate');

/** Query of `GET /metrics`. */
export const MetricListQuery = PageQuery.extend({
  area: Area.optional(),
  status: MetricStatus.optional(),
});

// ---- milestones -----------------------------------------------------------------------------

/** A milestone of a metric (§e.9); `pointsAwarded` is its worth in points by the §e.9 table. */
export const MetricMilestone = z
  .object({
    id: z.string(),
    metricId: z.string(),
    type: MetricMilestoneType,
    value: z.number(),
    achievedAt: Instant,
    pointsAwarded: z.number().int(),
    rewardId: z.string().nullable(),
  })
  .openapi('MetricMilestone');

/** `POST /metricMilestones`: the client's milestone, usually with its own `id`. */
export const MetricMilestoneCreate = z
  .object({
    id: Id.optional(),
    metricId: Id,
    type: MetricMilestoneType,
    value: MetricValue,
    achievedAt: InstantInput.optional(),
    pointsAwarded: z.number().int().min(0).max(1_000_000).optional(),
    rewardId: Id.nullable().optional(),
  })
  .openapi('MetricMilestoneCreate');

// ---- insights -------------------------------------------------------------------------------

/** A cached insight of the `/metricInsights` collection. */
export const MetricInsight = z
  .object({
    id: z.string(),
    metricId: z.string(),
    type: MetricInsightType,
    title: z.string(),
    description: z.string(),
    confidence: z.number(),
    cachedAt: Instant,
    expiresAt: Instant,
  })
  .openapi('MetricInsight');

/** `POST /metricInsights`: `cachedAt` defaults to now, `expiresAt` to 24 hours later. */
export const MetricInsightCreate = z
  .object({
    id: Id.optional(),
    metricId: Id,
    type: MetricInsightType,
    title: z.string().trim().min(1).max(500),
    description: z.string().max(10_000),
    confidence: storable(z.number().min(0).max(1)),
    cachedAt: InstantInput.optional(),
    expiresAt: InstantInput.optional(),
  })
  .openapi('MetricInsightCreate');

// ---- analytics ------------------------------------------------------------------------------

/** `MetricAnalytics` (§c.2, §e.9). Every number is finite. */
export const MetricAnalytics = z
  .object({
    trend: z.object({
      current: z.number(),
      previous: z.number(),
      change: z.number(),
      changePercent: z.number(),
      velocity: z
        .number()
        .openapi({ description: 'Change per local day between the last two logs' }),
      acceleration: z
        .number()
        .openapi({ description: 'Velocity of the last pair minus that of the pair before' }),
      isImproving: z.boolean(),
    }),
    progress: z.object({
      current: z.number(),
      target: z.number(),
      percentage: z.number(),
      remaining: z.number(),
      isOnTrack: z.boolean(),
    }),
    streak: z.object({ current: z.number().int(), longest: z.number().int() }),
    prediction: z.object({
      futureValue: z.number(),
      daysAhead: z.number().int(),
      confidence: z.number().openapi({ description: 'R² of the least-squares line, 0–1' }),
    }),
  })
  .openapi('MetricAnalytics');

/** One correlation between two of the user's metrics on shared local days. */
export const MetricCorrelation = z
  .object({
    metricId: z.string(),
    metricName: z.string(),
    otherMetricId: z.string(),
    otherMetricName: z.string(),
    r: z.number().openapi({ description: 'Pearson correlation coefficient, −1…1' }),
    pValue: z
      .number()
      .openapi({ description: 'Two-sided, Student t with n − 2 degrees of freedom' }),
    n: z.number().int().openapi({ description: 'Shared local days at the reported lag' }),
    lag: z.number().int().openapi({
      description:
        'Best lag in days, −3…3: the other metric on day d + lag is paired with this one on day d',
    }),
    correlationType: z.enum(['positive', 'negative']),
    strength: z.enum(['weak', 'moderate', 'strong']),
  })
  .openapi('MetricCorrelation');

/** `GET /metrics/correlations`. */
export const MetricCorrelations = z
  .object({ correlations: z.array(MetricCorrelation) })
  .openapi('MetricCorrelations');

/** Query of `GET /metrics/correlations`. */
export const CorrelationQuery = z.object({
  metricId: Id.optional().openapi({ description: 'Only pairs that involve this metric' }),
});

/** `GET /metrics/{id}/anomalies`: logs whose robust z-score exceeds the threshold. */
export const MetricAnomalies = z
  .object({
    metricId: z.string(),
    n: z.number().int(),
    median: z.number(),
    mad: z.number().openapi({ description: 'Median absolute deviation from the median' }),
    method: z.enum(['mad', 'meanAbsoluteDeviation', 'none']),
    threshold: z.number(),
    anomalies: z.array(
      z.object({
        logId: z.string(),
        value: z.number(),
        loggedAt: Instant,
        zScore: z.number(),
        kind: z.enum(['spike', 'drop']),
      }),
    ),
  })
  .openapi('MetricAnomalies');

/** `GET /metrics/{id}/insights` (`MetricInsightCache`): the deterministic insights of one metric. */
export const MetricInsightCache = z
  .object({
    type: z.string(),
    content: z.object({
      analytics: MetricAnalytics,
      anomalies: MetricAnomalies,
      correlations: z.array(MetricCorrelation),
      insights: z.array(MetricInsight),
    }),
    cachedAt: Instant,
    expiresAt: Instant,
  })
  .openapi('MetricInsightCache');

/** The paged lists of §a.3, under `data`. */
export const MetricPage = paged(Metric).openapi('MetricPage');
/** `GET /metrics/{id}/logs` and `GET /metricLogs`. */
export const MetricLogPage = paged(MetricLog).openapi('MetricLogPage');
/** `GET /metrics/{id}/milestones` and `GET /metricMilestones`. */
export const MetricMilestonePage = paged(MetricMilestone).openapi('MetricMilestonePage');
/** `GET /metricInsights` (unexpired only). */
export const MetricInsightPage = paged(MetricInsight).openapi('MetricInsightPage');

/** The parsed type of {@link Metric}. */
export type MetricT = z.output<typeof Metric>;
/** The parsed type of {@link MetricCreate}. */
export type MetricCreateInput = z.output<typeof MetricCreate>;
/** The parsed type of {@link MetricUpdate}. */
export type MetricUpdateInput = z.output<typeof MetricUpdate>;
/** The parsed type of {@link MetricListQuery}. */
export type MetricListQueryT = z.output<typeof MetricListQuery>;
/** The parsed type of {@link MetricLog}. */
export type MetricLogT = z.output<typeof MetricLog>;
/** The parsed type of {@link MetricLogCreate}. */
export type MetricLogCreateInput = z.output<typeof MetricLogCreate>;
/** The parsed type of {@link MetricLogQuery}. */
export type MetricLogQueryT = z.output<typeof MetricLogQuery>;
/** The parsed type of {@link MetricMilestone}. */
export type MetricMilestoneT = z.output<typeof MetricMilestone>;
/** The parsed type of {@link MetricMilestoneCreate}. */
export type MetricMilestoneCreateInput = z.output<typeof MetricMilestoneCreate>;
/** The parsed type of {@link MetricInsight}. */
export type MetricInsightT = z.output<typeof MetricInsight>;
/** The parsed type of {@link MetricInsightCreate}. */
export type MetricInsightCreateInput = z.output<typeof MetricInsightCreate>;
/** The parsed type of {@link MetricAnalytics}. */
export type MetricAnalyticsT = z.output<typeof MetricAnalytics>;
/** The parsed type of {@link MetricCorrelation}. */
export type MetricCorrelationT = z.output<typeof MetricCorrelation>;
/** The parsed type of {@link MetricAnomalies}. */
export type MetricAnomaliesT = z.output<typeof MetricAnomalies>;
/** The parsed type of {@link MetricInsightCache}. */
export type MetricInsightCacheT = z.output<typeof MetricInsightCache>;
