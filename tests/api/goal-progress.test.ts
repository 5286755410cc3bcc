/**
 * Goal progress kept current on writes (§e.7) and goal health (§e.8), end to end on both
 * stores with a fixed clock. Metrics, habits and their logs are written as the metrics/habits
 * domain stores them (tests/helpers/growth.ts). Expected values are worked out in comments.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { userCtx } from '../../src/api/deps.js';
import { keys } from '../../src/db/keys.js';
import { onGoalInputsChanged } from '../../src/services/goal-progress.js';
import { addDays } from '../../src/utils/dates.js';
import { fixedClock, startApi, type TestApi, type TestUser } from '../helpers/api.js';
import { relogin } from '../helpers/clock.js';
import {
  logHabit,
  logMetric,
  putHabit,
  putHabitLogs,
  putMetric,
  stored,
} from '../helpers/growth.js';
import { STORES } from '../helpers/stores.js';

type Goal = {
  id: string;
  cachedProgress: number;
  lastActivityAt: string | null;
  successCriteria: { id: string; isCompleted: boolean }[];
};
type Breakdown = {
  overall: number;
  criteria: { completed: number; total: number; percentage: number };
  tasks: { completed: number; total: number; percentage: number };
  metrics: { atTarget: number; total: number; percentage: number };
  habits: { streakDays: number; consistency: number };
  health: {
    status: string;
    daysRemaining: number | null;
    expected: number | null;
    actual: number;
    daysSinceActivity: number;
  };
};

describe.each(STORES)('goal progress on %s', (store) => {
  const clock = fixedClock('2026-07-15T12:00:00.000Z');
  let api: TestApi;
  let user: TestUser;
  const call = <T>(method: string, path: string, body?: unknown) =>
    api.call<T>(method, path, { token: user.token, body });
  const progress = (goalId: string) =>
    call<Breakdown>('GET', `/goals/${goalId}/progress`).then((r) => r.body.data);
  /** The stored progress, read from the store, so no API read can have recomputed it. */
  const cached = async (goalId: string) =>
    (await stored(api, user, 'GOAL', goalId))?.cachedProgress;

  beforeAll(async () => {
    api = await startApi({ store, clock });
    user = await api.newUser('progress');
  });
  afterAll(() => api.close());

  it('reads 50 for the acceptance example, 65 once the second task is done, and follows every input', async () => {
    const goal = (
      await call<Goal>('POST', '/goals', {
        title: 'Get fit',
        area: 'Health',
        timeHorizon: 'Quarterly',
        successCriteria: ['a', 'b', 'c', 'd'],
      })
    ).body.data;
    for (const criterion of goal.successCriteria.slice(0, 2))
      await call('POST', `/goals/${goal.id}/criteria/${criterion.id}/complete`);
    const [task1, task2] = await Promise.all(
      ['Gym', 'Swim'].map((title) =>
        call<{ id: string }>('POST', '/tasks', { title, area: 'Health', goalIds: [goal.id] }).then(
          (r) => r.body.data,
        ),
      ),
    );
    await call('POST', `/tasks/${task1?.id}/complete`);
    const higher = await putMetric(api, user, {
      name: 'Push-ups',
      direction: 'Higher',
      targetValue: 100,
      currentValue: 95,
    });
    const lower = await putMetric(api, user, {
      name: 'Weight',
      direction: 'Lower',
      targetValue: 50,
      currentValue: 70,
    });
    // A daily habit kept on the 15 days July 1–15 of the 30-day window June 16 – July 15: 50 %.
    const habit = await putHabit(api, user, {
      name: 'Stretch',
      createdAt: '2026-06-01T00:00:00.000Z',
    });
    await putHabitLogs(
      api,
      user,
      habit,
      Array.from({ length: 15 }, (_, i) => addDays('2026-07-01', i)),
    );
    await call('POST', `/goals/${goal.id}/metrics`, { metricId: higher });
    await call('POST', `/goals/${goal.id}/metrics`, { metricId: lower });
    await call('POST', `/goals/${goal.id}/habits`, { habitId: habit });

    // criteria 2/4 = 50, tasks 1/2 = 50, metrics 1/2 = 50 (95 ≥ 90 ✓, 70 > 55 ✗), habit 50:
    // (50×40 + 50×30 + 50×20 + 50×10) / 100 = 50
    expect(await cached(goal.id)).toBe(50);
    expect(await progress(goal.id)).toMatchObject({
      overall: 50,
      criteria: { completed: 2, total: 4, percentage: 50 },
      tasks: { completed: 1, total: 2, percentage: 50 },
      metrics: { atTarget: 1, total: 2, percentage: 50 },
      habits: { streakDays: 15, consistency: 50 },
    });

    // Completing the second task: (50×40 + 100×30 + 50×20 + 50×10) / 100 = 65, stored by the write.
    await call('POST', `/tasks/${task2?.id}/complete`);
    expect(await cached(goal.id)).toBe(65);
    expect((await call<Goal>('GET', `/goals/${goal.id}`)).body.data.cachedProgress).toBe(65);

    // A metric log brings "Weight" to 55 ≤ 55: metrics 100 → (2000 + 3000 + 2000 + 500) / 100 = 75.
    clock.set('2026-07-15T13:00:00.000Z');
    await relogin(api, user);
    await logMetric(api, user, lower, 55);
    expect(await cached(goal.id)).toBe(75);
    expect((await stored(api, user, 'GOAL', goal.id))?.lastActivityAt).toBe(
      '2026-07-15T13:00:00.000Z',
    );

    // A habit log on June 20: 16 of 30 days = 53.33 % → (2000 + 3000 + 2000 + 533.3) / 100 = 75.33 → 75.
    await logHabit(api, user, habit, '2026-06-20');
    expect(await progress(goal.id)).toMatchObject({
      overall: 75,
      habits: { streakDays: 15, consistency: 53.33 },
    });

    // Re-opening a task: tasks 1/2 → (2000 + 1500 + 2000 + 533.3) / 100 = 60.33 → 60.
    await call('PATCH', `/tasks/${task2?.id}`, { status: 'In Progress' });
    expect(await cached(goal.id)).toBe(60);
    // Unlinking the habit: habits 0 → (2000 + 1500 + 2000 + 0) / 100 = 55.
    await call('DELETE', `/goals/${goal.id}/habits/${habit}`);
    expect(await cached(goal.id)).toBe(55);
    // Deleting the done task leaves one open task: tasks 0 → (2000 + 0 + 2000) / 100 = 40.
    await call('DELETE', `/tasks/${task1?.id}`);
    expect(await cached(goal.id)).toBe(40);
    // Weights on metrics only: metrics 2/2 = 100 → 100.
    const weighted = await call<Goal>('PATCH', `/goals/${goal.id}`, {
      progressConfig: { criteriaWeight: 0, tasksWeight: 0, metricsWeight: 100, habitsWeight: 0 },
    });
    expect(weighted.body.data.cachedProgress).toBe(100);
    // A manual override wins over the parts.
    const manual = await call<Goal>('PATCH', `/goals/${goal.id}`, {
      progressConfig: {
        criteriaWeight: 0,
        tasksWeight: 0,
        metricsWeight: 100,
        habitsWeight: 0,
        manualOverride: 12,
      },
    });
    expect(manual.body.data.cachedProgress).toBe(12);
    expect((await progress(goal.id)).metrics).toEqual({ atTarget: 2, total: 2, percentage: 100 });

    const activity = await call<{ data: { type: string; entityId: string | null }[] }>(
      'GET',
      `/goals/${goal.id}/activity`,
    );
    expect(activity.body.data.data.map((a) => [a.type, a.entityId])).toEqual([
      ['habit_completed', habit],
      ['metric_logged', lower],
      ['task_completed', task2?.id],
      ['task_completed', task1?.id],
      ['criterion_completed', goal.successCriteria[1]?.id],
      ['criterion_completed', goal.successCriteria[0]?.id],
    ]);
  });

  it('counts a habit created mid-window from its creation date, and a weekly habit by weeks', async () => {
    clock.set('2026-07-15T12:00:00.000Z');
    await relogin(api, user);
    const goal = (
      await call<Goal>('POST', '/goals', {
        title: 'Habits only',
        area: 'Health',
        timeHorizon: 'Monthly',
        progressConfig: { criteriaWeight: 0, tasksWeight: 0, metricsWeight: 0, habitsWeight: 1 },
      })
    ).body.data;
    // Created July 6: window July 6–15 = 10 days, kept on 5 → 50 %.
    const recent = await putHabit(api, user, { createdAt: '2026-07-06T08:00:00.000Z' });
    await putHabitLogs(api, user, recent, [
      '2026-07-06',
      '2026-07-08',
      '2026-07-10',
      '2026-07-12',
      '2026-07-15',
    ]);
    // Weekly, target 2, since June 1: the window June 16 – July 15 touches the 5 weeks starting
    // June 15, 22, 29, July 6, 13 → 10 expected; kept 2 + 2 + 1 + 0 + 0 = 5 → 50 %.
    const weekly = await putHabit(api, user, {
      frequency: 'Weekly',
      weeklyTarget: 2,
      createdAt: '2026-06-01T00:00:00.000Z',
    });
    await putHabitLogs(api, user, weekly, [
      '2026-06-16',
      '2026-06-18',
      '2026-06-22',
      '2026-06-23',
      '2026-07-01',
    ]);
    await call('POST', `/goals/${goal.id}/habits`, { habitId: recent });
    await call('POST', `/goals/${goal.id}/habits`, { habitId: weekly });
    // Mean (50 + 50) / 2 = 50; streaks: recent 1 (only July 15 before a gap on the 14th), weekly 0.
    expect(await progress(goal.id)).toMatchObject({
      overall: 50,
      habits: { consistency: 50, streakDays: 1 },
    });
  });
});

