/**
 * Metric logs (API_CONTRACT.md §b.5 M6–M8, M12; §c.2 MetricLog).
 *
 * A log lives in its metric's child partition at `LOG#{loggedAt}#{logId}` (two logs in one
 * second both survive) and in the user's GSI1 partition `USER#{u}#METRICLOG` ordered by
 * `{loggedAt}#{logId}`, so `GET /metricLogs` is one query across every metric. Adding or deleting
 * a log rewrites the metric's denormalised `currentValue`, `logCount` and `recentLogs` in the same
 * transaction, conditioned on the metric's version. After a log is added, milestones are
 * detected (`milestones.ts`) and the linked goals are told (`metric_logged`).
 */
import { isDeepStrictEqual } from 'node:util';
import type { UserCtx } from '../../api/deps.js';
import type {
  MetricLogCreateInput,
  MetricLogQueryT,
  MetricLogT,
} from '../../api/schemas/metrics.js';
import { NotFoundError } from '../../core/errors.js';
import { childPk, keys } from '../../db/keys.js';
import { stripUndefined } from '../../db/conditions.js';
import { fromItem } from '../../db/models.js';
import { getEntity, sameVersion } from '../../db/queries.js';
import { cond, queryAll, type Page, type QueryInput, type Table } from '../../db/table.js';
import { addDays, nowInstant, startOfLocalDay } from '../../utils/dates.js';
import { newId } from '../../utils/ids.js';
import { paginate, type PageRequest, type PageSlice } from '../../utils/paging.js';
import { writeVersioned } from '../entity-writes.js';
import { onGoalInputsChanged } from '../goal-progress.js';
import { linkedIds } from '../links.js';
import { timeZoneOf } from '../profile.js';
import {
  RECENT_LOGS,
  metricItem,
  metricLogItem,
  newestFirst,
  recentLogsOf,
  storedLog,
  toMetricLog,
  type StoredMetricLog,
} from './items.js';
import { recordDetectedMilestones } from './milestones.js';

/** The query of a metric's logs, optionally between two sort keys. */
function logQuery(ctx: UserCtx, metricId: string, range?: [string, string]): QueryInput {
  return {
    pk: childPk(ctx.userId, 'METRIC', metricId),
    sk: range ? { between: range } : { beginsWith: keys.logPrefix },
  };
}

/** The newest `count` items of `input`, newest first, reading only as many pages as needed. */
async function readNewest(db: Table, input: QueryInput, count: number): Promise<StoredMetricLog[]> {
  const items: StoredMetricLog[] = [];
  let cursor: string | null = null;
  do {
    const page: Page = await db.query({
      ...input,
      forward: false,
      limit: count - items.length,
      cursor,
    });
    items.push(...page.items.map(storedLog));
    cursor = page.cursor;
  } while (cursor && items.length < count);
  return items;
}

/** Every log of a metric, oldest first (the whole series, for analytics). */
export async function readSeries(ctx: UserCtx, metricId: string): Promise<StoredMetricLog[]> {
  return (await queryAll(ctx.db, logQuery(ctx, metricId))).map(storedLog);
}

/**
 * Logs a value. `loggedAt` defaults to now; `note` (or its alias `notes`) is optional. Then
 * records the milestones the log reaches and tells the linked goals.
 * @throws NotFoundError when the user has no such metric; ConflictError under heavy contention
 */
export async function addMetricLog(
  ctx: UserCtx,
  metricId: string,
  input: MetricLogCreateInput,
): Promise<MetricLogT> {
  const now = nowInstant(ctx.clock);
  const log: StoredMetricLog = {
    id: newId(),
    metricId,
    userId: ctx.userId,
    value: input.value,
    loggedAt: input.loggedAt ?? now,
    note: input.note ?? input.notes ?? null,
    createdAt: now,
  };
  const { plan } = await writeVersioned(ctx, 'METRIC', metricId, async (metric) => {
    const recent = newestFirst([...recentLogsOf(metric), log]).slice(0, RECENT_LOGS);
    const item = metricItem(
      {
        ...fromItem(metric),
        recentLogs: recent,
        currentValue: recent[0]?.value ?? null,
        logCount: Number(metric.logCount ?? 0) + 1,
        updatedAt: now,
      },
      Number(metric.version ?? 0) + 1,
    );
    return {
      item,
      ops: [
        { put: item, condition: sameVersion(metric) },
        { put: metricLogItem(log), condition: cond.notExists('pk') },
      ],
    };
  });
  await recordDetectedMilestones(ctx, plan.item);
  await onGoalInputsChanged(ctx, linkedIds(plan.item, 'GOAL'), {
    kind: 'metric_logged',
    entityType: 'metric',
    entityId: metricId,
    title: String(plan.item.name),
  });
  return toMetricLog(log);
}

/**
 * Recomputes a metric's denormalised log state from its partition — `currentValue` (value of the
 * latest log by `loggedAt`), `logCount`, `recentLogs` (the 10 newest, newest first) and
 * `milestoneCount` — and stores it only when it differs, in a write conditioned on the metric's
 * version (read and computed again when it changed meanwhile). `updatedAt` is left alone: the
 * metric itself did not change. One query of the metric's partition. For logs and milestones
 * written in bulk (the import), where the per-log bookkeeping of {@link addMetricLog} is skipped.
 * @returns whether the stored metric changed.
 * @throws NotFoundError when the user has no such metric; ConflictError under heavy contention
 */
