/**
 * Metrics (issue 5): one user with {@link METRIC_COUNT} metrics of {@link RECENT_LOGS} logs each,
 * one of which has {@link SERIES_LOGS} logs in all; listing the metrics (the list embeds each
 * metric's newest logs: one query, never one per metric) and that metric's analytics (the whole
 * series read and analysed on every request).
 *
 * Every metric gets its {@link RECENT_LOGS} newest logs through the API, which maintains the
 * metric item's `logs`, `currentValue` and `logCount`. The long series' older logs are written
 * straight into the store as the service's own items (`metricLogItem`), and the metric item's
 * `logCount` and `version` grow by as much, as the API's log writes would have left them (older
 * logs change neither `logs` nor `currentValue`). The one thing the API would also have done is
 * record milestones; analytics does not read them.
 *
 * Logs are hourly, the newest at 23:00 UTC yesterday (the new user's zone is UTC, the default).
 */
import { AREAS } from '../../src/api/schemas/common.js';
import { keys } from '../../src/db/keys.js';
import {
  RECENT_LOGS,
  metricLogItem,
  type StoredMetricLog,
} from '../../src/services/metrics/items.js';
import { newId } from '../../src/utils/ids.js';
import { defineSuite, progress, type User } from '../harness.js';

/** Metrics the user has while the list is measured. */
export const METRIC_COUNT = 50;
/** Logs of the metric whose analytics are measured. */
export const SERIES_LOGS = 10_000;

const HOUR_MS = 60 * 60 * 1000;

/**
 * The `k`-th newest log's instant and value: hourly back from 23:00 UTC yesterday; a weight in kg
 * that falls 0.012 kg a day (0.0005 an hour) with a daily swing of ±0.5 kg, to one decimal.
 */
function sample(k: number, midnight: number) {
  const value = 75 + 0.0005 * k + 0.5 * Math.sin((2 * Math.PI * k) / 24);
  return {
    loggedAt: new Date(midnight - (k + 1) * HOUR_MS).toISOString(),
    value: Math.round(value * 10) / 10,
  };
}

/** Creates a metric through the API and logs its {@link RECENT_LOGS} newest values. */
async function createMetric(user: User, i: number, midnight: number): Promise<string> {
  const created = await user.call<{ id: string }>({
    method: 'POST',
    path: '/metrics',
    body: {
      name: i === 0 ? 'Body weight' : `Metric ${String(i + 1).padStart(2, '0')}`,
      area: AREAS[i % AREAS.length],
      unit: 'kg',
      direction: 'Lower',
      targetValue: 72,
    },
  });
  if (created.status !== 201)
    throw new Error(`creating metric ${i + 1} answered ${created.status}`);
  const { id } = created.data;
  for (let k = RECENT_LOGS - 1; k >= 0; k--) {
    const res = await user.call({
      method: 'POST',
      path: `/metrics/${id}/logs`,
      body: sample(k, midnight),
    });
    if (res.status !== 201) throw new Error(`logging metric ${i + 1} answered ${res.status}`);
  }
  return id;
}

/** Seeds the metrics, then the long series' older logs; measures the list and the analytics. */
export default defineSuite({
  name: 'metrics',
  async seed(user, store) {
    const midnight = new Date().setUTCHours(0, 0, 0, 0);
    const ids: string[] = [];
    for (let i = 0; i < METRIC_COUNT; i++) ids.push(await createMetric(user, i, midnight));
    const [seriesId] = ids as [string];
    const createdAt = new Date().toISOString();
    const older: StoredMetricLog[] = [];
    for (let k = RECENT_LOGS; k < SERIES_LOGS; k++) {
      older.push({
        id: newId(),
        metricId: seriesId,
        userId: user.userId,
        ...sample(k, midnight),
        note: null,
        createdAt,
      });
    }
    await store.batchWrite({ put: older.map(metricLogItem) });
    await store.update(keys.entity(user.userId, 'METRIC', seriesId), {
      add: { logCount: older.length, version: older.length },
    });
    progress(`metrics: ${METRIC_COUNT} metrics, one with ${SERIES_LOGS} logs`);
    return { seriesId };
  },
  scenarios: [
    {
      name: `GET /metrics (${METRIC_COUNT}, ${RECENT_LOGS} logs each)`,
      request: () => ({ method: 'GET', path: '/metrics' }),
      check(data) {
        const { data: metrics } = data as { data: { logs: unknown[] }[] };
        if (metrics.length !== METRIC_COUNT || metrics.some((m) => m.logs.length !== RECENT_LOGS)) {
          throw new Error(`the list holds ${metrics.length} metrics, not all with their logs`);
        }
      },
    },
    {
      name: `GET /metrics/{id}/analytics (${SERIES_LOGS.toLocaleString('en')} logs)`,
      request: ({ seriesId }) => ({ method: 'GET', path: `/metrics/${seriesId}/analytics` }),
      check(data) {
        // 10,000 hourly logs ending at 23:00 yesterday: 416 whole days (416 × 24 = 9,984) plus
        // 16 hours of the day before, so 417 consecutive logged days.
        const { streak } = data as { streak: { longest: number } };
        if (streak.longest !== 417) throw new Error(`longest streak ${streak.longest}, not 417`);
      },
    },
  ],
});
