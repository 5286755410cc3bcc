/**
 * Projects end to end over HTTP, against both stores: CRUD and filters, bad input, tasks and
 * goals linked from either door with the embedded arrays in step, health around its thresholds
 * (§e.11) with a fixed clock, health of a whole list in a fixed number of storage calls, and
 * deletion with every link.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { userCtx } from '../../src/api/deps.js';
import { childPk, keys } from '../../src/db/keys.js';
import { listEntities } from '../../src/db/queries.js';
import { queryAll } from '../../src/db/table.js';
import { projectHealthMany } from '../../src/services/projects/health.js';
import { fixedClock, startApi, type TestApi, type TestUser } from '../helpers/api.js';
import { relogin } from '../helpers/clock.js';
import { stored } from '../helpers/growth.js';
import { countingTable } from '../helpers/counting.js';
import { STORES } from '../helpers/stores.js';
import { expectInvalid } from '../helpers/assertions.js';

type Project = Record<string, unknown> & { id: string; name: string; goalIds: string[] };
type Page<T> = { data: T[]; total: number; page: number; pageSize: number; hasMore: boolean };
type Health = {
  status: string;
  tasksCompleted: number;
  tasksTotal: number;
  percentComplete: number;
};

describe.each(STORES)('projects on %s', (store) => {
  // Wednesday March 16, 2026, noon UTC; the test user stays in UTC.
  const clock = fixedClock('2026-03-16T12:00:00.000Z');
  let api: TestApi;
  let owner: TestUser;
  const call = <T>(method: string, path: string, body?: unknown, user: TestUser = owner) =>
    api.call<T>(method, path, { token: user.token, body });
  const data = <T>(method: string, path: string, body?: unknown, user: TestUser = owner) =>
    call<T>(method, path, body, user).then((r) => r.body.data);

  beforeAll(async () => {
    api = await startApi({ store, clock });
    owner = await api.newUser('projects');
  });
  afterAll(() => api.close());

  it('creates with the contract defaults, updates partially, filters the list', async () => {
    const user = await api.newUser('project-crud');
    const res = await call<Project>(
      'POST',
      '/projects',
      { name: 'Garden', area: 'Happiness' },
      user,
    );
    expect(res.status).toBe(201);
    expect(res.body.data).toMatchObject({
      name: 'Garden',
      area: 'Happiness',
      description: null,
      subCategory: null,
      priority: 'P3',
      status: 'Planning',
      impact: 3,
      startDate: null,
      targetEndDate: null,
      actualEndDate: null,
      notes: null,
      goalIds: [],
      userId: user.userId,
    });
    expect(res.body.data).not.toHaveProperty('version');
    expect(res.body.data).not.toHaveProperty('health');
    const garden = res.body.data;
    const patched = await data<Project>(
      'PATCH',
      `/projects/${garden.id}`,
      {
        status: 'OnHold',
        impact: 5,
        actualEndDate: '2026-03-10',
        notes: 'later',
        subCategory: 'Peace',
      },
      user,
    );
    expect(patched).toMatchObject({
      status: 'On Hold',
      impact: 5,
      actualEndDate: '2026-03-10',
      notes: 'later',
    });
    expect(await data(`GET`, `/projects/${garden.id}`, undefined, user)).toEqual(patched);
    const cleared = await data<Project>('PATCH', `/projects/${garden.id}`, { notes: null }, user);
    expect(cleared).toMatchObject({ notes: null, impact: 5 });

    const shed = await data<Project>(
      'POST',
      '/projects',
      { name: 'Shed', area: 'Operations', priority: 'P1', status: 'Active' },
      user,
    );
    const fund = await data<Project>(
      'POST',
      '/projects',
      { name: 'Fund', area: 'Wealth', priority: 'P1' },
      user,
    );
    const ids = (q: string) =>
      data<Page<Project>>('GET', `/projects${q}`, undefined, user).then((p) =>
        p.data.map((x) => x.id),
      );
    expect(await ids('')).toEqual([fund.id, shed.id, garden.id]);
    expect(await ids('?area=Wealth')).toEqual([fund.id]);
    expect(await ids('?status=Active')).toEqual([shed.id]);
    expect(await ids('?status=On%20Hold')).toEqual([garden.id]);
    expect(await ids('?priority=P1')).toEqual([fund.id, shed.id]);
    expect(await data<Page<Project>>('GET', '/projects?pageSize=2', undefined, user)).toMatchObject(
      {
        total: 3,
        pageSize: 2,
        hasMore: true,
      },
    );
  });

  it('refuses bad input with 400 field details and stores nothing', async () => {
    const user = await api.newUser('project-bad');
    const base = { name: 'x', area: 'Health' };
    const cases: [Record<string, unknown>, string[]][] = [
      [{ ...base, impact: 6 }, ['body', 'impact']],
      [{ ...base, impact: 2.5 }, ['body', 'impact']],
      [{ ...base, status: 'Done' }, ['body', 'status']],
      [{ ...base, area: 'Moon' }, ['body', 'area']],
      [{ ...base, startDate: '2026-13-01' }, ['body', 'startDate']],
      [
        { ...base, startDate: '2026-03-10', targetEndDate: '2026-03-09' },
        ['body', 'targetEndDate'],
      ],
      [{ area: 'Health' }, ['body', 'name']],
    ];
    for (const [body, loc] of cases) {
      const res = await call('POST', '/projects', body, user);
      expectInvalid(res, loc, body);
    }
    const project = await data<Project>(
      'POST',
      '/projects',
      { ...base, startDate: '2026-03-10' },
      user,
    );
    const before = await call(
      'PATCH',
      `/projects/${project.id}`,
      { targetEndDate: '2026-03-01' },
      user,
    );
    expect(before.status).toBe(400);
    expect((await call('GET', '/projects?includeHealth=maybe', undefined, user)).status).toBe(400);
    expect((await data<Page<Project>>('GET', '/projects', undefined, user)).data).toEqual([
      project,
    ]);
    expect((await call('POST', '/projects', { ...base, goalIds: ['no-goal'] }, user)).status).toBe(
      404,
    );
    expect((await data<Page<Project>>('GET', '/projects', undefined, user)).total).toBe(1);
  });

  it('links tasks and goals from both doors; one relation, arrays and link items in step', async () => {
    const user = await api.newUser('project-links');
    const project = await data<Project>(
      'POST',
      '/projects',
      { name: 'Launch', area: 'Wealth' },
      user,
    );
    const goal = await data<{ id: string }>(
      'POST',
      '/goals',
      { title: 'Income', area: 'Wealth', timeHorizon: 'Yearly' },
      user,
    );
    const task = await data<{ id: string }>(
      'POST',
      '/tasks',
      { title: 'Landing page', area: 'Wealth' },
      user,
    );
    const other = await data<{ id: string }>(
      'POST',
      '/tasks',
      { title: 'Ads', area: 'Wealth', projectIds: [project.id] },
      user,
    );

    expect(
      (await call('POST', `/projects/${project.id}/tasks`, { taskId: task.id }, user)).body,
    ).toEqual({
      success: true,
      data: null,
      error: null,
    });
    const tasks = await data<Page<{ id: string; projectIds: string[] }> & { tasks: unknown[] }>(
      'GET',
      `/projects/${project.id}/tasks`,
      undefined,
      user,
    );
    expect(tasks.tasks).toEqual(tasks.data);
    expect(tasks.data.map((t) => [t.id, t.projectIds])).toEqual([
      [task.id, [project.id]],
      [other.id, [project.id]],
    ]);
    expect(
      (await call('DELETE', `/projects/${project.id}/tasks/${other.id}`, undefined, user)).status,
    ).toBe(200);
    expect((await stored(api, user, 'TASK', other.id))?.projectIds).toEqual([]);
    expect(
      (await call('POST', `/projects/${project.id}/tasks`, { taskId: 'nope' }, user)).status,
    ).toBe(404);

    // The goal link from the project door shows on the goal door, and back.
    expect(
      (await call('POST', `/projects/${project.id}/goals`, { goalId: goal.id }, user)).status,
    ).toBe(200);
    expect(
      (
        await data<Page<{ id: string }>>('GET', `/goals/${goal.id}/projects`, undefined, user)
      ).data.map((p) => p.id),
    ).toEqual([project.id]);
    expect(
      (
        await data<Page<{ id: string }>>('GET', `/projects/${project.id}/goals`, undefined, user)
      ).data.map((g) => g.id),
    ).toEqual([goal.id]);
    expect((await stored(api, user, 'PROJECT', project.id))?.goalIds).toEqual([goal.id]);
    expect(
      (await call('DELETE', `/goals/${goal.id}/projects/${project.id}`, undefined, user)).status,
    ).toBe(200);
    expect(
      (await data<Page<unknown>>('GET', `/projects/${project.id}/goals`, undefined, user)).total,
    ).toBe(0);
    expect(
      await api.deps.db.get(keys.link(user.userId, 'GOAL', goal.id, 'PROJECT', project.id)),
    ).toBeNull();

    // A PATCH that sends goalIds relinks; the link item follows.
    const patched = await data<Project>(
      'PATCH',
      `/projects/${project.id}`,
      { goalIds: [goal.id, goal.id] },
      user,
    );
    expect(patched.goalIds).toEqual([goal.id]);
    expect(
      await api.deps.db.get(keys.link(user.userId, 'GOAL', goal.id, 'PROJECT', project.id)),
    ).not.toBeNull();
    await data('PATCH', `/projects/${project.id}`, { goalIds: [] }, user);
    expect(
      await api.deps.db.get(keys.link(user.userId, 'GOAL', goal.id, 'PROJECT', project.id)),
    ).toBeNull();
    expect(
      (await call('PATCH', `/projects/${project.id}`, { goalIds: ['ghost'] }, user)).status,
    ).toBe(404);
    expect((await stored(api, user, 'PROJECT', project.id))?.goalIds).toEqual([]);
  });

  it('links a project to at most 30 goals: more is a 400 (never a 500), also from the goal side', async () => {
    const user = await api.newUser('project-many-goals');
    const goals: string[] = [];
    for (let i = 0; i < 60; i++) {
      const goal = await data<{ id: string }>(
        'POST',
        '/goals',
        { title: `#${i}`, area: 'Wealth', timeHorizon: 'Yearly' },
        user,
      );
      goals.push(goal.id);
    }
    // 60 goals would be 1 + 2 × 60 = 121 operations in one transaction (at most 100).
    for (const goalIds of [goals, goals.slice(0, 31)]) {
      expectInvalid(
        await call('POST', '/projects', { name: 'Big', area: 'Wealth', goalIds }, user),
        ['body', 'goalIds'],
        goalIds.length,
      );
    }
    expect((await data<Page<Project>>('GET', '/projects', undefined, user)).total).toBe(0);
    const project = await data<Project>(
      'POST',
      '/projects',
      { name: 'Big', area: 'Wealth', goalIds: goals.slice(0, 30) },
      user,
    );
    expect(project.goalIds).toHaveLength(30);
    expectInvalid(
      await call(
        'PATCH',
        `/projects/${project.id}`,
        { goalIds: goals.slice(30).concat(goals[0] as string) },
        user,
      ),
      ['body', 'goalIds'],
    );
    for (const path of [`/projects/${project.id}/goals`, `/goals/${goals[30]}/projects`]) {
      const body = path.startsWith('/projects') ? { goalId: goals[30] } : { projectId: project.id };
      const res = await call('POST', path, body, user);
      expect({ path, status: res.status, code: res.body.error?.code }).toEqual({
        path,
        status: 409,
        code: 'CONFLICT',
      });
    }
    // Swapping all 30 for 30 others: 1 + 30 + 60 = 91 operations, fine.
    const swapped = await data<Project>(
      'PATCH',
      `/projects/${project.id}`,
      { goalIds: goals.slice(30) },
      user,
    );
    expect(swapped.goalIds).toEqual(goals.slice(30));
  });

  it('judges health around the thresholds of §e.11', async () => {
    const user = await api.newUser('project-health');
    // Schedule March 1 → March 31 (30 days); today March 16: 15 days elapsed = 50 %.
    const project = await data<Project>(
      'POST',
      '/projects',
      {
        name: 'Book',
        area: 'Day Job',
        status: 'Active',
        startDate: '2026-03-01',
        targetEndDate: '2026-03-31',
      },
      user,
    );
    const addTask = async (status: string) =>
      data(
        'POST',
        '/tasks',
        { title: status, area: 'Day Job', status, projectIds: [project.id], pointValue: 0 },
        user,
      );
    const health = () => data<Health>('GET', `/projects/${project.id}/health`, undefined, user);

    // No tasks and no goals: 0 %, 0 − 50 = −50 → yellow.
    expect(await health()).toEqual({
      status: 'yellow',
      tasksCompleted: 0,
      tasksTotal: 0,
      percentComplete: 0,
    });
    for (const status of ['Done', 'Done', 'Not Started', 'Not Started']) await addTask(status);
    // 2/4 = 50 %: 50 − 50 = 0 → green.
    expect(await health()).toEqual({
      status: 'green',
      tasksCompleted: 2,
      tasksTotal: 4,
      percentComplete: 50,
    });
    await addTask('In Progress');
    // 2/5 = 40 %: 40 − 50 = −10 → yellow (behind by 10 points counts).
    expect(await health()).toEqual({
      status: 'yellow',
      tasksCompleted: 2,
      tasksTotal: 5,
      percentComplete: 40,
    });
    await addTask('Done');
    // 3/6 = 50 % → green; a Blocked task turns it red at once: 3/7.
    expect((await health()).status).toBe('green');
    const blocked = (await addTask('Blocked')) as { id: string };
    expect(await health()).toEqual({
      status: 'red',
      tasksCompleted: 3,
      tasksTotal: 7,
      percentComplete: 42.86,
    });
    await data('PATCH', `/tasks/${blocked.id}`, { status: 'Done' }, user);
    // 4/7 = 57.14 % → green.
    expect(await health()).toMatchObject({ status: 'green', percentComplete: 57.14 });

    // April 1 is past the March 31 end with 57.14 % < 100 → red (overdue) …
    clock.set('2026-04-01T12:00:00.000Z');
    await relogin(api, user);
    expect((await health()).status).toBe('red');
    // … unless the work is complete.
    await data(
      'PATCH',
      `/projects/${project.id}`,
      { status: 'Completed', actualEndDate: '2026-04-01' },
      user,
    );
    expect(await health()).toMatchObject({ status: 'green', percentComplete: 57.14 });
    clock.set('2026-03-16T12:00:00.000Z');
    await relogin(api, user);
    await relogin(api, owner);
  });

  it('without tasks, judges by the criteria of the linked goals', async () => {
    const user = await api.newUser('project-goals');
    const half = await data<{ id: string; successCriteria: { id: string }[] }>(
      'POST',
      '/goals',
      { title: 'Half', area: 'Love', timeHorizon: 'Yearly', successCriteria: ['a', 'b'] },
      user,
    );
    await data(
      'POST',
      `/goals/${half.id}/criteria/${half.successCriteria[0]?.id}/complete`,
      undefined,
      user,
    );
    const empty = await data<{ id: string }>(
      'POST',
      '/goals',
      { title: 'Empty', area: 'Love', timeHorizon: 'Yearly' },
      user,
    );
    const project = await data<Project>(
      'POST',
      '/projects',
      {
        name: 'Wedding',
        area: 'Love',
        startDate: '2026-03-06',
        targetEndDate: '2026-03-26',
        goalIds: [half.id, empty.id],
      },
      user,
    );
    // (50 + 0) / 2 = 25 %; March 6 → 26 is 20 days, 10 elapsed = 50 %: 25 − 50 = −25 → yellow.
    expect(await data<Health>('GET', `/projects/${project.id}/health`, undefined, user)).toEqual({
      status: 'yellow',
      tasksCompleted: 0,
      tasksTotal: 0,
      percentComplete: 25,
    });
  });

  it('adds health to a whole list with a fixed number of storage calls', async () => {
    const user = await api.newUser('project-many');
    const goal = await data<{ id: string }>(
      'POST',
      '/goals',
      { title: 'G', area: 'Health', timeHorizon: 'Yearly' },
      user,
    );
    const mkProject = (name: string) =>
      data<Project>('POST', '/projects', { name, area: 'Health', goalIds: [goal.id] }, user);
    const mkTasks = async (projectId: string, done: number, open: number) => {
      for (let i = 0; i < done + open; i++)
        await data(
          'POST',
          '/tasks',
          {
            title: `t${i}`,
            area: 'Health',
            status: i < done ? 'Done' : 'Not Started',
            projectIds: [projectId],
            pointValue: 0,
          },
          user,
        );
    };
    const ctx = () => {
      const counted = countingTable(api.deps.db);
      return { ctx: { ...userCtx(api.deps, user.userId), db: counted.db }, calls: counted.calls };
    };
    const a = await mkProject('A');
    await mkTasks(a.id, 1, 1);
    const small = ctx();
    await projectHealthMany(small.ctx, await listEntities(api.deps.db, user.userId, 'PROJECT'));

    const b = await mkProject('B');
    const c = await mkProject('C');
    await mkTasks(b.id, 3, 1);
    await mkTasks(c.id, 0, 5);
    const large = ctx();
    const health = await projectHealthMany(
      large.ctx,
      await listEntities(api.deps.db, user.userId, 'PROJECT'),
    );
    // One query of the tasks, one batch read of the goals, one read of the profile — for 1 or 3 projects.
    expect(small.calls).toHaveLength(3);
    expect(large.calls).toHaveLength(3);
    expect(health.get(b.id)).toMatchObject({
      tasksCompleted: 3,
      tasksTotal: 4,
      percentComplete: 75,
    });

    const list = await data<
      Page<Project & { health: Health; taskCount: number; completedTaskCount: number }>
    >('GET', '/projects?includeHealth=true', undefined, user);
    expect(
      list.data.map((p) => [p.name, p.taskCount, p.completedTaskCount, p.health.percentComplete]),
    ).toEqual([
      ['C', 5, 0, 0],
      ['B', 4, 3, 75],
      ['A', 2, 1, 50],
    ]);
    // The same figures as the one-project route.
    for (const p of list.data)
      expect(await data('GET', `/projects/${p.id}/health`, undefined, user)).toEqual(p.health);
  });

  it('deletes a project with its task and goal links', async () => {
    const user = await api.newUser('project-delete');
    const goal = await data<{ id: string }>(
      'POST',
      '/goals',
      { title: 'G', area: 'Health', timeHorizon: 'Yearly' },
      user,
    );
    const project = await data<Project>(
      'POST',
      '/projects',
      { name: 'Doomed', area: 'Health', goalIds: [goal.id] },
      user,
    );
    const keep = await data<Project>('POST', '/projects', { name: 'Kept', area: 'Health' }, user);
    const task = await data<{ id: string }>(
      'POST',
      '/tasks',
      { title: 'T', area: 'Health', projectIds: [project.id, keep.id] },
      user,
    );
    const res = await call('DELETE', `/projects/${project.id}`, undefined, user);
    expect(res.status).toBe(200);
    expect(res.body.data).toBeNull();
    expect((await call('GET', `/projects/${project.id}`, undefined, user)).status).toBe(404);
    expect((await stored(api, user, 'TASK', task.id))?.projectIds).toEqual([keep.id]);
    expect(
      (await data<Page<unknown>>('GET', `/goals/${goal.id}/projects`, undefined, user)).total,
    ).toBe(0);
    expect(
      await queryAll(api.deps.db, { pk: childPk(user.userId, 'PROJECT', project.id) }),
    ).toEqual([]);
    expect(await queryAll(api.deps.db, { pk: childPk(user.userId, 'GOAL', goal.id) })).toEqual([]);
    expect(
      (await data<Page<unknown>>('GET', `/projects/${keep.id}/tasks`, undefined, user)).total,
    ).toBe(1);
    expect((await call('DELETE', `/projects/${project.id}`, undefined, user)).status).toBe(404);
  });
});