describe.each(STORES)('goal health on %s', (store) => {
  it('moves from healthy to at_risk, behind and dormant around each threshold', async () => {
    // Created March 1, target March 31 (30 days).
    const clock = fixedClock('2026-03-01T12:00:00.000Z');
    const api = await startApi({ store, clock });
    const user = await api.newUser('health');
    const call = <T>(method: string, path: string, body?: unknown) =>
      api.call<T>(method, path, { token: user.token, body }).then((r) => r.body.data);
    const goal = await call<Goal>('POST', '/goals', {
      title: 'Ship the book',
      area: 'Day Job',
      timeHorizon: 'Monthly',
      targetDate: '2026-03-31',
    });
    const override = (manualOverride: number) =>
      call('PATCH', `/goals/${goal.id}`, { progressConfig: { manualOverride } });
    const health = () => call<Breakdown>('GET', `/goals/${goal.id}/progress`).then((b) => b.health);

    // March 16: 15 of 30 days elapsed → expected 50; an activity today keeps it awake.
    clock.set('2026-03-16T12:00:00.000Z');
    await relogin(api, user);
    await call('POST', `/goals/${goal.id}/activity`, { type: 'note_added', title: 'Outline done' });
    for (const [overall, status] of [
      [40, 'healthy'], // not < 50 − 10
      [39, 'at_risk'],
      [30, 'at_risk'], // not < 50 − 20
      [29, 'behind'],
    ] as const) {
      await override(overall);
      expect(await health()).toEqual({
        status,
        daysRemaining: 15,
        expected: 50,
        actual: overall,
        daysSinceActivity: 0,
      });
    }
    // 7 days after the last activity (March 23) it is still awake: expected 22/30 = 73.33,
    // overall 100 → healthy; 8 days after (March 24) it is dormant.
    await override(100);
    clock.set('2026-03-23T23:59:00.000Z');
    await relogin(api, user);
    expect(await health()).toMatchObject({
      status: 'healthy',
      daysSinceActivity: 7,
      expected: 73.33,
    });
    clock.set('2026-03-24T00:01:00.000Z');
    await relogin(api, user);
    expect(await health()).toMatchObject({
      status: 'dormant',
      daysSinceActivity: 8,
      daysRemaining: 7,
    });
    await api.close();
  });
});

