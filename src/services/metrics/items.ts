/**
 * Metric and metric-log items ⇄ API shapes, shared by the metric services.
 *
 * A metric item holds the entity plus its denormalised log state: `currentValue` (value of the
 * latest log by `loggedAt`, null without logs), `logCount`, `milestoneCount` and `recentLogs`
 * (the {@link RECENT_LOGS} newest logs, newest first, served as `logs`).
 */
import type { MetricLogT, MetricT } from '../../api/schemas/metrics.js';
import { keys } from '../../db/keys.js';
import { entityItem, fromItem } from '../../db/models.js';
import type { Item } from '../../db/table.js';

/** How many of the newest logs a metric item embeds. */
export const RECENT_LOGS = 10;

/** A log as stored (its own item, and embedded in the metric's `recentLogs`). */
export interface StoredMetricLog {
  id: string;
  metricId: string;
  userId: string;
  value: number;
  /** Instant, fixed-width ISO. */
  loggedAt: string;
  note: string | null;
  createdAt: string;
}

/** The API shape of a stored metric: storage attributes dropped, defaults filled. */
export function toMetric(item: Item): MetricT {
  const m = fromItem<Record<string, unknown>>(item);
  const status = String(m.status ?? 'Active');
  const currentValue = m.currentValue as number | null | undefined;
  return {
    id: String(m.id),
    name: String(m.name),
    description: (m.description as string | null) ?? null,
    area: String(m.area),
    subCategory: (m.subCategory as string | null) ?? null,
    unit: String(m.unit),
    customUnit: (m.customUnit as string | null) ?? null,
    direction: String(m.direction),
    targetValue: (m.targetValue as number | null) ?? null,
    thresholdLow: (m.thresholdLow as number | null) ?? null,
    thresholdHigh: (m.thresholdHigh as number | null) ?? null,
    source: String(m.source ?? 'Manual'),
    status,
    isActive: status === 'Active',
    goalIds: (m.goalIds as string[] | undefined) ?? [],
    userId: String(m.userId),
    createdAt: String(m.createdAt),
    updatedAt: String(m.updatedAt),
    ...(currentValue != null ? { currentValue } : {}),
    baselineValue: (m.baselineValue as number | null) ?? null,
    trackingFrequency: String(m.trackingFrequency ?? 'Daily'),
    logCount: Number(m.logCount ?? 0),
    milestoneCount: Number(m.milestoneCount ?? 0),
    logs: recentLogsOf(item).map(toMetricLog),
  };
}

/** The newest logs embedded in a metric item, newest first. */
export function recentLogsOf(item: Item): StoredMetricLog[] {
  return (item.recentLogs as StoredMetricLog[] | undefined) ?? [];
}

/** The item of a metric entity at `version` (keys, GSI1 by status, GSI2 by area). */
export function metricItem(metric: Record<string, unknown>, version: number): Item {
  return entityItem('METRIC', metric as unknown as MetricT, version);
}

/** The API shape of a stored log; `notes` repeats `note` (API_CONTRACT.md §f.8). */
export function toMetricLog(log: StoredMetricLog | Item): MetricLogT {
  const note = (log.note as string | null | undefined) ?? null;
  return {
    id: String(log.id),
    metricId: String(log.metricId),
    value: Number(log.value),
    loggedAt: String(log.loggedAt),
    note,
    notes: note,
    userId: String(log.userId),
    createdAt: String(log.createdAt),
  };
}

/** The stored fields of a log item. */
export function storedLog(item: Item): StoredMetricLog {
  const { id, metricId, userId, value, loggedAt, note, createdAt } = item;
  return {
    id: String(id),
    metricId: String(metricId),
    userId: String(userId),
    value: Number(value),
    loggedAt: String(loggedAt),
    note: (note as string | null | undefined) ?? null,
    createdAt: String(createdAt),
  };
}

/** The item of a log: in its metric's partition and in the user's GSI1 log partition. */
export function metricLogItem(log: StoredMetricLog): Item {
  return {
    ...log,
    ...keys.metricLog(log.userId, log.metricId, log.loggedAt, log.id),
    ...keys.childIndex(log.userId, 'METRICLOG', `${log.loggedAt}#${log.id}`),
    entityType: 'METRICLOG',
  };
}

/** `logs` sorted newest first (by `loggedAt`, then id — the order of their sort keys). */
export function newestFirst<T extends { loggedAt: string; id: string }>(logs: T[]): T[] {
  const order = (l: T) => `${l.loggedAt}#${l.id}`;
  return [...logs].sort((a, b) => (order(a) < order(b) ? 1 : order(a) > order(b) ? -1 : 0));
}
