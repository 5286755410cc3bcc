/**
 * The security suite's second half for goals and projects, on both stores: another user gets 404
 * from every /goals and /projects route called with the owner's ids (and cannot point its own
 * entities at them), lists nothing of the owner's, and changes nothing.
 */
import { describe, expect, it } from 'vitest';
import { startApi } from '../helpers/api.js';
import { putHabit, putMetric } from '../helpers/growth.js';
import { expectCovers, expectIsolated } from '../helpers/security.js';
import { STORES } from '../helpers/stores.js';

type Goal = { id: string; title: string; successCriteria: { id: string; isCompleted: boolean }[] };
type Page<T> = { data: T[]; total: number };

describe.each(STORES)('isolation of goals and projects on %s', (store) => {
  it('answers 404 to another user on every goal and project route, changes nothing, lists nothing', async () => {
    const api = await startApi({ store });
    const owner = await api.newUser('owner');
    const intruder = await api.newUser('intruder');
    const call = <T>(method: string, path: string, body?: unknown, user = owner) =>
      api.call<T>(method, path, { token: user.token, body }).then((r) => r.body.data);
    const goal = await call<Goal>('POST', '/goals', {
      title: 'Secret goal',
      area: 'Love',
      timeHorizon: 'Yearly',
      successCriteria: ['c'],
    });
    const criterionId = goal.successCriteria[0]?.id as string;
    const project = await call<{ id: string }>('POST', '/projects', {
      name: 'Secret project',
      area: 'Love',
    });
    const task = await call<{ id: string }>('POST', '/tasks', {
      title: 'Secret task',
      area: 'Love',
      goalIds: [goal.id],
      projectIds: [project.id],
    });
    const metricId = await putMetric(api, owner, {
      direction: 'Higher',
      targetValue: 1,
      currentValue: 1,
    });
    const habitId = await putHabit(api, owner);
    await call('POST', `/goals/${goal.id}/metrics`, { metricId });
    await call('POST', `/goals/${goal.id}/habits`, { habitId });
    await call('POST', `/goals/${goal.id}/projects`, { projectId: project.id });
    const mine = await call<Goal>(
      'POST',
      '/goals',
      { title: 'Mine', area: 'Love', timeHorizon: 'Yearly' },
      intruder,
    );
    const myTask = await call<{ id: string }>(
      'POST',
      '/tasks',
      { title: 'Mine', area: 'Love' },
      intruder,
    );

    const g = `/goals/${goal.id}`;
    const p = `/projects/${project.id}`;
    const cases = [
      { method: 'GET', path: g },
      { method: 'PATCH', path: g, body: { title: 'Hacked' } },
      { method: 'GET', path: `${g}/tasks` },
      { method: 'POST', path: `${g}/tasks`, body: { taskId: myTask.id } },
      { method: 'DELETE', path: `${g}/tasks/${task.id}` },
      { method: 'GET', path: `${g}/metrics` },
      { method: 'POST', path: `${g}/metrics`, body: { metricId } },
      { method: 'DELETE', path: `${g}/metrics/${metricId}` },
      { method: 'GET', path: `${g}/habits` },
      { method: 'POST', path: `${g}/habits`, body: { habitId } },
      { method: 'DELETE', path: `${g}/habits/${habitId}` },
      { method: 'GET', path: `${g}/projects` },
      { method: 'POST', path: `${g}/projects`, body: { projectId: project.id } },
      { method: 'DELETE', path: `${g}/projects/${project.id}` },
      { method: 'GET', path: `${g}/progress` },
      { method: 'POST', path: `${g}/criteria/${criterionId}/complete` },
      {
        method: 'PATCH',
        path: `${g}/criteria/${criterionId}`,
        body: { isCompleted: true, completedAt: null },
      },
      { method: 'GET', path: `${g}/activity` },
      { method: 'POST', path: `${g}/activity`, body: { type: 'note_added', title: 'x' } },
      { method: 'GET', path: p },
      { method: 'PATCH', path: p, body: { name: 'Hacked' } },
      { method: 'GET', path: `${p}/tasks` },
      { method: 'POST', path: `${p}/tasks`, body: { taskId: myTask.id } },
      { method: 'DELETE', path: `${p}/tasks/${task.id}` },
      { method: 'GET', path: `${p}/goals` },
      { method: 'POST', path: `${p}/goals`, body: { goalId: mine.id } },
      { method: 'DELETE', path: `${p}/goals/${goal.id}` },
      { method: 'GET', path: `${p}/health` },
      { method: 'DELETE', path: g },
      { method: 'DELETE', path: p },
    ] as const;
    await expectIsolated(api, intruder, [...cases]);
    // Nor can the intruder point its own entities at the owner's.
    for (const [path, body] of [
      [`/goals/${mine.id}/tasks`, { taskId: task.id }],
      [`/goals/${mine.id}/metrics`, { metricId }],
      [`/goals/${mine.id}/projects`, { projectId: project.id }],
      ['/goals', { title: 'x', area: 'Love', timeHorizon: 'Yearly', parentGoalId: goal.id }],
      ['/projects', { name: 'x', area: 'Love', goalIds: [goal.id] }],
    ] as const) {
      const res = await api.call('POST', path, { token: intruder.token, body });
      expect({ path, status: res.status }).toEqual({ path, status: 404 });
    }
    const goals = await call<Page<Goal>>('GET', '/goals', undefined, intruder);
    expect(goals.data.map((x) => x.id)).toEqual([mine.id]);
    expect((await call<Page<unknown>>('GET', '/projects', undefined, intruder)).total).toBe(0);
    // Nothing of the owner's changed.
    // Only the linked metric counts (1 ≥ 0.9 × 1): 100 × 20 / 100 = 20.
    expect(await call<Goal>('GET', g)).toMatchObject({ title: 'Secret goal', cachedProgress: 20 });
    expect((await call<Goal>('GET', g)).successCriteria[0]?.isCompleted).toBe(false);
    expect((await call<Page<unknown>>('GET', `${g}/tasks`)).total).toBe(1);
    expect((await call<Page<unknown>>('GET', `${g}/projects`)).total).toBe(1);
    expect((await call<Page<unknown>>('GET', `${p}/tasks`)).total).toBe(1);
    expect((await call<Page<unknown>>('GET', `${g}/activity`)).total).toBe(0);
    expect(await call('GET', p)).toMatchObject({ name: 'Secret project' });
    await expectCovers(
      api,
      ['/goals', '/projects'],
      [...cases],
      ['GET /goals', 'POST /goals', 'GET /projects', 'POST /projects'],
    );
    await api.close();
  });
});
