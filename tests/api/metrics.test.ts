/**
 * Metrics end to end over HTTP, against both stores: CRUD, logs and their denormalised summary,
 * milestones recorded once (and paid once when the server pays), insights that expire, analytics,
 * correlations and anomalies on worked examples, goal links, cascade delete, bad input and
 * isolation. Plus: `GET /metrics` is one storage request for 50 metrics, and a 10,000-log metric.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { userCtx } from '../../src/api/deps.js';
import { childPk, keys } from '../../src/db/keys.js';
import { entityItem } from '../../src/db/models.js';
import { queryAll } from '../../src/db/table.js';
import { createMetric, listMetrics } from '../../src/services/metrics/index.js';
import { metricItem, metricLogItem } from '../../src/services/metrics/items.js';
import { fixedClock } from '../../src/utils/dates.js';
import { startApi, type TestApi, type TestUser } from '../helpers/api.js';
import { travel } from '../helpers/clock.js';
import { expectCovers, expectIsolated } from '../helpers/security.js';
import { countingTable } from '../helpers/counting.js';
import { storedLedger } from '../helpers/ledger.js';
import { STORES } from '../helpers/stores.js';
import { expectInvalid } from '../helpers/assertions.js';

type Log = {
  id: string;
  value: number;
  loggedAt: string;
  note: string | null;
  notes: string | null;
};
type Metric = Record<string, unknown> & {
  id: string;
  logs: Log[];
  logCount: number;
  milestoneCount: number;
  currentValue?: number;
};
type Page<T> = { data: T[]; total: number; page: number; pageSize: number; hasMore: boolean };
type Milestone = {
  id: string;
  metricId: string;
  type: string;
  value: number;
  pointsAwarded: number;
};

const NOW = '2026-07-15T18:00:00.000Z';
const july = (day: number, time = '12:00') =>
  `2026-07-${String(day).padStart(2, '0')}T${time}:00.000Z`;

async function ledger(api: TestApi, userId: string) {
  const { entries, balance } = await storedLedger(api.deps.db, userId);
  const pick = ({
    type,
    source,
    amount,
    description,
    sourceEntityId,
  }: Record<string, unknown>) => ({
    type,
    source,
    amount,
    description,
    sourceEntityId,
  });
  return { entries: entries.map(pick), balance };
}

describe.each(STORES)('metrics on %s', (store) => {
  let api: TestApi;
  let owner: TestUser;
  const clock = fixedClock(NOW);
  const create = (body: Record<string, unknown>, user: TestUser = owner) =>
    api.call<Metric>('POST', '/metrics', { token: user.token, body });
  const addLog = (id: string, body: Record<string, unknown>, user: TestUser = owner) =>
    api.call<Log>('POST', `/metrics/${id}/logs`, { token: user.token, body });
  const get = <T>(path: string, user: TestUser = owner) =>
    api.call<T>('GET', path, { token: user.token }).then((r) => r.body.data);

  beforeAll(async () => {
    // A client that pays milestones itself: the server records them without paying.
    api = await startApi({ store, clock, env: { AWARD_MILESTONE_POINTS: 'false' } });
    owner = await api.newUser('metrics');
  });
  afterAll(() => api.close());

  it('creates a metric with the contract defaults; isActive maps to status; PATCH is partial', async () => {
    await travel(api, clock, NOW, owner);
    const res = await create({
      name: 'Body weight',
      area: 'Health',
      unit: 'kg',
      direction: 'Lower',
      targetValue: 75,
    });
    expect(res.status).toBe(201);
    expect(res.body.data).toMatchObject({
      name: 'Body weight',
      area: 'Health',
      unit: 'kg',
      direction: 'Lower',
      targetValue: 75,
      description: null,
      subCategory: null,
      customUnit: null,
      thresholdLow: null,
      thresholdHigh: null,
      baselineValue: null,
      source: 'Manual',
      status: 'Active',
      isActive: true,
      trackingFrequency: 'Daily',
      goalIds: [],
      logCount: 0,
      milestoneCount: 0,
      logs: [],
      userId: owner.userId,
      createdAt: NOW,
      updatedAt: NOW,
    });
    for (const hidden of ['currentValue', 'pk', 'version', 'recentLogs', 'gsi1pk']) {
      expect(res.body.data).not.toHaveProperty(hidden);
    }
    const id = res.body.data.id;
    expect(await get(`/metrics/${id}`)).toEqual(res.body.data);

    const paused = await api.call<Metric>('PATCH', `/metrics/${id}`, {
      token: owner.token,
      body: { isActive: false, description: 'morning, after coffee' },
    });
    expect(paused.body.data).toMatchObject({
      status: 'Paused',
      isActive: false,
      description: 'morning, after coffee',
      targetValue: 75,
    });
    const cleared = await api.call<Metric>('PATCH', `/metrics/${id}`, {
      token: owner.token,
      body: { description: null, targetValue: null, status: 'Active', area: 'DayJob' },
    });
    expect(cleared.body.data).toMatchObject({
      description: null,
      targetValue: null,
      status: 'Active',
      isActive: true,
      area: 'Day Job',
      name: 'Body weight',
    });
    const filtered = await get<Page<Metric>>('/metrics?area=Day%20Job&status=Active');
    expect(filtered.data.map((m) => m.id)).toContain(id);
    expect((await get<Page<Metric>>('/metrics?status=Paused')).data.map((m) => m.id)).not.toContain(
      id,
    );
  });

  it('refuses bad input with 400 field details and stores nothing', async () => {
    const user = await api.newUser('metrics-bad');
    const valid = { name: 'Sleep', area: 'Health', unit: 'hours', direction: 'Higher' };
    const creates: [Record<string, unknown>, (string | number)[]][] = [
      [{ ...valid, unit: 'stones' }, ['body', 'unit']],
      [{ ...valid, direction: 'Up' }, ['body', 'direction']],
      [{ ...valid, name: '' }, ['body', 'name']],
      [{ ...valid, targetValue: 'eight' }, ['body', 'targetValue']],
      [{ ...valid, thresholdLow: 9, thresholdHigh: 5 }, ['body', 'thresholdLow']],
      [{ ...valid, status: 'Sleeping' }, ['body', 'status']],
    ];
    for (const [body, loc] of creates) {
      const res = await create(body, user);
      expectInvalid(res, loc, body);
    }
    const unknownGoal = await create({ ...valid, goalIds: ['no-such-goal'] }, user);
    expect(unknownGoal.status).toBe(404);
    expect((await get<Page<Metric>>('/metrics', user)).total).toBe(0);

    const metric = (await create(valid, user)).body.data;
    const logs: [Record<string, unknown>, string][] = [
      [{ value: '12' }, 'value'],
      [{ value: 'twelve' }, 'value'],
      [{}, 'value'],
      [{ value: 1e13 }, 'value'],
      [{ value: 1e-300 }, 'value'], // DynamoDB stores no magnitude below 10^−130
      [{ value: 7, loggedAt: '2024-02-30' }, 'loggedAt'],
      [{ value: 7, loggedAt: '2026-07-14T10:00:00' }, 'loggedAt'], // no offset: not an instant
      // 05:00Z on January 1 of year 10000, and a date whose local days reach year 0: outside the
      // supported years (instants are fixed-width ISO strings, years 0000–9999).
      [{ value: 7, loggedAt: '9999-12-31T23:00:00-05:00' }, 'loggedAt'],
      [{ value: 7, loggedAt: '0000-01-01' }, 'loggedAt'],
    ];
    for (const [body, field] of logs) {
      const res = await addLog(metric.id, body, user);
      expect({ body, status: res.status }).toEqual({ body, status: 400 });
      expect(res.body.error?.details).toEqual([expect.objectContaining({ loc: ['body', field] })]);
    }
    for (const [query, loc] of [
      ['?startDate=2024-02-30', ['query', 'startDate']],
      ['?startDate=2026-07-10&endDate=2026-07-01', ['query', 'endDate']],
      ['?endDate=9999-12-31', ['query', 'endDate']], // the day after it is in year 10000
      ['?limit=0', ['query', 'limit']],
    ] as const) {
      const res = await api.call('GET', `/metrics/${metric.id}/logs${query}`, {
        token: user.token,
      });
      expect(res.status).toBe(400);
      expect(res.body.error?.details).toEqual([expect.objectContaining({ loc })]);
    }
    expect((await get<Metric>(`/metrics/${metric.id}`, user)).logCount).toBe(0);
    expect((await get<Page<Log>>('/metricLogs', user)).total).toBe(0);
  });

  it('keeps logs newest first with currentValue, logCount and the 10 newest embedded; delete recomputes', async () => {
    const user = await api.newUser('metric-logs');
    await api.call('PUT', '/preferences/time-zone', {
      token: user.token,
      body: { timeZone: 'America/Los_Angeles' },
    });
    const metric = (
      await create({ name: 'Steps', area: 'Health', unit: 'count', direction: 'Higher' }, user)
    ).body.data;
    for (let day = 1; day <= 12; day++) {
      const body: Record<string, unknown> = { value: day, loggedAt: july(day) };
      if (day === 12) body.note = 'felt good';
      if (day === 11) body.notes = 'sent as notes';
      expect((await addLog(metric.id, body, user)).status).toBe(201);
    }
    // Two logs in the same second both survive; the later one is newer.
    await addLog(metric.id, { value: 13, loggedAt: july(13) }, user);
    const twin = await addLog(
      metric.id,
      { value: 14, loggedAt: '2026-07-13T12:00:00+00:00' },
      user,
    );
    expect(twin.body.data).toMatchObject({
      value: 14,
      loggedAt: july(13),
      note: null,
      notes: null,
    });
    // A late entry for June 30 does not change the current value.
    const backfill = (await addLog(metric.id, { value: 0, loggedAt: '2026-06-30T12:00:00Z' }, user))
      .body.data;

    const listed = (await get<Page<Metric>>('/metrics', user)).data[0] as Metric;
    expect(listed.currentValue).toBe(14);
    expect(listed.logCount).toBe(15);
    expect(listed.logs.map((l) => l.value)).toEqual([14, 13, 12, 11, 10, 9, 8, 7, 6, 5]);
    expect(listed.logs[2]).toMatchObject({ note: 'felt good', notes: 'felt good' });
    expect(listed.logs[3]).toMatchObject({ note: 'sent as notes', notes: 'sent as notes' });

    const page = await get<Page<Log>>(`/metrics/${metric.id}/logs?limit=3`, user);
    expect(page).toMatchObject({ total: 15, page: 1, pageSize: 3, hasMore: true });
    expect(page.data.map((l) => l.value)).toEqual([14, 13, 12]);
    const last = await get<Page<Log>>(`/metrics/${metric.id}/logs?pageSize=3&page=5`, user);
    expect(last).toMatchObject({ total: 15, hasMore: false });
    expect(last.data.map((l) => l.value)).toEqual([2, 1, 0]);
    expect((await get<Page<Log>>(`/metrics/${metric.id}/logs`, user)).total).toBe(15);

    // Local dates in Los Angeles: July 12 is 07:00Z on the 12th to 07:00Z on the 13th.
    const range = (q: string) =>
      get<Page<Log>>(`/metrics/${metric.id}/logs?${q}`, user).then((p) =>
        p.data.map((l) => l.value),
      );
    expect(await range('startDate=2026-07-12&endDate=2026-07-12')).toEqual([12]);
    expect(await range('startDate=2026-07-13')).toEqual([14, 13]);
    // 12:00Z on July 1 is 05:00 on July 1 in LA, so June 30 holds only the backfill.
    expect(await range('endDate=2026-06-30')).toEqual([0]);

    const del = (logId: string) =>
      api.call('DELETE', `/metrics/${metric.id}/logs/${logId}`, { token: user.token });
    expect((await del(twin.body.data.id)).status).toBe(200);
    let after = await get<Metric>(`/metrics/${metric.id}`, user);
    expect(after.currentValue).toBe(13);
    expect(after.logCount).toBe(14);
    expect(after.logs.map((l) => l.value)).toEqual([13, 12, 11, 10, 9, 8, 7, 6, 5, 4]);
    expect((await del(backfill.id)).status).toBe(200);
    after = await get<Metric>(`/metrics/${metric.id}`, user);
    expect(after.logCount).toBe(13);
    expect(after.logs).toHaveLength(10);
    expect((await del(backfill.id)).status).toBe(404);
    expect((await del('no-such-log')).status).toBe(404);

    // /metricLogs: every log of the user across metrics, newest first.
    const other = (
      await create({ name: 'Water', area: 'Health', unit: 'count', direction: 'Higher' }, user)
    ).body.data;
    await addLog(other.id, { value: 8 }, user); // now: July 15, the newest
    const all = await get<Page<Log & { metricId: string }>>('/metricLogs', user);
    expect(all.total).toBe(14);
    expect(all.data[0]).toMatchObject({ metricId: other.id, value: 8, loggedAt: NOW });
    expect(all.data.slice(1).map((l) => l.value)).toEqual([
      13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1,
    ]);
  });

  it('records each milestone once, without paying, and POST /metricMilestones is idempotent', async () => {
    await travel(api, clock, NOW);
    const user = await api.newUser('milestones');
    const metric = (
      await create(
        { name: 'Push-ups', area: 'Health', unit: 'count', direction: 'Higher', targetValue: 100 },
        user,
      )
    ).body.data;
    // July 9–15 (today), 10:00 UTC: 50 60 70 80 90 95 100
    const values = [50, 60, 70, 80, 90, 95, 100];
    for (const [i, value] of values.entries()) {
      await addLog(metric.id, { value, loggedAt: july(9 + i, '10:00') }, user);
    }
    const recorded = await get<Page<Milestone>>(`/metrics/${metric.id}/milestones`, user);
    // +20 % after 60, +40 % after 70, +60 % after 80 (over the first value 50); on July 15:
    // 100 ≥ target (200 × 1.2 = 240), 7 consecutive days (350), 7 of the last 7 days (175).
    expect(recorded.data.map((m) => [m.type, m.value, m.pointsAwarded]).sort()).toEqual(
      [
        ['consistency', 7, 175],
        ['improvement', 10, 200],
        ['improvement', 25, 500],
        ['improvement', 50, 1000],
        ['streak', 7, 350],
        ['target_reached', 100, 240],
      ].sort(),
    );
    expect((await get<Metric>(`/metrics/${metric.id}`, user)).milestoneCount).toBe(6);
    expect(await ledger(api, user.userId)).toEqual({ entries: [], balance: 0 });

    await addLog(metric.id, { value: 101 }, user);
    expect((await get<Page<Milestone>>(`/metrics/${metric.id}/milestones`, user)).total).toBe(6);

    const streak7 = recorded.data.find((m) => m.type === 'streak') as Milestone;
    const replay = await api.call<Milestone>('POST', '/metricMilestones', {
      token: user.token,
      body: {
        id: 'client-1',
        metricId: metric.id,
        type: 'streak',
        value: 7,
        achievedAt: NOW,
        pointsAwarded: 350,
        rewardId: null,
      },
    });
    expect(replay.status).toBe(201);
    expect(replay.body.data).toEqual(streak7);
    const fresh = {
      id: 'client-2',
      metricId: metric.id,
      type: 'streak',
      value: 30,
      achievedAt: NOW,
      pointsAwarded: 1500,
      rewardId: null,
    };
    const saved = await api.call<Milestone>('POST', '/metricMilestones', {
      token: user.token,
      body: fresh,
    });
    expect(saved.body.data).toEqual(fresh);
    const again = await api.call<Milestone>('POST', '/metricMilestones', {
      token: user.token,
      body: { ...fresh, id: 'client-3' },
    });
    expect(again.body.data.id).toBe('client-2');
    // A client id names one milestone: reusing it for another (type, value) is refused.
    const reused = await api.call<Milestone>('POST', '/metricMilestones', {
      token: user.token,
      body: { ...fresh, type: 'consistency', value: 30, pointsAwarded: 750 },
    });
    expect(reused.status).toBe(409);
    expect(reused.body.error).toMatchObject({ code: 'CONFLICT', details: { id: 'client-2' } });
    expect((await get<Metric>(`/metrics/${metric.id}`, user)).milestoneCount).toBe(7);
    const everywhere = await get<Page<Milestone>>('/metricMilestones', user);
    expect(everywhere.total).toBe(7);
    expect(everywhere.data.every((m) => m.metricId === metric.id)).toBe(true);
    expect(await ledger(api, user.userId)).toEqual({ entries: [], balance: 0 });

    const unknown = await api.call('POST', '/metricMilestones', {
      token: user.token,
      body: { ...fresh, metricId: 'no-such-metric' },
    });
    expect(unknown.status).toBe(404);
    const bad = await api.call('POST', '/metricMilestones', {
      token: user.token,
      body: { ...fresh, type: 'legendary' },
    });
    expect(bad.status).toBe(400);
  });

  it('keeps insights until they expire, and serves a metric’s deterministic insights', async () => {
    await travel(api, clock, NOW);
    const user = await api.newUser('insights');
    const metric = (
      await create({ name: 'Mood', area: 'Happiness', unit: 'rating', direction: 'Higher' }, user)
    ).body.data;
    const post = (body: Record<string, unknown>) =>
      api.call<Record<string, unknown>>('POST', '/metricInsights', { token: user.token, body });
    const insight = {
      metricId: metric.id,
      type: 'pattern',
      title: 'Weekends are better',
      description: 'Mood is 1.2 points higher on Saturdays.',
      confidence: 0.8,
    };
    const live = await post({
      ...insight,
      id: 'ins-1',
      cachedAt: NOW,
      expiresAt: '2026-07-15T19:00:00.000Z',
    });
    expect(live.status).toBe(201);
    await post({
      ...insight,
      id: 'ins-old',
      cachedAt: '2026-07-13T18:00:00.000Z',
      expiresAt: '2026-07-14T18:00:00.000Z',
    });
    const defaulted = await post({ ...insight, id: 'ins-2' });
    expect(defaulted.body.data).toMatchObject({
      cachedAt: NOW,
      expiresAt: '2026-07-16T18:00:00.000Z', // 24 hours later
    });
    const ids = () =>
      get<Page<{ id: string }>>('/metricInsights', user).then((p) =>
        p.data.map((i) => i.id).sort(),
      );
    expect(await ids()).toEqual(['ins-1', 'ins-2']);
    await travel(api, clock, '2026-07-15T20:00:00.000Z', user);
    expect(await ids()).toEqual(['ins-2']);

    const cache = await get<{ type: string; content: Record<string, unknown>; expiresAt: string }>(
      `/metrics/${metric.id}/insights`,
      user,
    );
    expect(cache.type).toBe('deterministic');
    expect(cache.expiresAt).toBe('2026-07-15T21:00:00.000Z');
    expect(cache.content).toMatchObject({
      analytics: { streak: { current: 0, longest: 0 } },
      anomalies: { n: 0, anomalies: [] },
      correlations: [],
      insights: [expect.objectContaining({ id: 'ins-2' })],
    });

    expect((await api.call('DELETE', '/metricInsights/ins-2', { token: user.token })).status).toBe(
      200,
    );
    expect((await api.call('DELETE', '/metricInsights/ins-2', { token: user.token })).status).toBe(
      404,
    );
    expect((await post({ ...insight, metricId: 'no-such-metric' })).status).toBe(404);
    expect((await post({ ...insight, confidence: 1.5 })).status).toBe(400);
    // A number DynamoDB cannot store (a magnitude below 10^−130).
    expect((await post({ ...insight, confidence: 1e-200 })).status).toBe(400);
    expect((await post({ ...insight, type: 'guess' })).status).toBe(400);
  });

  it('computes analytics, anomalies and correlations on worked examples', async () => {
    await travel(api, clock, '2026-07-04T09:00:00.000Z');
    const user = await api.newUser('analytics');
    const mk = (name: string, extra: Record<string, unknown> = {}) =>
      create({ name, area: 'Health', unit: 'count', direction: 'Higher', ...extra }, user).then(
        (r) => r.body.data,
      );
    const trendMetric = await mk('Trend', { targetValue: 25 });
    for (const [day, value] of [
      [1, 10],
      [3, 14],
      [4, 20],
    ]) {
      await addLog(trendMetric.id, { value, loggedAt: july(day as number, '09:00') }, user);
    }
    // See tests/services/analytics.test.ts for the arithmetic.
    const a = await get<Record<string, Record<string, number | boolean>>>(
      `/metrics/${trendMetric.id}/analytics`,
      user,
    );
    expect(a.trend).toMatchObject({ current: 20, previous: 14, change: 6, isImproving: true });
    expect(a.trend?.velocity).toBeCloseTo(6, 9);
    expect(a.trend?.acceleration).toBeCloseTo(4, 9);
    expect(a.progress).toEqual({
      current: 20,
      target: 25,
      percentage: 80,
      remaining: 5,
      isOnTrack: true,
    });
    expect(a.streak).toEqual({ current: 2, longest: 2 });
    expect(a.prediction?.daysAhead).toBe(30);
    expect(a.prediction?.futureValue).toBeCloseTo(792 / 7, 6);
    expect(a.prediction?.confidence).toBeCloseTo(1 - 288 / 3192, 9);

    const spiky = await mk('Spiky');
    for (const [i, value] of [10, 11, 10, 12, 11, 10, 50].entries()) {
      await addLog(spiky.id, { value, loggedAt: july(1, `0${i}:00`) }, user);
    }
    const anomalies = await get<Record<string, unknown>>(`/metrics/${spiky.id}/anomalies`, user);
    // median 11, MAD 1: z(50) = 0.6745 × 39 = 26.31; every other |z| ≤ 0.6745
    expect(anomalies).toMatchObject({ n: 7, median: 11, mad: 1, method: 'mad', threshold: 3.5 });
    expect(anomalies.anomalies).toEqual([
      {
        logId: expect.any(String),
        value: 50,
        loggedAt: july(1, '06:00'),
        zScore: expect.closeTo(26.3055, 4),
        kind: 'spike',
      },
    ]);

    // A on July 1–10; B on July 3–12 with B(d + 2) = 2·A(d) + 1; C only 5 days; D constant.
    const digits = [3, 1, 4, 1, 5, 9, 2, 6, 5, 3];
    const [mA, mB, mC, mD] = [await mk('A'), await mk('B'), await mk('C'), await mk('D')];
    for (const [i, v] of digits.entries()) {
      await addLog(mA.id, { value: v, loggedAt: july(i + 1) }, user);
      await addLog(mB.id, { value: 2 * v + 1, loggedAt: july(i + 3) }, user);
      await addLog(mD.id, { value: 4, loggedAt: july(i + 1) }, user);
      if (i < 5) await addLog(mC.id, { value: v, loggedAt: july(i + 1) }, user);
    }
    type Corr = { correlations: Record<string, unknown>[] };
    // Trend (3 days) and Spiky (1 day) share too few days with anything.
    expect((await get<Corr>('/metrics/correlations', user)).correlations).toEqual([
      {
        metricId: mA.id,
        metricName: 'A',
        otherMetricId: mB.id,
        otherMetricName: 'B',
        r: expect.closeTo(1, 9),
        pValue: 0,
        n: 10,
        lag: 2,
        correlationType: 'positive',
        strength: 'strong',
      },
    ]);
    const fromB = await get<Corr>(`/metrics/correlations?metricId=${mB.id}`, user);
    expect(fromB.correlations.find((c) => c.otherMetricId === mA.id)).toMatchObject({
      metricId: mB.id,
      lag: -2,
      n: 10,
    });
    expect((await get<Corr>(`/metrics/correlations?metricId=${mC.id}`, user)).correlations).toEqual(
      [],
    );
    expect((await get<Corr>(`/metrics/correlations?metricId=${mD.id}`, user)).correlations).toEqual(
      [],
    );
  });

  it('counts local days across a DST change (Europe/Berlin)', async () => {
    await travel(api, clock, '2026-03-29T13:00:00.000Z');
    const user = await api.newUser('berlin');
    await api.call('PUT', '/preferences/time-zone', {
      token: user.token,
      body: { timeZone: 'Europe/Berlin' },
    });
    const metric = (
      await create(
        { name: 'Reading', area: 'Happiness', unit: 'minutes', direction: 'Higher' },
        user,
      )
    ).body.data;
    // 12:00 CET on March 28 and 12:00 CEST on March 29: 23 hours apart, one local day.
    await addLog(metric.id, { value: 10, loggedAt: '2026-03-28T12:00:00+01:00' }, user);
    await addLog(metric.id, { value: 12, loggedAt: '2026-03-29T12:00:00+02:00' }, user);
    // 23:30 on March 27 local is 22:30Z: still March 27 in Berlin.
    await addLog(metric.id, { value: 9, loggedAt: '2026-03-27T22:30:00Z' }, user);
    const a = await get<Record<string, Record<string, number>>>(
      `/metrics/${metric.id}/analytics`,
      user,
    );
    expect(a.trend?.velocity).toBeCloseTo(2, 9);
    expect(a.streak).toEqual({ current: 3, longest: 3 });
  });

  it('links goals through goalIds and deletes a metric with everything it owns', async () => {
    await travel(api, clock, NOW);
    const user = await api.newUser('cascade');
    // A goal item as the goals domain stores it (its routes arrive with that domain).
    const goal = {
      id: 'goal-1',
      userId: user.userId,
      title: 'Get fit',
      createdAt: NOW,
      updatedAt: NOW,
    };
    await api.deps.db.put(entityItem('GOAL', goal, 1));
    const metric = (
      await create(
        { name: 'Runs', area: 'Health', unit: 'count', direction: 'Higher', goalIds: ['goal-1'] },
        user,
      )
    ).body.data;
    expect(metric.goalIds).toEqual(['goal-1']);
    const link = keys.link(user.userId, 'GOAL', 'goal-1', 'METRIC', metric.id);
    expect(await api.deps.db.get(link)).not.toBeNull();
    const unlinked = await api.call<Metric>('PATCH', `/metrics/${metric.id}`, {
      token: user.token,
      body: { goalIds: [] },
    });
    expect(unlinked.body.data.goalIds).toEqual([]);
    expect(await api.deps.db.get(link)).toBeNull();
    await api.call('PATCH', `/metrics/${metric.id}`, {
      token: user.token,
      body: { goalIds: ['goal-1'] },
    });

    for (let day = 9; day <= 15; day++)
      await addLog(metric.id, { value: day, loggedAt: july(day) }, user);
    await api.call('POST', '/metricInsights', {
      token: user.token,
      body: { metricId: metric.id, type: 'milestone', title: 't', description: 'd', confidence: 1 },
    });
    expect((await get<Page<Milestone>>('/metricMilestones', user)).total).toBeGreaterThan(0);

    expect((await api.call('DELETE', `/metrics/${metric.id}`, { token: user.token })).status).toBe(
      200,
    );
    expect((await api.call('GET', `/metrics/${metric.id}`, { token: user.token })).status).toBe(
      404,
    );
    expect((await get<Page<Log>>('/metricLogs', user)).total).toBe(0);
    expect((await get<Page<Milestone>>('/metricMilestones', user)).total).toBe(0);
    expect((await get<Page<unknown>>('/metricInsights', user)).total).toBe(0);
    expect(await queryAll(api.deps.db, { pk: childPk(user.userId, 'METRIC', metric.id) })).toEqual(
      [],
    );
    expect(await api.deps.db.get(link)).toBeNull();
    expect((await api.call('DELETE', `/metrics/${metric.id}`, { token: user.token })).status).toBe(
      404,
    );
  });

  it('isolates users: 404 on every metric route with another user’s ids, and empty lists', async () => {
    await travel(api, clock, NOW, owner);
    const intruder = await api.newUser('intruder');
    const metric = (
      await create({ name: 'Private', area: 'Love', unit: 'count', direction: 'Higher' })
    ).body.data;
    const log = (await addLog(metric.id, { value: 3 })).body.data;
    await api.call('POST', '/metricInsights', {
      token: owner.token,
      body: {
        id: 'owner-insight',
        metricId: metric.id,
        type: 'pattern',
        title: 't',
        description: 'd',
        confidence: 1,
      },
    });
    const milestone = {
      metricId: metric.id,
      type: 'streak',
      value: 7,
      pointsAwarded: 350,
      rewardId: null,
    };
    const cases = [
      { method: 'GET', path: `/metrics/${metric.id}` },
      { method: 'PATCH', path: `/metrics/${metric.id}`, body: { name: 'Hacked' } },
      { method: 'GET', path: `/metrics/${metric.id}/logs` },
      { method: 'POST', path: `/metrics/${metric.id}/logs`, body: { value: 1 } },
      { method: 'DELETE', path: `/metrics/${metric.id}/logs/${log.id}` },
      { method: 'GET', path: `/metrics/${metric.id}/analytics` },
      { method: 'GET', path: `/metrics/${metric.id}/anomalies` },
      { method: 'GET', path: `/metrics/${metric.id}/milestones` },
      { method: 'GET', path: `/metrics/${metric.id}/insights` },
      { method: 'GET', path: `/metrics/correlations?metricId=${metric.id}` },
      { method: 'POST', path: '/metricMilestones', body: milestone },
      {
        method: 'POST',
        path: '/metricInsights',
        body: { metricId: metric.id, type: 'pattern', title: 't', description: 'd', confidence: 1 },
      },
      { method: 'DELETE', path: '/metricInsights/owner-insight' },
      { method: 'DELETE', path: `/metrics/${metric.id}` },
    ] as const;
    await expectIsolated(api, intruder, [...cases]);
    for (const path of ['/metrics', '/metricLogs', '/metricMilestones', '/metricInsights']) {
      expect((await get<Page<unknown>>(path, intruder)).total).toBe(0);
    }
    expect(
      (await get<{ correlations: unknown[] }>('/metrics/correlations', intruder)).correlations,
    ).toEqual([]);
    const own = await create(
      { name: 'Mine', area: 'Love', unit: 'count', direction: 'Higher' },
      intruder,
    );
    expect(own.status).toBe(201);
    // Nothing of the owner's changed.
    const after = await get<Metric>(`/metrics/${metric.id}`);
    expect(after).toMatchObject({ name: 'Private', logCount: 1, currentValue: 3 });
    expect((await get<Page<{ id: string }>>('/metricInsights')).data.map((i) => i.id)).toContain(
      'owner-insight',
    );
    await expectCovers(
      api,
      ['/metrics', '/metricLogs', '/metricMilestones', '/metricInsights'],
      [...cases],
      [
        'GET /metrics',
        'POST /metrics',
        'GET /metricLogs',
        'GET /metricMilestones',
        'GET /metricInsights',
      ],
    );
  });

  it('lists 50 metrics with their logs in one storage request', async () => {
    const user = await api.newUser('fifty');
    const { db: counting, calls: requests } = countingTable(api.deps.db);
    const ctx = userCtx({ ...api.deps, db: counting }, user.userId);
    const metrics = [];
    for (let i = 0; i < 50; i++) {
      metrics.push(
        await createMetric(ctx, {
          name: `Metric ${i}`,
          area: 'Health',
          unit: 'count',
          direction: 'Higher',
        }),
      );
    }
    // Give each the 10 embedded logs a real history would leave (as the log service writes them).
    const logs = (metricId: string) =>
      Array.from({ length: 10 }, (_, d) => ({
        id: `log-${d}`,
        metricId,
        userId: user.userId,
        value: d,
        loggedAt: july(10 - d),
        note: 'a note of some length to weigh like a real one',
        createdAt: NOW,
      }));
    await api.deps.db.batchWrite({
      put: metrics.map(({ logs: _logs, isActive: _isActive, ...m }) =>
        metricItem({ ...m, recentLogs: logs(m.id), currentValue: 0, logCount: 10 }, 2),
      ),
    });
    requests.length = 0;
    const page = await listMetrics(ctx, {});
    expect(page.total).toBe(50);
    expect(page.items.every((m) => m.logs.length === 10)).toBe(true);
    expect(requests).toEqual(['query']);
  });
});

describe.each(STORES)(
  'milestones paid by the server on %s (AWARD_MILESTONE_POINTS, on by default)',
  (store) => {
    let api: TestApi;
    const clock = fixedClock(NOW);
    beforeAll(async () => {
      api = await startApi({ store, clock });
    });
    afterAll(() => api.close());

    it('pays each milestone exactly once, in the transaction that records it', async () => {
      const user = await api.newUser('payer');
      const metric = (
        await api.call<Metric>('POST', '/metrics', {
          token: user.token,
          body: {
            name: 'Books',
            area: 'Happiness',
            unit: 'count',
            direction: 'Higher',
            targetValue: 10,
          },
        })
      ).body.data;
      const log = (value: number) =>
        api.call('POST', `/metrics/${metric.id}/logs`, { token: user.token, body: { value } });
      await log(5);
      await log(10); // +100 %: improvement 10, 25, 50; at target 10: 200 × 1.0
      await log(12);
      await log(10);
      const { entries, balance } = await ledger(api, user.userId);
      expect(entries.map((e) => [e.description, e.amount]).sort()).toEqual(
        [
          ['Milestone achieved: improvement for metric', 200],
          ['Milestone achieved: improvement for metric', 500],
          ['Milestone achieved: improvement for metric', 1000],
          ['Milestone achieved: target_reached for metric', 200],
        ].sort(),
      );
      expect(entries.every((e) => e.type === 'earn' && e.source === 'manual')).toBe(true);
      expect(entries.every((e) => e.sourceEntityId === metric.id)).toBe(true);
      expect(balance).toBe(1900);
      // A milestone a client posts is never paid by the server.
      await api.call('POST', '/metricMilestones', {
        token: user.token,
        body: { metricId: metric.id, type: 'streak', value: 30, pointsAwarded: 1500 },
      });
      expect((await ledger(api, user.userId)).balance).toBe(1900);

      // A client that pays anyway (§e.9: POST /metricMilestones, then /wallet/add) is answered
      // with the server's payment; each server-paid milestone absorbs one such payment.
      const pay = (type: string, amount: number) =>
        api.call<{ transaction: { id: string; amount: number }; balance: { totalPoints: number } }>(
          'POST',
          '/wallet/add',
          {
            token: user.token,
            body: {
              amount,
              source: 'manual',
              description: `Milestone achieved: ${type} for metric`,
              sourceEntityType: null,
              sourceEntityId: metric.id,
            },
          },
        );
      const stored = await storedLedger(api.deps.db, user.userId);
      const serverEntry = stored.entries.find((e) => String(e.description).includes('target_'));
      const absorbed = await pay('target_reached', 200);
      expect(absorbed.status).toBe(200);
      expect(absorbed.body.data.transaction.id).toBe(serverEntry?.id);
      expect(absorbed.body.data.balance.totalPoints).toBe(1900);
      expect((await pay('improvement', 500)).body.data.balance.totalPoints).toBe(1900);
      // Not a server-paid milestone (no such worth, or its one payment already absorbed): credited.
      expect((await pay('improvement', 300)).body.data.balance.totalPoints).toBe(2200);
      expect((await pay('target_reached', 200)).body.data.balance.totalPoints).toBe(2400);
      const after = await ledger(api, user.userId);
      expect(after.entries).toHaveLength(6);
      expect(after.balance).toBe(2400);
    });
  },
);

describe('a metric with 10,000 logs', () => {
  it('serves analytics, anomalies and pages of logs from the whole series', async () => {
    const api = await startApi({ store: 'sqlite', clock: fixedClock('2026-07-22T15:00:00.000Z') });
    const user = await api.newUser('big');
    const metric = (
      await api.call<Metric>('POST', '/metrics', {
        token: user.token,
        body: {
          name: 'Hourly',
          area: 'Operations',
          unit: 'count',
          direction: 'Higher',
          targetValue: 20000,
        },
      })
    ).body.data;
    // Value i at 2025-06-01T00:00Z + i hours, i = 0…9999: the last is 2026-07-22T15:00Z (now).
    const start = Date.UTC(2025, 5, 1);
    const items = Array.from({ length: 10_000 }, (_, i) =>
      metricLogItem({
        id: `log-${String(i).padStart(5, '0')}`,
        metricId: metric.id,
        userId: user.userId,
        value: i,
        loggedAt: new Date(start + i * 3_600_000).toISOString(),
        note: null,
        createdAt: new Date(start + i * 3_600_000).toISOString(),
      }),
    );
    await api.deps.db.batchWrite({ put: items });
    const a = (
      await api.call<Record<string, Record<string, number>>>(
        'GET',
        `/metrics/${metric.id}/analytics`,
        {
          token: user.token,
        },
      )
    ).body.data;
    // y = 24·x (x in days): exact line, R² = 1; 30 days after now: 9999 + 24 × 30 = 10719.
    expect(a.prediction?.futureValue).toBeCloseTo(10_719, 6);
    expect(a.prediction?.confidence).toBeCloseTo(1, 12);
    expect(a.trend?.velocity).toBeCloseTo(24, 6); // +1 per hour
    // Every day from 2025-06-01 to 2026-07-22 has logs: 365 + 52 = 417 days.
    expect(a.streak).toEqual({ current: 417, longest: 417 });
    expect(a.progress?.percentage).toBeCloseTo(9999 / 200, 9);
    const anomalies = (
      await api.call<{ n: number; anomalies: unknown[] }>(
        'GET',
        `/metrics/${metric.id}/anomalies`,
        {
          token: user.token,
        },
      )
    ).body.data;
    expect(anomalies).toMatchObject({ n: 10_000, anomalies: [] });
    const page = await api.call<Page<Log>>(
      'GET',
      `/metrics/${metric.id}/logs?startDate=2026-07-22`,
      {
        token: user.token,
      },
    );
    expect(page.body.data.total).toBe(16); // 00:00 … 15:00 UTC on July 22
    expect(page.body.data.data[0]?.value).toBe(9999);
    await api.close();
  });
});
