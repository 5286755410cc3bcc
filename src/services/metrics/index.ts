/**
 * Metrics (API_CONTRACT.md §b.5 M1–M5, §c.2 Metric): CRUD with goal links (§e.6).
 *
 * The metric item keeps what the list shows denormalised, maintained in the same transaction as
 * every log write or delete (`logs.ts`) and milestone (`milestones.ts`): `currentValue` (value of
 * the latest log by `loggedAt`, null without logs), `logCount`, `milestoneCount` and `recentLogs`
 * (the 10 newest logs, newest first, served as `logs`). So `GET /metrics` is one query of the
 * user's partition — one DynamoDB request for 50 metrics (a page holds 1 MB, ~3 KB per metric) —
 * never one query per metric. The goals domain reads these items directly: `direction`,
 * `targetValue`, `currentValue`, `goalIds`, `status` keep their names and types.
 */
import type { UserCtx } from '../../api/deps.js';
import type {
  MetricCreateInput,
  MetricListQueryT,
  MetricT,
  MetricUpdateInput,
} from '../../api/schemas/metrics.js';
import { ValidationError } from '../../core/errors.js';
import type { EntityBase } from '../../db/models.js';
import { getEntity, listEntities } from '../../db/queries.js';
import { nowInstant } from '../../utils/dates.js';
import { newId } from '../../utils/ids.js';
import { paginate, type PageSlice } from '../../utils/paging.js';
import {
  createLinked,
  deleteWithChildren,
  newestCreatedFirst,
  updateLinked,
} from '../entity-writes.js';
import { insightKeysOf } from './insights.js';
import { toMetric } from './items.js';

/** `status`, or the status `isActive` stands for (true → Active, false → Paused), or undefined. */
function statusOf(input: { status?: string | undefined; isActive?: boolean | undefined }) {
  if (input.status !== undefined) return input.status;
  if (input.isActive === undefined) return undefined;
  return input.isActive ? 'Active' : 'Paused';
}

/** @throws ValidationError when `thresholdLow` exceeds `thresholdHigh`. */
export function assertThresholds(metric: Record<string, unknown>): void {
  const { thresholdLow: low, thresholdHigh: high } = metric;
  if (typeof low === 'number' && typeof high === 'number' && low > high) {
    throw new ValidationError('thresholdLow must not exceed thresholdHigh', [
      { loc: ['body', 'thresholdLow'], msg: 'must be ≤ thresholdHigh', type: 'too_big' },
    ]);
  }
}

/**
 * The user's metrics, filtered by `area` / `status`, newest first, paged per §a.3 — from one
 * query of the user's partition (their logs are embedded, see the module comment).
 */
export async function listMetrics(
  ctx: UserCtx,
  query: MetricListQueryT,
): Promise<PageSlice<MetricT>> {
  const metrics = (await listEntities(ctx.db, ctx.userId, 'METRIC'))
    .map(toMetric)
    .filter(
      (m) => (!query.area || m.area === query.area) && (!query.status || m.status === query.status),
    )
    .sort(newestCreatedFirst);
  return paginate(metrics, query);
}

/** One metric with its newest logs. @throws NotFoundError */
export async function getMetric(ctx: UserCtx, id: string): Promise<MetricT> {
  return toMetric(await getEntity(ctx.db, ctx.userId, 'METRIC', id));
}

/**
 * A new metric entity from create input: status `Active` unless `status`/`isActive` say
 * otherwise, source `Manual`, tracking frequency `Daily`, no logs yet. Shared by
 * {@link createMetric} and the import.
 */
export function newMetric(input: MetricCreateInput, base: EntityBase) {
  return {
    ...base,
    name: input.name,
    description: input.description ?? null,
    area: input.area,
    subCategory: input.subCategory ?? null,
    unit: input.unit,
    customUnit: input.customUnit ?? null,
    direction: input.direction,
    targetValue: input.targetValue ?? null,
    thresholdLow: input.thresholdLow ?? null,
    thresholdHigh: input.thresholdHigh ?? null,
    baselineValue: input.baselineValue ?? null,
    source: input.source ?? 'Manual',
    status: statusOf(input) ?? 'Active',
    trackingFrequency: input.trackingFrequency ?? 'Daily',
    goalIds: [...new Set(input.goalIds ?? [])],
    currentValue: null,
    logCount: 0,
    milestoneCount: 0,
    recentLogs: [],
  };
}

/**
 * Creates a metric (status `Active` unless `status`/`isActive` say otherwise, source `Manual`,
 * tracking frequency `Daily`). `goalIds` creates the goal links.
 * @throws NotFoundError for a goal the user does not have; ValidationError for thresholds low > high
 */
export async function createMetric(ctx: UserCtx, input: MetricCreateInput): Promise<MetricT> {
  const now = nowInstant(ctx.clock);
  const metric = newMetric(input, {
    id: newId(),
    userId: ctx.userId,
    createdAt: now,
    updatedAt: now,
  });
  assertThresholds(metric);
  return toMetric(await createLinked(ctx, 'METRIC', metric));
}

/**
 * Applies a partial update (`null` clears a nullable field; `isActive` maps to `status`).
 * Changing `goalIds` relinks. Retries on a concurrent change (e.g. a log being added).
 * @throws NotFoundError, ValidationError, ConflictError
 */
export async function updateMetric(
  ctx: UserCtx,
  id: string,
  patch: MetricUpdateInput,
): Promise<MetricT> {
  const { isActive: _isActive, ...fields } = patch;
  const changes = Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined));
  const item = await updateLinked(ctx, 'METRIC', id, (metric) => {
    const next: Record<string, unknown> = {
      ...metric,
      ...changes,
      status: statusOf(patch) ?? metric.status,
      updatedAt: nowInstant(ctx.clock),
    };
    if (patch.goalIds) next.goalIds = [...new Set(patch.goalIds)];
    assertThresholds(next);
    return next;
  });
  return toMetric(item);
}

/**
 * Deletes a metric with its logs, milestones, cached insights and goal links.
 * @throws NotFoundError
 */
export async function deleteMetric(ctx: UserCtx, id: string): Promise<void> {
  await deleteWithChildren(ctx, 'METRIC', id, () => insightKeysOf(ctx, id));
}