export async function recomputeMetricSummary(ctx: UserCtx, metricId: string): Promise<boolean> {
  const { plan } = await writeVersioned(ctx, 'METRIC', metricId, async (metric) => {
    const children = await queryAll(ctx.db, { pk: childPk(ctx.userId, 'METRIC', metricId) });
    const of = (prefix: string) => children.filter((c) => String(c.sk).startsWith(prefix));
    const logs = of(keys.logPrefix).map(storedLog);
    const recent = newestFirst(logs).slice(0, RECENT_LOGS);
    const summary = {
      recentLogs: recent,
      currentValue: recent[0]?.value ?? null,
      logCount: logs.length,
      milestoneCount: of(keys.milestonePrefix).length,
    };
    const stored = Object.fromEntries(Object.keys(summary).map((k) => [k, metric[k] ?? null]));
    if (isDeepStrictEqual(stored, stripUndefined(summary))) return null;
    const item = metricItem({ ...fromItem(metric), ...summary }, Number(metric.version ?? 0) + 1);
    return { ops: [{ put: item, condition: sameVersion(metric) }] };
  });
  return plan !== null;
}

/**
 * Deletes one log and recomputes the metric's `currentValue`, `logCount` and `recentLogs`. A log
 * among the 10 newest is found on the metric item; an older one by a filtered query of the
 * metric's partition.
 * @throws NotFoundError when the metric or the log does not exist for this user
 */
export async function deleteMetricLog(
  ctx: UserCtx,
  metricId: string,
  logId: string,
): Promise<void> {
  const { current } = await writeVersioned(ctx, 'METRIC', metricId, async (metric) => {
    const recent = recentLogsOf(metric);
    const isRecent = recent.some((l) => l.id === logId);
    const log = isRecent
      ? recent.find((l) => l.id === logId)
      : (await queryAll(ctx.db, { ...logQuery(ctx, metricId), filter: cond.eq('id', logId) })).map(
          storedLog,
        )[0];
    if (!log) throw new NotFoundError('Metric log', logId);
    const remaining = isRecent
      ? (await readNewest(ctx.db, logQuery(ctx, metricId), RECENT_LOGS + 1))
          .filter((l) => l.id !== logId)
          .slice(0, RECENT_LOGS)
      : recent;
    const item = metricItem(
      {
        ...fromItem(metric),
        recentLogs: remaining,
        currentValue: remaining[0]?.value ?? null,
        logCount: Math.max(0, Number(metric.logCount ?? 0) - 1),
        updatedAt: nowInstant(ctx.clock),
      },
      Number(metric.version ?? 0) + 1,
    );
    return {
      ops: [
        { put: item, condition: sameVersion(metric) },
        {
          delete: keys.metricLog(ctx.userId, metricId, log.loggedAt, log.id),
          condition: cond.exists('pk'),
        },
      ],
    };
  });
  // The latest value may have changed: the linked goals recompute their progress.
  await onGoalInputsChanged(ctx, linkedIds(current, 'GOAL'), {
    kind: 'log_deleted',
    entityType: 'metric',
    entityId: metricId,
    title: String(current.name),
  });
}

/**
 * A metric's logs, newest first, between the local dates `startDate` and `endDate` (inclusive,
 * in the user's zone), paged (`limit` is an alias of `pageSize`). Without dates and with a page
 * size only the newest `page × pageSize` logs are read, and `total` is the metric's `logCount`.
 * @throws NotFoundError
 */
export async function listMetricLogs(
  ctx: UserCtx,
  metricId: string,
  query: MetricLogQueryT,
): Promise<PageSlice<MetricLogT>> {
  const metric = await getEntity(ctx.db, ctx.userId, 'METRIC', metricId);
  const request: PageRequest = { page: query.page, pageSize: query.pageSize ?? query.limit };
  if (!query.startDate && !query.endDate) {
    const { pageSize } = request;
    if (pageSize === undefined) {
      return paginate((await readSeries(ctx, metricId)).reverse().map(toMetricLog));
    }
    const page = request.page ?? 1;
    const newest = await readNewest(ctx.db, logQuery(ctx, metricId), page * pageSize);
    const total = Number(metric.logCount ?? 0);
    return {
      ...paginate(newest.map(toMetricLog), request),
      total,
      hasMore: page * pageSize < total,
    };
  }
  const timeZone = await timeZoneOf(ctx);
  const from = query.startDate
    ? keys.logBound(startOfLocalDay(query.startDate, timeZone))
    : keys.logPrefix;
  const to = keys.logBound(
    query.endDate ? startOfLocalDay(addDays(query.endDate, 1), timeZone) : '~',
  );
  const items = await queryAll(ctx.db, { ...logQuery(ctx, metricId, [from, to]), forward: false });
  return paginate(
    items.map((i) => toMetricLog(storedLog(i))),
    request,
  );
}

/** Every log of the user across metrics, newest first (one GSI1 query), paged. */
export async function listAllMetricLogs(
  ctx: UserCtx,
  request: PageRequest,
): Promise<PageSlice<MetricLogT>> {
  const items = await queryAll(ctx.db, {
    index: 'GSI1',
    pk: keys.childIndexPk(ctx.userId, 'METRICLOG'),
    forward: false,
  });
  return paginate(
    items.map((i) => toMetricLog(storedLog(i))),
    request,
  );
}