describe('goal progress under concurrent writes (SQLite serialises writers)', () => {
  it('applies ten parallel task completions and five parallel criterion completions without losing one', async () => {
    const api = await startApi({ store: 'sqlite' });
    const user = await api.newUser('race');
    const call = <T>(method: string, path: string, body?: unknown) =>
      api.call<T>(method, path, { token: user.token, body });
    const goal = (
      await call<Goal>('POST', '/goals', {
        title: 'Busy',
        area: 'Operations',
        timeHorizon: 'Weekly',
        successCriteria: ['a', 'b', 'c', 'd', 'e'],
      })
    ).body.data;
    const tasks = [];
    for (let i = 0; i < 10; i++) {
      tasks.push(
        (
          await call<{ id: string }>('POST', '/tasks', {
            title: `t${i}`,
            area: 'Operations',
            goalIds: [goal.id],
          })
        ).body.data,
      );
    }
    const replies = await Promise.all([
      ...tasks.map((t) => call('POST', `/tasks/${t.id}/complete`)),
      ...goal.successCriteria.map((c) =>
        call('POST', `/goals/${goal.id}/criteria/${c.id}/complete`),
      ),
    ]);
    expect(replies.map((r) => r.status)).toEqual(Array(15).fill(200));
    // criteria 5/5 and tasks 10/10: (100×40 + 100×30) / 100 = 70 — no completion lost.
    expect((await stored(api, user, 'GOAL', goal.id))?.cachedProgress).toBe(70);
    const after = (await call<Goal>('GET', `/goals/${goal.id}`)).body.data;
    expect(after.successCriteria.every((c) => c.isCompleted)).toBe(true);
    const activity = await call<{ data: { type: string }[] }>('GET', `/goals/${goal.id}/activity`);
    expect(activity.body.data.data.filter((a) => a.type === 'task_completed')).toHaveLength(10);
    expect(activity.body.data.data.filter((a) => a.type === 'criterion_completed')).toHaveLength(5);
    await api.close();
  });
});

