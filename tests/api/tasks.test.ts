/**
 * Tasks end to end over HTTP, against both stores: CRUD, search/filters/sorting/paging, bad
 * input, completion paying points exactly once (§e.2–e.3), dependencies, recurrence, isolation.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { userPk } from '../../src/db/keys.js';
import { queryAll } from '../../src/db/table.js';
import { fixedClock } from '../../src/utils/dates.js';
import { startApi, type TestApi, type TestUser } from '../helpers/api.js';
import { expectCovers, expectIsolated } from '../helpers/security.js';
import { storedLedger } from '../helpers/ledger.js';
import { STORES } from '../helpers/stores.js';
import { expectInvalid } from '../helpers/assertions.js';

type Task = Record<string, unknown> & { id: string; title: string; status: string };
type Page = { tasks: Task[]; total: number; page: number; pageSize: number; hasMore: boolean };

async function ledger(api: TestApi, userId: string) {
  const { entries, balance } = await storedLedger(api.deps.db, userId);
  const pick = ({ type, source, amount, sourceEntityId }: Record<string, unknown>) => ({
    type,
    source,
    amount,
    sourceEntityId,
  });
  return { entries: entries.map(pick), balance };
}

describe.each(STORES)('tasks on %s', (store) => {
  let api: TestApi;
  let owner: TestUser;
  const create = (body: Record<string, unknown>, user: TestUser = owner) =>
    api.call<Task>('POST', '/tasks', { token: user.token, body });

  beforeAll(async () => {
    api = await startApi({ store });
    owner = await api.newUser('tasks');
  });
  afterAll(() => api.close());

  it('creates a task with the contract defaults and reads it back', async () => {
    const res = await create({ title: 'Write the report', area: 'Day Job' });
    expect(res.status).toBe(201);
    expect(res.body.data).toMatchObject({
      title: 'Write the report',
      area: 'Day Job',
      priority: 'P3',
      status: 'Not Started',
      size: null,
      description: null,
      subCategory: null,
      isRecurring: false,
      recurrenceRule: null,
      pointValue: 132, // sp 5: 100 × P3 1.2 × Day Job 1.1 × 1.0
      pointsAwarded: false,
      rewardLedgerStatus: 'none',
      projectIds: [],
      goalIds: [],
      userId: owner.userId,
      completedDate: null,
    });
    expect(res.body.data).not.toHaveProperty('pk');
    expect(res.body.data).not.toHaveProperty('version');
    const got = await api.call<Task>('GET', `/tasks/${res.body.data.id}`, { token: owner.token });
    expect(got.body.data).toEqual(res.body.data);
  });

  it('accepts the older enum spellings and answers with the contract ones', async () => {
    const res = await create({
      title: 'Legacy',
      area: 'DayJob',
      status: 'InProgress',
      priority: 'P1',
    });
    expect(res.status).toBe(201);
    expect(res.body.data).toMatchObject({ area: 'Day Job', status: 'In Progress' });
  });

  it('keeps a client pointValue and updates partially; null clears', async () => {
    const res = await create({
      title: 'Stretch',
      area: 'Health',
      pointValue: 50,
      notes: 'gently',
      size: 2,
    });
    expect(res.body.data.pointValue).toBe(50);
    const patched = await api.call<Task>('PATCH', `/tasks/${res.body.data.id}`, {
      token: owner.token,
      body: { notes: null, priority: 'P1', dueDate: '2026-12-01' },
    });
    expect(patched.status).toBe(200);
    expect(patched.body.data).toMatchObject({
      title: 'Stretch',
      notes: null,
      priority: 'P1',
      dueDate: '2026-12-01',
      size: 2,
      pointValue: 50,
    });
  });

  it('refuses bad input with 400 field details and stores nothing', async () => {
    const before = (await api.call<Page>('GET', '/tasks', { token: owner.token })).body.data.total;
    const cases: [Record<string, unknown>, string[]][] = [
      [{ title: 'x', area: 'Mars' }, ['body', 'area']],
      [{ title: 'x', area: 'Health', size: 4 }, ['body', 'size']],
      [{ title: 'x'.repeat(501), area: 'Health' }, ['body', 'title']],
      [{ title: 'x', area: 'Health', dueDate: '2024-02-30' }, ['body', 'dueDate']],
      [
        {
          title: 'x',
          area: 'Health',
          isRecurring: true,
          recurrenceRule: { frequency: 'Daily', interval: 0 },
        },
        ['body', 'recurrenceRule', 'interval'],
      ],
      [{ title: 'x', area: 'Health', isRecurring: true }, ['body', 'recurrenceRule']],
      [{ area: 'Health' }, ['body', 'title']],
      [{ title: 'x', area: 'Health', status: 'Finished' }, ['body', 'status']],
    ];
    for (const [body, loc] of cases) {
      const res = await create(body);
      expectInvalid(res, loc, body);
    }
    const task = (await create({ title: 'Valid', area: 'Health' })).body.data;
    const badPatch = await api.call('PATCH', `/tasks/${task.id}`, {
      token: owner.token,
      body: { size: 4 },
    });
    expect(badPatch.status).toBe(400);
    expect(
      (await api.call<Task>('GET', `/tasks/${task.id}`, { token: owner.token })).body.data.size,
    ).toBeNull();
    expect((await api.call<Page>('GET', '/tasks', { token: owner.token })).body.data.total).toBe(
      before + 1,
    );
  });

  it('links a task to at most 30 goals and 30 projects; more links in one write is a 400, never a 500', async () => {
    const user = await api.newUser('many-links');
    const make = async (path: string, body: Record<string, unknown>, n: number) => {
      const ids: string[] = [];
      for (let i = 0; i < n; i++) {
        const res = await api.call<{ id: string }>('POST', path, {
          token: user.token,
          body: { ...body, [path === '/goals' ? 'title' : 'name']: `#${i}` },
        });
        ids.push(res.body.data.id);
      }
      return ids;
    };
    const goals = await make('/goals', { area: 'Health', timeHorizon: 'Yearly' }, 31);
    const projects = await make('/projects', { area: 'Health' }, 30);
    const thirty = goals.slice(0, 30);
    const extra = goals[30] as string;

    // 31 goals: over the cap.
    expectInvalid(await create({ title: 'x', area: 'Health', goalIds: goals }, user), [
      'body',
      'goalIds',
    ]);
    // 30 goals and 30 projects: each list within its cap, but their links (2 operations each,
    // 1 + 60 + 60 = 121) cannot be written in one transaction (at most 100) → 400, not 500.
    const both = await create(
      { title: 'x', area: 'Health', goalIds: thirty, projectIds: projects },
      user,
    );
    expectInvalid(both, ['body', 'projectIds']);
    const listed = await api.call<Page>('GET', '/tasks', { token: user.token });
    expect(listed.body.data.total).toBe(0);

    // 30 goals fit (1 + 60 operations); the 31st is refused from the goal's side too.
    const task = await create({ title: 'Linked', area: 'Health', goalIds: thirty }, user);
    expect(task.status).toBe(201);
    const more = await api.call('POST', `/goals/${extra}/tasks`, {
      token: user.token,
      body: { taskId: task.body.data.id },
    });
    expect(more.status).toBe(409);
    expect(more.body.error?.code).toBe('CONFLICT');
    const again = await api.call('POST', `/goals/${thirty[0]}/tasks`, {
      token: user.token,
      body: { taskId: task.body.data.id },
    });
    expect(again.status).toBe(200); // already linked: idempotent
    const stored = await api.call<Task>('GET', `/tasks/${task.body.data.id}`, {
      token: user.token,
    });
    expect(stored.body.data.goalIds).toEqual(thirty);

    // Adding the 30 projects and completing the task as a recurring one in one PATCH: 1 + 60
    // (the links) + 2 (ledger and balance) + 1 (the next occurrence) + 60 (its links) = 124
    // operations → 400, and nothing changes.
    const id = task.body.data.id;
    const daily = { isRecurring: true, recurrenceRule: { frequency: 'Daily', interval: 1 } };
    const all = await api.call('PATCH', `/tasks/${id}`, {
      token: user.token,
      body: { projectIds: projects, status: 'Done', ...daily },
    });
    expect(all.status).toBe(400);
    const unchanged = await api.call<Task>('GET', `/tasks/${id}`, { token: user.token });
    expect(unchanged.body.data).toMatchObject({ status: 'Not Started', projectIds: [] });
    expect((await ledger(api, user.userId)).entries).toEqual([]);
    // In two steps it fits: 1 + 60 operations, then 1 + 2 + 1 + 60 = 64.
    const linked = await api.call('PATCH', `/tasks/${id}`, {
      token: user.token,
      body: { projectIds: projects, ...daily },
    });
    expect(linked.status).toBe(200);
    expect((await api.call('POST', `/tasks/${id}/complete`, { token: user.token })).status).toBe(
      200,
    );
    const open = await api.call<Page>('GET', '/tasks?status=Not%20Started', { token: user.token });
    expect(open.body.data.tasks.map((t) => [t.goalIds, t.projectIds])).toEqual([
      [thirty, projects],
    ]);
  });

  it('answers a double-clicked delete with one 200 and then 404s, and a PATCH racing it with 200 or 404, never 500', async () => {
    const user = await api.newUser('double-delete');
    const task = (await create({ title: 'Twice', area: 'Health' }, user)).body.data;
    const deletes = await Promise.all(
      [1, 2, 3].map(() => api.call('DELETE', `/tasks/${task.id}`, { token: user.token })),
    );
    expect(deletes.map((r) => r.status).sort()).toEqual([200, 404, 404]);
    const other = (await create({ title: 'Edited while deleted', area: 'Health' }, user)).body.data;
    const race = await Promise.all([
      api.call('PATCH', `/tasks/${other.id}`, { token: user.token, body: { title: 'x' } }),
      api.call('DELETE', `/tasks/${other.id}`, { token: user.token }),
      api.call('PATCH', `/tasks/${other.id}`, { token: user.token, body: { title: 'y' } }),
    ]);
    // The DELETE wins whatever the order (it re-reads a task changed meanwhile); a PATCH after it
    // finds nothing.
    expect(race[1]?.status).toBe(200);
    for (const patch of [race[0], race[2]]) expect([200, 404]).toContain(patch?.status);
    expect((await api.call('GET', `/tasks/${other.id}`, { token: user.token })).status).toBe(404);
  });

  it('lists under data.tasks with search, filters, sorting and paging', async () => {
    const user = await api.newUser('list');
    const mk = (body: Record<string, unknown>) => create(body, user).then((r) => r.body.data);
    const a = await mk({
      title: 'Buy GROCERIES',
      area: 'Health',
      priority: 'P2',
      dueDate: '2026-12-03',
    });
    const b = await mk({
      title: 'Call mom',
      area: 'Love',
      priority: 'P1',
      description: 'about the groceries',
    });
    const c = await mk({
      title: 'File taxes',
      area: 'Wealth',
      priority: 'P4',
      dueDate: '2026-12-01',
      subCategory: 'Debt',
    });
    await api.call('PATCH', `/tasks/${c.id}`, {
      token: user.token,
      body: { status: 'In Progress' },
    });
    const list = (q = '') =>
      api.call<Page>('GET', `/tasks${q}`, { token: user.token }).then((r) => r.body.data);

    const all = await list();
    expect(all).toMatchObject({ total: 3, page: 1, pageSize: 3, hasMore: false });
    expect(all.tasks.map((t) => t.id)).toEqual([c.id, b.id, a.id]); // newest first by default
    expect((await list('?search=groceries')).tasks.map((t) => t.id).sort()).toEqual(
      [a.id, b.id].sort(),
    );
    expect((await list('?status=In%20Progress')).tasks.map((t) => t.id)).toEqual([c.id]);
    expect((await list('?status=InProgress')).tasks.map((t) => t.id)).toEqual([c.id]);
    expect((await list('?area=Love')).tasks.map((t) => t.id)).toEqual([b.id]);
    expect((await list('?priority=P2')).tasks.map((t) => t.id)).toEqual([a.id]);
    expect((await list('?subCategory=Debt')).tasks.map((t) => t.id)).toEqual([c.id]);
    expect((await list('?dueDate=2026-12-03')).tasks.map((t) => t.id)).toEqual([a.id]);
    expect((await list('?sortBy=priority&sortOrder=asc')).tasks.map((t) => t.id)).toEqual([
      b.id,
      a.id,
      c.id,
    ]);
    expect((await list('?sortBy=dueDate&sortOrder=asc')).tasks.map((t) => t.id)).toEqual([
      c.id,
      a.id,
      b.id,
    ]);
    expect((await list('?sortBy=dueDate&sortOrder=desc')).tasks.map((t) => t.id)).toEqual([
      a.id,
      c.id,
      b.id,
    ]);
    const page2 = await list('?sortBy=title&sortOrder=asc&page=2&pageSize=2');
    expect(page2).toMatchObject({ total: 3, page: 2, pageSize: 2, hasMore: false });
    expect(page2.tasks.map((t) => t.title)).toEqual(['File taxes']);
    expect(await list('?sortBy=title&sortOrder=asc&page=1&pageSize=2')).toMatchObject({
      hasMore: true,
    });
    const bad = await api.call('GET', '/tasks?pageSize=0', { token: user.token });
    expect(bad.status).toBe(400);
  });

  it('completes a size-8 P2 Health task for 374 points exactly once, claws back on reopen, awards again', async () => {
    const user = await api.newUser('points');
    const task = (await create({ title: 'Run 10k', area: 'Health', priority: 'P2', size: 8 }, user))
      .body.data;
    expect(task.pointValue).toBe(374);

    const done = await api.call<Task>('POST', `/tasks/${task.id}/complete`, {
      token: user.token,
      body: {},
    });
    expect(done.status).toBe(200);
    expect(done.body.data).toMatchObject({
      status: 'Done',
      pointsAwarded: true,
      rewardLedgerStatus: 'awarded',
    });
    expect(done.body.data.completedDate).toEqual(expect.any(String));
    expect(done.body.data.rewardAwardTransactionId).toEqual(expect.any(String));
    const again = await api.call<Task>('POST', `/tasks/${task.id}/complete`, { token: user.token });
    expect(again.status).toBe(200);
    expect(again.body.data.rewardAwardTransactionId).toBe(done.body.data.rewardAwardTransactionId);
    expect(await ledger(api, user.userId)).toEqual({
      entries: [{ type: 'earn', source: 'task_completion', amount: 374, sourceEntityId: task.id }],
      balance: 374,
    });

    const reopened = await api.call<Task>('PATCH', `/tasks/${task.id}`, {
      token: user.token,
      body: { status: 'In Progress' },
    });
    expect(reopened.body.data).toMatchObject({
      status: 'In Progress',
      pointsAwarded: false,
      rewardLedgerStatus: 'reversed',
      completedDate: null,
    });
    expect(reopened.body.data.rewardReversalTransactionId).toEqual(expect.any(String));
    expect(reopened.body.data.rewardReversedAt).toEqual(expect.any(String));
    expect((await ledger(api, user.userId)).entries.filter((e) => e.type === 'clawback')).toEqual([
      {
        type: 'clawback',
        source: 'task_completion_reversal',
        amount: 374,
        sourceEntityId: task.id,
      },
    ]);
    expect((await ledger(api, user.userId)).balance).toBe(0);

    const patchedDone = await api.call<Task>('PATCH', `/tasks/${task.id}`, {
      token: user.token,
      body: { status: 'Done' },
    });
    expect(patchedDone.body.data).toMatchObject({
      rewardLedgerStatus: 'awarded',
      pointsAwarded: true,
    });
    const final = await ledger(api, user.userId);
    expect(final.entries.map((e) => e.type)).toEqual(['earn', 'clawback', 'earn']);
    expect(final.balance).toBe(374);
  });

  it('credits a task created as Done, and 20 completes credit once (in parallel on SQLite)', async () => {
    const user = await api.newUser('parallel');
    const created = (
      await create(
        { title: 'Already done', area: 'Operations', status: 'Done', pointValue: 10 },
        user,
      )
    ).body.data;
    expect(created).toMatchObject({ status: 'Done', rewardLedgerStatus: 'awarded' });
    const task = (await create({ title: 'Popular', area: 'Operations', pointValue: 40 }, user)).body
      .data;
    const complete = () =>
      api.call<Task>('POST', `/tasks/${task.id}/complete`, { token: user.token });
    // The DynamoDB emulator does not serialise concurrent writers (DESIGN.md §1): race on
    // SQLite only; tests/services/wallet-concurrency.test.ts drives DynamoDB's conditions in turn.
    const replies =
      store === 'sqlite'
        ? await Promise.all(Array.from({ length: 20 }, complete))
        : [await complete(), await complete()];
    expect(replies.map((r) => r.status)).toEqual(Array(replies.length).fill(200));
    const { entries, balance } = await ledger(api, user.userId);
    expect(entries.filter((e) => e.sourceEntityId === task.id)).toHaveLength(1);
    expect(balance).toBe(50);
  });

  it('manages dependencies: bare-array list, self/duplicate/cycle refused with 409, removal by the other id', async () => {
    const user = await api.newUser('deps');
    const mk = (title: string) =>
      create({ title, area: 'Operations' }, user).then((r) => r.body.data);
    const [a, b, c] = [await mk('Alpha'), await mk('Bravo'), await mk('Charlie')];
    const dep = (from: Task, to: Task) =>
      api.call<Record<string, unknown>>('POST', `/tasks/${from.id}/dependencies`, {
        token: user.token,
        body: { dependsOnTaskId: to.id },
      });
    const ab = await dep(a, b);
    expect(ab.status).toBe(201);
    expect(ab.body.data).toMatchObject({ taskId: a.id, dependsOnTaskId: b.id });
    expect((await dep(b, c)).status).toBe(201);
    const listed = await api.call<unknown[]>('GET', `/tasks/${a.id}/dependencies`, {
      token: user.token,
    });
    expect(listed.body.data).toEqual([
      expect.objectContaining({ taskId: a.id, dependsOnTaskId: b.id }),
    ]);

    expect((await dep(a, a)).status).toBe(409);
    const dup = await dep(a, b);
    expect(dup.status).toBe(409);
    const cycle = await dep(c, a);
    expect(cycle.status).toBe(409);
    expect(cycle.body.error?.message).toContain('"Charlie"');
    expect(cycle.body.error?.message).toMatch(/Charlie.*→.*Alpha.*→.*Bravo.*→.*Charlie/);
    expect(cycle.body.error?.details).toEqual({ cycle: [c.id, a.id, b.id, c.id] });
    expect((await dep(a, { id: 'nope' } as Task)).status).toBe(404);

    const removed = await api.call('DELETE', `/tasks/${a.id}/dependencies/${b.id}`, {
      token: user.token,
    });
    expect(removed.status).toBe(200);
    expect(
      (await api.call('GET', `/tasks/${a.id}/dependencies`, { token: user.token })).body.data,
    ).toEqual([]);
    expect(
      (await api.call('DELETE', `/tasks/${a.id}/dependencies/${b.id}`, { token: user.token }))
        .status,
    ).toBe(404);

    // Deleting a task removes every edge that touches it, on both sides.
    expect((await dep(a, c)).status).toBe(201);
    expect((await api.call('DELETE', `/tasks/${c.id}`, { token: user.token })).status).toBe(200);
    expect(
      (await api.call('GET', `/tasks/${a.id}/dependencies`, { token: user.token })).body.data,
    ).toEqual([]);
    expect(
      (await api.call('GET', `/tasks/${b.id}/dependencies`, { token: user.token })).body.data,
    ).toEqual([]);
    expect(await queryAll(api.deps.db, { pk: `${userPk(user.userId)}#TASK#${c.id}` })).toEqual([]);
    expect((await api.call('GET', `/tasks/${c.id}`, { token: user.token })).status).toBe(404);
  });

  it('spawns the next occurrence of a monthly series anchored on the 31st, and stops after endDate', async () => {
    const user = await api.newUser('recur');
    const first = (
      await create(
        {
          title: 'Pay rent',
          area: 'Wealth',
          dueDate: '2026-01-31',
          isRecurring: true,
          recurrenceRule: { frequency: 'Monthly', interval: 1, endDate: '2026-04-15' },
        },
        user,
      )
    ).body.data;
    const dueDates = [first.dueDate];
    let current = first;
    for (let i = 0; i < 4; i++) {
      await api.call('POST', `/tasks/${current.id}/complete`, { token: user.token });
      const open = (
        await api.call<Page>('GET', '/tasks?status=Not%20Started', { token: user.token })
      ).body.data.tasks;
      if (open.length === 0) break;
      expect(open).toHaveLength(1);
      current = open[0] as Task;
      dueDates.push(current.dueDate);
    }
    expect(dueDates).toEqual(['2026-01-31', '2026-02-28', '2026-03-31']);
    const all = (await api.call<Page>('GET', '/tasks', { token: user.token })).body.data.tasks;
    expect(all).toHaveLength(3);
    expect(all.every((t) => t.isRecurring && t.status === 'Done')).toBe(true);

    // Re-opening and completing an occurrence again does not spawn a second next occurrence.
    await api.call('PATCH', `/tasks/${first.id}`, {
      token: user.token,
      body: { status: 'Not Started' },
    });
    await api.call('POST', `/tasks/${first.id}/complete`, { token: user.token });
    expect((await api.call<Page>('GET', '/tasks', { token: user.token })).body.data.total).toBe(3);
  });

  it('isolates users: 404 on every task route with another user’s ids, and empty lists', async () => {
    const intruder = await api.newUser('intruder');
    const task = (await create({ title: 'Private', area: 'Love' })).body.data;
    const other = (await create({ title: 'Other', area: 'Love' })).body.data;
    await api.call('POST', `/tasks/${task.id}/dependencies`, {
      token: owner.token,
      body: { dependsOnTaskId: other.id },
    });
    const mine = (await create({ title: 'Intruder task', area: 'Love' }, intruder)).body.data;
    const cases = [
      { method: 'GET', path: `/tasks/${task.id}` },
      { method: 'PATCH', path: `/tasks/${task.id}`, body: { title: 'Hacked' } },
      { method: 'POST', path: `/tasks/${task.id}/complete`, body: {} },
      { method: 'GET', path: `/tasks/${task.id}/dependencies` },
      {
        method: 'POST',
        path: `/tasks/${task.id}/dependencies`,
        body: { dependsOnTaskId: mine.id },
      },
      { method: 'DELETE', path: `/tasks/${task.id}/dependencies/${other.id}` },
      { method: 'DELETE', path: `/tasks/${task.id}` },
    ] as const;
    await expectIsolated(api, intruder, [...cases]);
    // The intruder cannot point its own task at the owner's either.
    const crossDep = await api.call('POST', `/tasks/${mine.id}/dependencies`, {
      token: intruder.token,
      body: { dependsOnTaskId: task.id },
    });
    expect(crossDep.status).toBe(404);
    const list = await api.call<Page>('GET', '/tasks', { token: intruder.token });
    expect(list.body.data.tasks.map((t) => t.id)).toEqual([mine.id]);
    const search = await api.call<Page>('GET', '/tasks?search=Private', { token: intruder.token });
    expect(search.body.data.total).toBe(0);
    // Nothing of the owner's changed.
    const after = await api.call<Task>('GET', `/tasks/${task.id}`, { token: owner.token });
    expect(after.body.data).toMatchObject({ title: 'Private', status: 'Not Started' });
    expect(
      (await api.call<unknown[]>('GET', `/tasks/${task.id}/dependencies`, { token: owner.token }))
        .body.data,
    ).toHaveLength(1);
    await expectCovers(api, ['/tasks'], [...cases], ['GET /tasks', 'POST /tasks']);
  });
});

describe('recurrence on the user’s calendar', () => {
  it('anchors an undated daily series on the local creation date', async () => {
    // 05:00 UTC on July 15 is still July 14 in Los Angeles.
    const api = await startApi({ store: 'sqlite', clock: fixedClock('2026-07-15T05:00:00.000Z') });
    const user = await api.newUser('tz');
    await api.call('PATCH', '/auth/me', {
      token: user.token,
      body: { timeZone: 'America/Los_Angeles' },
    });
    const task = (
      await api.call<Task>('POST', '/tasks', {
        token: user.token,
        body: {
          title: 'Water plants',
          area: 'Happiness',
          isRecurring: true,
          recurrenceRule: { frequency: 'Daily', interval: 1 },
        },
      })
    ).body.data;
    await api.call('POST', `/tasks/${task.id}/complete`, { token: user.token });
    const open = (await api.call<Page>('GET', '/tasks?status=Not%20Started', { token: user.token }))
      .body.data.tasks;
    expect(open.map((t) => t.dueDate)).toEqual(['2026-07-15']);
    await api.close();
  });
});
