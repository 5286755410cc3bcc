/**
 * Metrics: M1–M17 of API_CONTRACT.md §b.5 — CRUD, logs, analytics, milestones and insights,
 * the generic collections `/metricLogs`, `/metricMilestones`, `/metricInsights` — plus
 * `GET /metrics/correlations` and `GET /metrics/{id}/anomalies` (deterministic inputs of the
 * metric AI features). The literal `/metrics/correlations` is registered before `/metrics/{id}`.
 */
import { defineRoute } from '../route.js';
import { IdParams, PageQuery } from '../schemas/common.js';
import {
  CorrelationQuery,
  Metric,
  MetricAnalytics,
  MetricAnomalies,
  MetricCorrelations,
  MetricCreate,
  MetricInsight,
  MetricInsightCache,
  MetricInsightCreate,
  MetricInsightPage,
  MetricListQuery,
  MetricLog,
  MetricLogCreate,
  MetricLogPage,
  MetricLogParams,
  MetricLogQuery,
  MetricMilestone,
  MetricMilestoneCreate,
  MetricMilestonePage,
  MetricPage,
  MetricUpdate,
} from '../schemas/metrics.js';
import * as metrics from '../../services/metrics/index.js';
import * as analytics from '../../services/metrics/analytics.js';
import * as insights from '../../services/metrics/insights.js';
import * as logs from '../../services/metrics/logs.js';
import * as milestones from '../../services/metrics/milestones.js';
import { pageBody } from '../../utils/paging.js';

const tags = ['Metrics'];