describe.each(STORES)('the progress fence on %s', (store) => {
  it('never lets a computation from older inputs overwrite a newer one', async () => {
    const api = await startApi({ store });
    const user = await api.newUser('fence');
    const call = <T>(method: string, path: string, body?: unknown) =>
      api.call<T>(method, path, { token: user.token, body }).then((r) => r.body.data);
    const goal = await call<Goal>('POST', '/goals', {
      title: 'Fenced',
      area: 'Love',
      timeHorizon: 'Weekly',
    });
    const [t1, t2] = [
      await call<{ id: string }>('POST', '/tasks', {
        title: 'one',
        area: 'Love',
        goalIds: [goal.id],
      }),
      await call<{ id: string }>('POST', '/tasks', {
        title: 'two',
        area: 'Love',
        goalIds: [goal.id],
      }),
    ];
    // A store whose first batch read (the linked tasks) waits at a gate after reading.
    let reached!: () => void;
    let release!: () => void;
    const atGate = new Promise<void>((r) => (reached = r));
    const gate = new Promise<void>((r) => (release = r));
    let armed = true;
    const db = new Proxy(api.deps.db, {
      get(target, name, receiver) {
        const value = Reflect.get(target, name, receiver) as unknown;
        if (name !== 'batchGet' || typeof value !== 'function') return value;
        return async (...args: unknown[]) => {
          const result = await (value as (...a: unknown[]) => Promise<unknown>).apply(target, args);
          if (armed) {
            armed = false;
            reached();
            await gate;
          }
          return result;
        };
      },
    });
    // Change 1: task one is done; its recomputation reads the tasks (one of two done) and waits.
    await api.deps.db.update(keys.entity(user.userId, 'TASK', t1?.id as string), {
      set: { status: 'Done' },
    });
    const first = onGoalInputsChanged({ ...userCtx(api.deps, user.userId), db }, [goal.id], {
      kind: 'task_completed',
      entityType: 'task',
      entityId: t1?.id as string,
      title: 'one',
    });
    await atGate;
    // Change 2 runs to the end meanwhile: both tasks done → 100 × 30 / 100 = 30.
    await call('POST', `/tasks/${t2?.id}/complete`);
    expect((await stored(api, user, 'GOAL', goal.id))?.cachedProgress).toBe(30);
    // Change 1 resumes with its older inputs (50 × 30 / 100 = 15) and must not store them.
    release();
    await first;
    expect((await stored(api, user, 'GOAL', goal.id))?.cachedProgress).toBe(30);
    await api.close();
  });
});
