/**
 * Goal progress fed by the real task, metric and habit routes (no hand-written items), on both
 * stores: every write that changes an input moves `cachedProgress`, worked out from §e.7 with
 * the default weights 40/30/20/10 (criteria/tasks/metrics/habits).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../../src/utils/dates.js';
import { startApi, type TestApi, type TestUser } from '../helpers/api.js';
import { STORES } from '../helpers/stores.js';

describe.each(STORES)('goal progress from the real routes on %s', (store) => {
  let api: TestApi;
  let user: TestUser;
  const call = async <T>(method: string, path: string, body?: unknown) => {
    const res = await api.call<T>(method, path, { token: user.token, body });
    expect(res.status, `${method} ${path}: ${JSON.stringify(res.body)}`).toBeLessThan(300);
    return res.body.data;
  };
  const progress = async (goalId: string) =>
    (await call<{ cachedProgress: number }>('GET', `/goals/${goalId}`)).cachedProgress;

  beforeAll(async () => {
    api = await startApi({ store, clock: fixedClock('2026-07-15T17:00:00.000Z') });
    user = await api.newUser('goal-int');
  });
  afterAll(() => api.close());

  it('moves cachedProgress on task, metric and habit writes', async () => {
    const goal = await call<{ id: string; successCriteria: { id: string }[] }>('POST', '/goals', {
      title: 'Get fit',
      area: 'Health',
      timeHorizon: 'Quarterly',
      successCriteria: ['Run 5k', 'Run 10k', 'Half marathon', 'Marathon'],
    });
    for (const criterion of goal.successCriteria.slice(0, 2)) {
      await call('PATCH', `/goals/${goal.id}/criteria/${criterion.id}`, {
        isCompleted: true,
        completedAt: null,
      });
    }
    const done = await call<{ id: string }>('POST', '/tasks', {
      title: 'Buy shoes',
      area: 'Health',
      goalIds: [goal.id],
    });
    await call('POST', `/tasks/${done.id}/complete`, {});
    const open = await call<{ id: string }>('POST', '/tasks', {
      title: 'Book race',
      area: 'Health',
      goalIds: [goal.id],
    });
    const higher = await call<{ id: string }>('POST', '/metrics', {
      name: 'Weekly km',
      area: 'Health',
      unit: 'count',
      direction: 'Higher',
      targetValue: 100,
      goalIds: [goal.id],
    });
    const lower = await call<{ id: string }>('POST', '/metrics', {
      name: 'Resting HR',
      area: 'Health',
      unit: 'count',
      direction: 'Lower',
      targetValue: 60,
      goalIds: [goal.id],
    });
    const log = await call<{ id: string }>('POST', `/metrics/${higher.id}/logs`, { value: 95 }); // ≥ 0.9 × 100: at target
    await call('POST', `/metrics/${lower.id}/logs`, { value: 80 }); // > 1.1 × 60 = 66: not at target
    const habit = await call<{ id: string }>('POST', '/habits', {
      name: 'Stretch',
      area: 'Health',
      habitType: 'Build',
      frequency: 'Daily',
      dailyTarget: 2,
      goalIds: [goal.id],
    });
    await call('POST', `/habits/${habit.id}/logs`, {
      completedAt: '2026-07-15T16:00:00.000Z',
      amount: 1,
    });

    // criteria 2/4 = 50, tasks 1/2 = 50, metrics 1/2 = 50, habit 1 of 2 today = 50 → 50.
    expect(await progress(goal.id)).toBe(50);
    // (50×40 + 100×30 + 50×20 + 50×10) / 100 = 65.
    await call('POST', `/tasks/${open.id}/complete`, {});
    expect(await progress(goal.id)).toBe(65);
    // The only log of "Weekly km" goes: no value, not at target → (2000 + 3000 + 0 + 500) / 100 = 55.
    await call('DELETE', `/metrics/${higher.id}/logs/${log.id}`);
    expect(await progress(goal.id)).toBe(55);
    // A target of 80 puts the resting HR of 80 at target (≤ 88) → (2000 + 3000 + 1000 + 500) / 100 = 65.
    await call('PATCH', `/metrics/${lower.id}`, { targetValue: 80 });
    expect(await progress(goal.id)).toBe(65);
    // Today's habit log goes: consistency 0 → (2000 + 3000 + 1000 + 0) / 100 = 60.
    await call('DELETE', `/habits/${habit.id}/logs/2026-07-15`);
    expect(await progress(goal.id)).toBe(60);
    // Re-opening a task: tasks 1/2 → (2000 + 1500 + 1000 + 0) / 100 = 45.
    await call('PATCH', `/tasks/${open.id}`, { status: 'In Progress' });
    expect(await progress(goal.id)).toBe(45);
    const breakdown = await call<Record<string, unknown>>('GET', `/goals/${goal.id}/progress`);
    expect(breakdown).toMatchObject({
      overall: 45,
      criteria: { completed: 2, total: 4, percentage: 50 },
      tasks: { completed: 1, total: 2, percentage: 50 },
      metrics: { atTarget: 1, total: 2, percentage: 50 },
      habits: { consistency: 0 },
    });
  });
});