/** The routes of this module, for `createRouter`. */
export const metricRoutes = [
  defineRoute({
    method: 'get',
    path: '/metrics',
    tags,
    summary: 'List metrics, each with its 10 newest logs',
    description:
      'Without `pageSize` every metric is returned. Each metric embeds `logs` (newest first), ' +
      '`currentValue`, `logCount` and `milestoneCount`; the whole list is one storage query.',
    query: MetricListQuery,
    response: MetricPage,
    handler: async ({ ctx, query }) => pageBody(await metrics.listMetrics(ctx, query)),
  }),
  defineRoute({
    method: 'post',
    path: '/metrics',
    tags,
    summary: 'Create a metric',
    description: '`isActive` is accepted instead of `status`. Linked goals must exist.',
    body: MetricCreate,
    response: Metric,
    status: 201,
    errors: ['NOT_FOUND'],
    handler: ({ ctx, body }) => metrics.createMetric(ctx, body),
  }),
  defineRoute({
    method: 'get',
    path: '/metrics/correlations',
    tags,
    summary: 'Correlations between the user’s metrics on shared local days',
    description:
      'Pearson r of daily means at the best lag in −3…3 days, with a two-sided p-value (Student t) ' +
      'and the number of shared days n. Pairs with fewer than 7 shared days or a constant ' +
      'series are left out. Strongest first.',
    query: CorrelationQuery,
    response: MetricCorrelations,
    errors: ['NOT_FOUND'],
    handler: ({ ctx, query }) => analytics.getMetricCorrelations(ctx, query.metricId),
  }),
  defineRoute({
    method: 'get',
    path: '/metrics/{id}',
    tags,
    summary: 'Get a metric with its 10 newest logs',
    params: IdParams,
    response: Metric,
    errors: ['NOT_FOUND'],
    handler: ({ ctx, params }) => metrics.getMetric(ctx, params.id),
  }),
  defineRoute({
    method: 'patch',
    path: '/metrics/{id}',
    tags,
    summary: 'Update a metric',
    params: IdParams,
    body: MetricUpdate,
    response: Metric,
    errors: ['NOT_FOUND', 'CONFLICT'],
    handler: ({ ctx, params, body }) => metrics.updateMetric(ctx, params.id, body),
  }),
  defineRoute({
    method: 'delete',
    path: '/metrics/{id}',
    tags,
    summary: 'Delete a metric with its logs, milestones, insights and goal links',
    params: IdParams,
    response: null,
    errors: ['NOT_FOUND', 'CONFLICT'],
    handler: ({ ctx, params }) => metrics.deleteMetric(ctx, params.id),
  }),
  defineRoute({
    method: 'get',
    path: '/metrics/{id}/logs',
    tags,
    summary: 'A metric’s logs, newest first',
    description:
      '`startDate`/`endDate` are local dates in the user’s time zone (inclusive); `limit` is an ' +
      'alias of `pageSize`.',
    params: IdParams,
    query: MetricLogQuery,
    response: MetricLogPage,
    errors: ['NOT_FOUND'],
    handler: async ({ ctx, params, query }) =>
      pageBody(await logs.listMetricLogs(ctx, params.id, query)),
  }),
  defineRoute({
    method: 'post',
    path: '/metrics/{id}/logs',
    tags,
    summary: 'Log a value',
    description:
      '`loggedAt` defaults to now; `note` (or `notes`) is echoed as both. Milestones the log ' +
      'reaches are recorded and paid once each (unpaid with AWARD_MILESTONE_POINTS=false).',
    params: IdParams,
    body: MetricLogCreate,
    response: MetricLog,
    status: 201,
    errors: ['NOT_FOUND', 'CONFLICT'],
    handler: ({ ctx, params, body }) => logs.addMetricLog(ctx, params.id, body),
  }),
  defineRoute({
    method: 'delete',
    path: '/metrics/{id}/logs/{logId}',
    tags,
    summary: 'Delete a log',
    params: MetricLogParams,
    response: null,
    errors: ['NOT_FOUND', 'CONFLICT'],
    handler: ({ ctx, params }) => logs.deleteMetricLog(ctx, params.id, params.logId),
  }),
  defineRoute({
    method: 'get',
    path: '/metrics/{id}/analytics',
    tags,
    summary: 'Trend, progress, streak and prediction of a metric',
    description:
      'Trend of the last two logs (velocity per local day, acceleration vs the previous pair), ' +
      'direction-aware progress, streak of consecutive logged local days ending today, and a ' +
      'least-squares prediction 30 days ahead with confidence = R².',
    params: IdParams,
    response: MetricAnalytics,
    errors: ['NOT_FOUND'],
    handler: ({ ctx, params }) => analytics.getMetricAnalytics(ctx, params.id),
  }),
  defineRoute({
    method: 'get',
    path: '/metrics/{id}/anomalies',
    tags,
    summary: 'Logs whose modified z-score exceeds 3.5',
    description:
      'Robust z = 0.6745 × (x − median) / MAD (Iglewicz & Hoaglin 1993); when MAD is 0, ' +
      '(x − median) / (1.253314 × mean absolute deviation). Newest first.',
    params: IdParams,
    response: MetricAnomalies,
    errors: ['NOT_FOUND'],
    handler: ({ ctx, params }) => analytics.getMetricAnomalies(ctx, params.id),
  }),
  defineRoute({
    method: 'get',
    path: '/metrics/{id}/milestones',
    tags,
    summary: 'A metric’s milestones, newest first',
    params: IdParams,
    query: PageQuery,
    response: MetricMilestonePage,
    errors: ['NOT_FOUND'],
    handler: async ({ ctx, params, query }) =>
      pageBody(await milestones.listMilestones(ctx, params.id, query)),
  }),
  defineRoute({
    method: 'get',
    path: '/metrics/{id}/insights',
    tags,
    summary: 'The deterministic insights of a metric (analytics, anomalies, correlations)',
    description:
      'Type `deterministic`; `content` holds the analytics, anomalies, correlations with the ' +
      'user’s other metrics and the saved insights that have not expired.',
    params: IdParams,
    response: MetricInsightCache,
    errors: ['NOT_FOUND'],
    handler: ({ ctx, params }) => analytics.getMetricInsightCache(ctx, params.id),
  }),
  defineRoute({
    method: 'get',
    path: '/metricLogs',
    tags,
    summary: 'Every log of the user across metrics, newest first',
    query: PageQuery,
    response: MetricLogPage,
    handler: async ({ ctx, query }) => pageBody(await logs.listAllMetricLogs(ctx, query)),
  }),
  defineRoute({
    method: 'get',
    path: '/metricMilestones',
    tags,
    summary: 'Every milestone of the user across metrics, newest first',
    query: PageQuery,
    response: MetricMilestonePage,
    handler: async ({ ctx, query }) => pageBody(await milestones.listAllMilestones(ctx, query)),
  }),
  defineRoute({
    method: 'post',
    path: '/metricMilestones',
    tags,
    summary: 'Record a milestone (idempotent on metricId, type and value)',
    description:
      'A milestone that already exists for (metricId, type, value) is returned as stored. The ' +
      'server never pays for milestones posted here: the client credits them via /wallet/add. ' +
      'A client `id` that another milestone of the user already has → 409.',
    body: MetricMilestoneCreate,
    response: MetricMilestone,
    status: 201,
    errors: ['NOT_FOUND', 'CONFLICT'],
    handler: ({ ctx, body }) => milestones.createMilestone(ctx, body),
  }),
  defineRoute({
    method: 'get',
    path: '/metricInsights',
    tags,
    summary: 'Saved metric insights that have not expired',
    query: PageQuery,
    response: MetricInsightPage,
    handler: async ({ ctx, query }) => pageBody(await insights.listInsights(ctx, query)),
  }),
  defineRoute({
    method: 'post',
    path: '/metricInsights',
    tags,
    summary: 'Save a metric insight',
    description: '`cachedAt` defaults to now and `expiresAt` to 24 hours later.',
    body: MetricInsightCreate,
    response: MetricInsight,
    status: 201,
    errors: ['NOT_FOUND'],
    handler: ({ ctx, body }) => insights.createInsight(ctx, body),
  }),
  defineRoute({
    method: 'delete',
    path: '/metricInsights/{id}',
    tags,
    summary: 'Delete a saved metric insight',
    params: IdParams,
    response: null,
    errors: ['NOT_FOUND'],
    handler: ({ ctx, params }) => insights.deleteInsight(ctx, params.id),
  }),
];
