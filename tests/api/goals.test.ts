/**
 * Goals end to end over HTTP, against both stores: CRUD and filters, success criteria in both
 * shapes, weights, the parent hierarchy, links from the goal side, activity, deletion with every
 * link, and bad input. (Isolation of every /goals and /projects route: goals-isolation.test.ts.)
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { childPk } from '../../src/db/keys.js';
import { queryAll } from '../../src/db/table.js';
import { startApi, type TestApi, type TestUser } from '../helpers/api.js';
import { putHabit, putMetric, stored } from '../helpers/growth.js';
import { STORES } from '../helpers/stores.js';
import { expectInvalid } from '../helpers/assertions.js';

type Criterion = {
  id: string;
  description: string;
  isCompleted: boolean;
  completedAt: string | null;
};
type Goal = Record<string, unknown> & {
  id: string;
  title: string;
  successCriteria: Criterion[];
  cachedProgress: number;
  parentGoalId: string | null;
  lastActivityAt: string | null;
};
type Page<T> = { data: T[]; total: number; page: number; pageSize: number; hasMore: boolean };
type Activity = {
  id: string;
  type: string;
  title: string;
  entityType: string | null;
  entityId: string | null;
};

describe.each(STORES)('goals on %s', (store) => {
  let api: TestApi;
  let owner: TestUser;
  const create = (body: Record<string, unknown>, user: TestUser = owner) =>
    api.call<Goal>('POST', '/goals', { token: user.token, body });
  const get = <T = Goal>(path: string, user: TestUser = owner) =>
    api.call<T>('GET', path, { token: user.token }).then((r) => r.body.data);

  beforeAll(async () => {
    api = await startApi({ store });
    owner = await api.newUser('goals');
  });
  afterAll(() => api.close());

  it('creates a goal from string criteria with the contract defaults', async () => {
    const res = await create({
      title: 'Run a marathon',
      area: 'Health',
      timeHorizon: 'Yearly',
      successCriteria: ['Run 20 km', 'Finish under 4 h'],
    });
    expect(res.status).toBe(201);
    expect(res.body.data).toMatchObject({
      title: 'Run a marathon',
      area: 'Health',
      timeHorizon: 'Yearly',
      priority: 'P3',
      status: 'Planning',
      description: null,
      subCategory: null,
      targetDate: null,
      completedDate: null,
      progressConfig: null,
      parentGoalId: null,
      lastActivityAt: null,
      notes: null,
      cachedProgress: 0,
      userId: owner.userId,
    });
    expect(res.body.data.successCriteria).toEqual([
      { id: expect.any(String), description: 'Run 20 km', isCompleted: false, completedAt: null },
      {
        id: expect.any(String),
        description: 'Finish under 4 h',
        isCompleted: false,
        completedAt: null,
      },
    ]);
    for (const hidden of ['pk', 'version', 'progressSeq', 'progressBreakdown'])
      expect(res.body.data).not.toHaveProperty(hidden);
    expect(await get(`/goals/${res.body.data.id}`)).toEqual(res.body.data);
  });

  it('replaces criteria from objects: ids kept, new ids for new rows, [] clears', async () => {
    const goal = (
      await create({
        title: 'Learn Spanish',
        area: 'Happiness',
        timeHorizon: 'Quarterly',
        successCriteria: ['A1', 'A2'],
      })
    ).body.data;
    const [a1, a2] = goal.successCriteria as [Criterion, Criterion];
    const patched = await api.call<Goal>('PATCH', `/goals/${goal.id}`, {
      token: owner.token,
      body: {
        successCriteria: [
          { id: a2.id, description: 'A2 (renamed)', isCompleted: true, completedAt: null },
          { description: 'B1', isCompleted: false, completedAt: null },
          'B2',
        ],
      },
    });
    expect(patched.status).toBe(200);
    const rows = patched.body.data.successCriteria;
    expect(rows.map((c) => c.description)).toEqual(['A2 (renamed)', 'B1', 'B2']);
    expect(rows[0]).toMatchObject({
      id: a2.id,
      isCompleted: true,
      completedAt: expect.any(String),
    });
    expect(new Set([a1.id, a2.id, rows[1]?.id, rows[2]?.id]).size).toBe(4);
    // 1 of 3 criteria done, default weights: 33.33 × 40 / 100 = 13.3 → 13
    expect(patched.body.data.cachedProgress).toBe(13);
    const cleared = await api.call<Goal>('PATCH', `/goals/${goal.id}`, {
      token: owner.token,
      body: { successCriteria: [] },
    });
    expect(cleared.body.data).toMatchObject({ successCriteria: [], cachedProgress: 0 });
  });

  it('completes and reopens one criterion, recording criterion_completed once', async () => {
    const goal = (
      await create({
        title: 'Save',
        area: 'Wealth',
        timeHorizon: 'Monthly',
        successCriteria: ['x', 'y'],
      })
    ).body.data;
    const [x] = goal.successCriteria as [Criterion];
    const done = await api.call<Goal>('POST', `/goals/${goal.id}/criteria/${x.id}/complete`, {
      token: owner.token,
    });
    expect(done.status).toBe(200);
    expect(done.body.data.successCriteria[0]).toMatchObject({ isCompleted: true });
    expect(done.body.data.lastActivityAt).toBe(done.body.data.successCriteria[0]?.completedAt);
    expect(done.body.data.cachedProgress).toBe(20); // 50 % × 40 / 100
    const again = await api.call<Goal>('POST', `/goals/${goal.id}/criteria/${x.id}/complete`, {
      token: owner.token,
    });
    expect(again.body.data).toEqual(done.body.data);
    const reopened = await api.call<Goal>('PATCH', `/goals/${goal.id}/criteria/${x.id}`, {
      token: owner.token,
      body: { isCompleted: false, completedAt: null },
    });
    expect(reopened.body.data.successCriteria[0]).toMatchObject({
      isCompleted: false,
      completedAt: null,
    });
    expect(reopened.body.data.cachedProgress).toBe(0);
    const dated = await api.call<Goal>('PATCH', `/goals/${goal.id}/criteria/${x.id}`, {
      token: owner.token,
      body: { isCompleted: true, completedAt: '2026-01-02T03:04:05+02:00' },
    });
    expect(dated.body.data.successCriteria[0]?.completedAt).toBe('2026-01-02T01:04:05.000Z');
    const activity = await get<Page<Activity>>(`/goals/${goal.id}/activity`);
    expect(activity.data.map((a) => [a.type, a.entityType, a.entityId])).toEqual([
      ['criterion_completed', 'criterion', x.id],
      ['criterion_completed', 'criterion', x.id],
    ]);
    const missing = await api.call('POST', `/goals/${goal.id}/criteria/nope/complete`, {
      token: owner.token,
    });
    expect(missing.status).toBe(404);
  });

  it('stores weights, records status changes, lists activity newest first with a limit', async () => {
    const goal = (
      await create({
        title: 'Weights',
        area: 'Operations',
        timeHorizon: 'Weekly',
        successCriteria: [{ description: 'only', isCompleted: true, completedAt: null }],
        progressConfig: { criteriaWeight: 100, tasksWeight: 0, metricsWeight: 0, habitsWeight: 0 },
      })
    ).body.data;
    expect(goal.progressConfig).toEqual({
      criteriaWeight: 100,
      tasksWeight: 0,
      metricsWeight: 0,
      habitsWeight: 0,
      manualOverride: null,
    });
    expect(goal.cachedProgress).toBe(100); // 100 % × 100 / 100
    const reweighted = await api.call<Goal>('PATCH', `/goals/${goal.id}`, {
      token: owner.token,
      body: { progressConfig: { criteriaWeight: 25, tasksWeight: 75 }, status: 'OnTrack' },
    });
    // 100 × 25 / (25 + 75 + 20 + 10): the omitted weights keep their defaults → 19.2 → 19
    expect(reweighted.body.data).toMatchObject({ cachedProgress: 19, status: 'On Track' });
    await api.call('PATCH', `/goals/${goal.id}`, {
      token: owner.token,
      body: { status: 'At Risk' },
    });
    const note = await api.call<Activity>('POST', `/goals/${goal.id}/activity`, {
      token: owner.token,
      body: {
        type: 'note_added',
        title: 'Talked to a coach',
        description: null,
        entityType: null,
        entityId: null,
      },
    });
    expect(note.status).toBe(201);
    expect(note.body.data).toMatchObject({
      type: 'note_added',
      goalId: goal.id,
      description: null,
    });
    const all = await get<Page<Activity>>(`/goals/${goal.id}/activity`);
    expect(all.data.map((a) => [a.type, a.title])).toEqual([
      ['note_added', 'Talked to a coach'],
      ['status_changed', 'Status changed to At Risk'],
      ['status_changed', 'Status changed to On Track'],
      ['criterion_completed', 'Completed criterion: only'],
    ]);
    expect(await get<Page<Activity>>(`/goals/${goal.id}/activity?limit=2`)).toMatchObject({
      total: 4,
      pageSize: 2,
      hasMore: true,
      data: [{ type: 'note_added' }, { type: 'status_changed' }],
    });
    expect((await get<Goal>(`/goals/${goal.id}`)).lastActivityAt).toBe(
      (note.body.data as unknown as { createdAt: string }).createdAt,
    );
  });

  it('lists with area, status and priority filters, newest first', async () => {
    const user = await api.newUser('goal-list');
    const mk = (body: Record<string, unknown>) =>
      create({ timeHorizon: 'Yearly', ...body }, user).then((r) => r.body.data);
    const a = await mk({ title: 'A', area: 'Health', status: 'Active', priority: 'P1' });
    const b = await mk({ title: 'B', area: 'DayJob', status: 'Active', priority: 'P2' });
    const c = await mk({ title: 'C', area: 'Health', status: 'Achieved', priority: 'P2' });
    const ids = (q: string) =>
      get<Page<Goal>>(`/goals${q}`, user).then((p) => p.data.map((g) => g.id));
    expect(await get<Page<Goal>>('/goals', user)).toMatchObject({
      total: 3,
      page: 1,
      pageSize: 3,
      hasMore: false,
    });
    expect(await ids('')).toEqual([c.id, b.id, a.id]);
    expect(await ids('?area=Health')).toEqual([c.id, a.id]);
    expect(await ids('?area=Day%20Job')).toEqual([b.id]);
    expect(await ids('?status=Active')).toEqual([b.id, a.id]);
    expect(await ids('?priority=P2')).toEqual([c.id, b.id]);
    expect(await ids('?status=Active&priority=P2&area=DayJob')).toEqual([b.id]);
    expect(await ids('?page=2&pageSize=2')).toEqual([a.id]);
  });

  it('keeps the hierarchy acyclic: missing parent 404, own ancestor 409 naming the chain', async () => {
    const mk = (title: string, parentGoalId?: string) =>
      create({
        title,
        area: 'Love',
        timeHorizon: 'Yearly',
        ...(parentGoalId ? { parentGoalId } : {}),
      });
    expect((await mk('Orphan', 'no-such-goal')).status).toBe(404);
    const top = (await mk('Top')).body.data;
    const mid = (await mk('Middle', top.id)).body.data;
    const low = (await mk('Low', mid.id)).body.data;
    expect(low.parentGoalId).toBe(mid.id);
    const self = await api.call('PATCH', `/goals/${top.id}`, {
      token: owner.token,
      body: { parentGoalId: top.id },
    });
    expect(self.status).toBe(409);
    const cycle = await api.call('PATCH', `/goals/${top.id}`, {
      token: owner.token,
      body: { parentGoalId: low.id },
    });
    expect(cycle.status).toBe(409);
    expect(cycle.body.error?.message).toMatch(/"Top".*→.*"Low".*→.*"Middle".*→.*"Top"/);
    expect(cycle.body.error?.details).toEqual({ cycle: [top.id, low.id, mid.id, top.id] });
    expect((await get<Goal>(`/goals/${top.id}`)).parentGoalId).toBeNull();
    // Moving a subtree elsewhere is fine, and null detaches.
    const other = (await mk('Other')).body.data;
    const moved = await api.call<Goal>('PATCH', `/goals/${mid.id}`, {
      token: owner.token,
      body: { parentGoalId: other.id },
    });
    expect(moved.body.data.parentGoalId).toBe(other.id);
    const detached = await api.call<Goal>('PATCH', `/goals/${mid.id}`, {
      token: owner.token,
      body: { parentGoalId: null },
    });
    expect(detached.body.data.parentGoalId).toBeNull();
  });

  it('refuses bad input with 400 field details and stores nothing', async () => {
    const user = await api.newUser('goal-bad');
    const base = { title: 'x', area: 'Health', timeHorizon: 'Yearly' };
    const cases: [Record<string, unknown>, (string | number)[]][] = [
      [{ ...base, area: 'Mars' }, ['body', 'area']],
      [{ ...base, timeHorizon: 'Decade' }, ['body', 'timeHorizon']],
      [{ ...base, status: 'Done' }, ['body', 'status']],
      [{ ...base, targetDate: '2024-02-30' }, ['body', 'targetDate']],
      [
        { ...base, progressConfig: { criteriaWeight: 150 } },
        ['body', 'progressConfig', 'criteriaWeight'],
      ],
      [{ ...base, progressConfig: { tasksWeight: -1 } }, ['body', 'progressConfig', 'tasksWeight']],
      [
        {
          ...base,
          progressConfig: { criteriaWeight: 0, tasksWeight: 0, metricsWeight: 0, habitsWeight: 0 },
        },
        ['body', 'progressConfig'],
      ],
      [
        { ...base, progressConfig: { manualOverride: 101 } },
        ['body', 'progressConfig', 'manualOverride'],
      ],
      [{ ...base, successCriteria: [''] }, ['body', 'successCriteria', 0]],
      [
        {
          ...base,
          successCriteria: [
            { id: 'same', description: 'a', isCompleted: false },
            { id: 'same', description: 'b', isCompleted: false },
          ],
        },
        ['body', 'successCriteria', 1, 'id'],
      ],
      [{ area: 'Health', timeHorizon: 'Yearly' }, ['body', 'title']],
    ];
    for (const [body, loc] of cases) {
      const res = await create(body, user);
      expectInvalid(res, loc, body);
    }
    const goal = (await create(base, user)).body.data;
    for (const body of [
      { progressConfig: { habitsWeight: 101 } },
      { completedDate: '2026-07-14T10:00:00' }, // no offset: not an instant
      { priority: 'P9' },
    ]) {
      expect(
        (await api.call('PATCH', `/goals/${goal.id}`, { token: user.token, body })).status,
      ).toBe(400);
    }
    const bad = await api.call('PATCH', `/goals/${goal.id}/criteria/x`, {
      token: user.token,
      body: {},
    });
    expect(bad.status).toBe(400);
    const activity = await api.call('POST', `/goals/${goal.id}/activity`, {
      token: user.token,
      body: { type: 'party', title: 'x' },
    });
    expect(activity.status).toBe(400);
    expect((await get<Page<Goal>>('/goals', user)).data).toEqual([goal]);
    expect((await get<Page<Activity>>(`/goals/${goal.id}/activity`, user)).total).toBe(0);
  });

  it('links tasks, metrics, habits and projects from the goal side, keeping goalIds in step', async () => {
    const user = await api.newUser('goal-links');
    const goal = (await create({ title: 'Linked', area: 'Health', timeHorizon: 'Yearly' }, user))
      .body.data;
    const task = (
      await api.call<{ id: string }>('POST', '/tasks', {
        token: user.token,
        body: { title: 'T', area: 'Health' },
      })
    ).body.data;
    const project = (
      await api.call<{ id: string }>('POST', '/projects', {
        token: user.token,
        body: { name: 'P', area: 'Health' },
      })
    ).body.data;
    const metricId = await putMetric(api, user, {
      direction: 'Higher',
      targetValue: 10,
      currentValue: 1,
    });
    const habitId = await putHabit(api, user);
    const link = (path: string, body: Record<string, string>) =>
      api.call('POST', `/goals/${goal.id}/${path}`, { token: user.token, body });
    for (const [path, body] of [
      ['tasks', { taskId: task.id }],
      ['metrics', { metricId }],
      ['habits', { habitId }],
      ['projects', { projectId: project.id }],
      ['tasks', { taskId: task.id }], // idempotent
    ] as const) {
      const res = await link(path, body);
      expect({ path, status: res.status, data: res.body.data }).toEqual({
        path,
        status: 200,
        data: null,
      });
    }
    expect((await link('tasks', { taskId: 'missing' })).status).toBe(404);
    const tasks = await get<Page<{ id: string; goalIds: string[] }> & { tasks: unknown[] }>(
      `/goals/${goal.id}/tasks`,
      user,
    );
    expect(tasks).toMatchObject({ total: 1, hasMore: false });
    expect(tasks.tasks).toEqual(tasks.data);
    expect(tasks.data[0]).toMatchObject({ id: task.id, goalIds: [goal.id] });
    const metrics = await get<Page<Record<string, unknown>>>(`/goals/${goal.id}/metrics`, user);
    expect(metrics.data).toEqual([
      expect.objectContaining({ id: metricId, direction: 'Higher', goalIds: [goal.id] }),
    ]);
    expect(metrics.data[0]).not.toHaveProperty('pk');
    const habits = await get<Page<Record<string, unknown>>>(`/goals/${goal.id}/habits`, user);
    expect(habits.data).toEqual([expect.objectContaining({ id: habitId, goalIds: [goal.id] })]);
    const projects = await get<Page<Record<string, unknown>>>(`/goals/${goal.id}/projects`, user);
    expect(projects.data).toEqual([
      expect.objectContaining({ id: project.id, goalIds: [goal.id] }),
    ]);
    expect(
      (await get<Page<Goal>>(`/projects/${project.id}/goals`, user)).data.map((g) => g.id),
    ).toEqual([goal.id]);

    for (const path of [
      `tasks/${task.id}`,
      `metrics/${metricId}`,
      `habits/${habitId}`,
      `projects/${project.id}`,
    ]) {
      const res = await api.call('DELETE', `/goals/${goal.id}/${path}`, { token: user.token });
      expect({ path, status: res.status }).toEqual({ path, status: 200 });
    }
    expect((await stored(api, user, 'TASK', task.id))?.goalIds).toEqual([]);
    expect((await stored(api, user, 'METRIC', metricId))?.goalIds).toEqual([]);
    expect((await stored(api, user, 'HABIT', habitId))?.goalIds).toEqual([]);
    expect((await stored(api, user, 'PROJECT', project.id))?.goalIds).toEqual([]);
    expect(await queryAll(api.deps.db, { pk: childPk(user.userId, 'GOAL', goal.id) })).toEqual([]);

    // The task's own door: a PATCH that sends goalIds links and unlinks; deleting it unlinks.
    const patch = (goalIds: string[]) =>
      api.call('PATCH', `/tasks/${task.id}`, { token: user.token, body: { goalIds } });
    await patch([goal.id]);
    const listed = () =>
      get<Page<{ id: string }>>(`/goals/${goal.id}/tasks`, user).then((p) =>
        p.data.map((t) => t.id),
      );
    expect(await listed()).toEqual([task.id]);
    await patch([]);
    expect(await listed()).toEqual([]);
    await patch([goal.id]);
    await api.call('DELETE', `/tasks/${task.id}`, { token: user.token });
    expect(await listed()).toEqual([]);
    expect(await queryAll(api.deps.db, { pk: childPk(user.userId, 'GOAL', goal.id) })).toEqual([]);
  });

  it('deletes a goal with its links, its activity and its children’s parent pointer', async () => {
    const user = await api.newUser('goal-delete');
    const goal = (
      await create(
        { title: 'Doomed', area: 'Wealth', timeHorizon: 'Yearly', successCriteria: ['c'] },
        user,
      )
    ).body.data;
    await api.call('POST', `/goals/${goal.id}/criteria/${goal.successCriteria[0]?.id}/complete`, {
      token: user.token,
    });
    const child = (
      await create(
        { title: 'Child', area: 'Wealth', timeHorizon: 'Monthly', parentGoalId: goal.id },
        user,
      )
    ).body.data;
    const other = (await create({ title: 'Other', area: 'Wealth', timeHorizon: 'Monthly' }, user))
      .body.data;
    const task = (
      await api.call<{ id: string }>('POST', '/tasks', {
        token: user.token,
        body: { title: 'T', area: 'Wealth', goalIds: [goal.id, other.id] },
      })
    ).body.data;
    const project = (
      await api.call<{ id: string }>('POST', '/projects', {
        token: user.token,
        body: { name: 'P', area: 'Wealth', goalIds: [goal.id] },
      })
    ).body.data;
    const metricId = await putMetric(api, user, {
      direction: 'Lower',
      targetValue: 5,
      currentValue: 9,
    });
    const habitId = await putHabit(api, user);
    await api.call('POST', `/goals/${goal.id}/metrics`, { token: user.token, body: { metricId } });
    await api.call('POST', `/goals/${goal.id}/habits`, { token: user.token, body: { habitId } });

    const res = await api.call('DELETE', `/goals/${goal.id}`, { token: user.token });
    expect(res.status).toBe(200);
    expect(res.body.data).toBeNull();
    expect((await api.call('GET', `/goals/${goal.id}`, { token: user.token })).status).toBe(404);
    expect((await stored(api, user, 'TASK', task.id))?.goalIds).toEqual([other.id]);
    expect((await stored(api, user, 'PROJECT', project.id))?.goalIds).toEqual([]);
    expect((await stored(api, user, 'METRIC', metricId))?.goalIds).toEqual([]);
    expect((await stored(api, user, 'HABIT', habitId))?.goalIds).toEqual([]);
    expect((await get<Goal>(`/goals/${child.id}`, user)).parentGoalId).toBeNull();
    expect(await queryAll(api.deps.db, { pk: childPk(user.userId, 'GOAL', goal.id) })).toEqual([]);
    // The other goal keeps its link to the task.
    expect(
      (await get<Page<{ id: string }>>(`/goals/${other.id}/tasks`, user)).data.map((t) => t.id),
    ).toEqual([task.id]);
    expect((await api.call('DELETE', `/goals/${goal.id}`, { token: user.token })).status).toBe(404);
  });
});
