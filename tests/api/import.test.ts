/**
 * `POST /import/local-storage` over HTTP on both stores, with the front end's real dump: exact
 * counts per collection (computed from the file), every relation present (the union of relation
 * maps and embedded arrays), no empty or "undefined" id anywhere, derived state (goal progress,
 * metric summaries, habit streaks) worked out by hand, completed tasks that never pay, a second
 * run that changes nothing, a malformed dump that imports everything else, the wallet from the
 * dump's ledger and balance, and isolation.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { userItems } from '../../src/db/queries.js';
import { auditWallet } from '../../src/services/wallet-audit.js';
import { fixedClock } from '../../src/utils/dates.js';
import { startApi, type TestApi, type TestUser } from '../helpers/api.js';
import { RELATIONS, expectedCounts, fixture, linksOf } from '../helpers/dump.js';
import { expectCovers } from '../helpers/security.js';
import { STORES } from '../helpers/stores.js';

type Counts = { created: number; updated: number; unchanged: number; failed: number };
type Problem = { collection: string; id: string | null; level: string; reason: string };
type Report = {
  collections: Record<string, Counts>;
  totals: Counts;
  wallet: { source: string; totalPoints: number; lifetimeEarned: number; lifetimeSpent: number };
  problems: Problem[];
  ignoredKeys: string[];
};
type Row = Record<string, unknown> & { id: string };
type Page = { data: Row[]; total: number };

/** The fixture's "today": its newest records are of 2026-11-29; 18:00 UTC is that day in UTC. */
const NOW = '2026-11-29T18:00:00.000Z';

const created = (n: number): Counts => ({ created: n, updated: 0, unchanged: 0, failed: 0 });
/** How many records collection `key` of the fixture holds. */
const n0 = (key: string) => Object.keys(fixture()[key] ?? {}).length;

describe.each(STORES)('importing the front end’s localStorage on %s', (store) => {
  let api: TestApi;
  let owner: TestUser;
  let first: Report;
  const dump = fixture();
  const get = <T>(path: string, user: TestUser = owner) =>
    api.call<T>('GET', path, { token: user.token }).then((r) => r.body.data);
  const importDump = (body: unknown, user: TestUser = owner) =>
    api.call<Report>('POST', '/import/local-storage', { token: user.token, body });

  beforeAll(async () => {
    api = await startApi({ store, clock: fixedClock(NOW) });
    owner = await api.newUser('import');
    const res = await importDump(dump);
    expect(res.status).toBe(200);
    first = res.body.data;
  });
  afterAll(() => api.close());

  it('imports every record of every collection, counted per collection', () => {
    const expected = Object.fromEntries(
      Object.entries(expectedCounts(dump)).map(([key, n]) => [key, created(n)]),
    );
    expect(first.collections).toEqual(expected);
    const total = Object.values(expectedCounts(dump)).reduce((a, b) => a + b, 0);
    expect(first.totals).toEqual(created(total));
    expect(first.ignoredKeys).toEqual(['gs_seeded']);
    // The only problems: projects whose impact (8, 9) is above the contract's 1–5, kept as 5.
    const loud = Object.values(dump.gs_projects ?? {}).filter((p) => Number(p.impact) > 5);
    expect(loud.length).toBeGreaterThan(0);
    expect(first.problems).toEqual(
      loud.map((p) => ({
        collection: 'gs_projects',
        id: p.id,
        level: 'warning',
        reason: `impact ${String(p.impact)} is outside 1–5; imported as 5`,
      })),
    );
    expect(first.wallet).toMatchObject({ source: 'none', totalPoints: 0 });
  });

  it('keeps the ids and lists every entity', async () => {
    const lists: [string, string][] = [
      ['/goals', 'gs_goals'],
      ['/projects', 'gs_projects'],
      ['/metrics', 'gs_metrics'],
      ['/habits', 'gs_habits'],
      ['/logbook', 'gs_logbookEntries'],
      ['/rewards', 'gs_rewards'],
    ];
    for (const [path, key] of lists) {
      const ids = (await get<Page>(path)).data.map((e) => e.id).sort();
      expect({ path, ids }).toEqual({ path, ids: Object.keys(dump[key] ?? {}).sort() });
    }
    const tasks = (await get<{ tasks: Row[] }>('/tasks')).tasks.map((t) => t.id).sort();
    expect(tasks).toEqual(Object.keys(dump.gs_tasks ?? {}).sort());
    const projects = (await get<Page>('/projects')).data;
    expect(projects.every((p) => Number(p.impact) <= 5)).toBe(true);
  });

  it('makes every relation of the maps and the embedded arrays a link, from both sides', async () => {
    const links = linksOf(dump);
    const routes: Record<keyof typeof RELATIONS, (parent: string) => string> = {
      gs_taskGoals: (g) => `/goals/${g}/tasks`,
      gs_taskProjects: (p) => `/projects/${p}/tasks`,
      gs_projectGoals: (g) => `/goals/${g}/projects`,
      gs_goalMetrics: (g) => `/goals/${g}/metrics`,
      gs_habitGoals: (g) => `/goals/${g}/habits`,
    };
    const paths: Record<keyof typeof RELATIONS, string> = {
      gs_taskGoals: '/tasks',
      gs_taskProjects: '/tasks',
      gs_projectGoals: '/projects',
      gs_goalMetrics: '/metrics',
      gs_habitGoals: '/habits',
    };
    for (const [relation, pairs] of Object.entries(links) as [
      keyof typeof RELATIONS,
      [string, string][],
    ][]) {
      const { array } = RELATIONS[relation];
      for (const [child, parent] of pairs) {
        const listed = (await get<Page>(routes[relation](parent))).data.map((e) => e.id);
        const entity = await get<Row>(`${paths[relation]}/${child}`);
        expect({ relation, child, parent, listed: listed.includes(child) }).toEqual({
          relation,
          child,
          parent,
          listed: true,
        });
        expect(entity[array]).toContain(parent);
      }
    }
    // The maps' one record each is among them: e.g. the task linked only by gs_taskGoals.
    const [mapped] = Object.values(dump.gs_taskGoals ?? {});
    expect(links.gs_taskGoals).toContainEqual([mapped?.taskId, mapped?.goalId]);

    for (const dep of Object.values(dump.gs_taskDependencies ?? {})) {
      const deps = await get<Row[]>(`/tasks/${String(dep.taskId)}/dependencies`);
      expect(deps).toContainEqual(
        expect.objectContaining({ id: dep.id, dependsOnTaskId: dep.dependsOnTaskId }),
      );
    }
    const logbook: [string, string, string][] = [
      ['gs_logbookTasks', 'task', 'taskId'],
      ['gs_logbookProjects', 'project', 'projectId'],
      ['gs_logbookGoals', 'goal', 'goalId'],
      ['gs_logbookHabits', 'habit', 'habitId'],
    ];
    for (const [key, entityType, field] of logbook) {
      for (const rec of Object.values(dump[key] ?? {})) {
        const listed = await get<Page>(`/logbook/${String(rec.logbookEntryId)}/links`);
        expect(listed.data).toContainEqual({ entityType, entityId: rec[field] });
      }
    }
  });

  it('stores no item with an empty or "undefined" id, and none of "user-1"', async () => {
    const items = await userItems(api.deps.db, owner.userId);
    expect(items.length).toBeGreaterThan(first.totals.created);
    for (const item of items) {
      const text = JSON.stringify(item);
      expect({ sk: item.sk, bad: /undefined|"id":""|user-1/.test(text) }).toEqual({
        sk: item.sk,
        bad: false,
      });
      expect(String(item.pk).endsWith('#')).toBe(false);
      expect(String(item.sk).endsWith('#')).toBe(false);
    }
  });

  it('computes each goal’s progress from its imported inputs', async () => {
    const goals = (await get<Page>('/goals')).data;
    expect(goals).toHaveLength(10);
    expect(goals.every((g) => typeof g.cachedProgress === 'number')).toBe(true);
    const progress = Object.fromEntries(goals.map((g) => [g.title, g.cachedProgress]));
    // §e.7 with the default weights 40/30/20/10, on 2026-11-29 (UTC):
    // "Achieve Work-Life Balance": criteria 4/4 → 100 × 40 / 100 = 40.
    // "Daily Meditation Practice": criteria 2/3 → 66.67 × 40 / 100 = 26.67 → 27.
    // "Strengthen Family Relationships": criteria 1/4 → 25 × 40 / 100 = 10.
    // "Launch Side Project": criteria 0/3; tasks "Design database schema" (Done) and "Build
    // authentication system" (In Progress) → 50 %; metric MRR at 0 of 5000 (Higher, at target
    // from 4500) → 0 %; habit Daily Coding logged 15 of the last 30 days (Oct 31–Nov 29) → 50 %:
    // (0 × 40 + 50 × 30 + 0 × 20 + 50 × 10) / 100 = 20.
    // "Run First Marathon": criteria 0/3, its one task (linked by gs_taskGoals) Not Started → 0.
    expect(progress).toMatchObject({
      'Achieve Work-Life Balance': 40,
      'Daily Meditation Practice': 27,
      'Strengthen Family Relationships': 10,
      'Launch Side Project': 20,
      'Run First Marathon': 0,
    });
    const launch = await get<Record<string, unknown>>('/goals/1795968687908-zl94rx1gq/progress');
    expect(launch).toMatchObject({
      overall: 20,
      criteria: { completed: 0, total: 3 },
      tasks: { completed: 1, total: 2, percentage: 50 },
      metrics: { atTarget: 0, total: 1 },
      habits: { streakDays: 15, consistency: 50 },
    });
  });

  it('computes habit streaks from the imported logs, each on its local date', async () => {
    const stats = async (name: string) => {
      const habit = Object.values(dump.gs_habits ?? {}).find((h) => h.name === name) as Row;
      return get<Record<string, number>>(`/habits/${habit.id}/stats`);
    };
    // Morning Run: logged Nov 9–14, 16–21 and 23–28; today (Nov 29) still open → current 6,
    // longest 6.
    expect(await stats('Morning Run')).toMatchObject({
      total: 18,
      currentStreak: 6,
      longestStreak: 6,
    });
    // Daily Coding: Nov 14–28 without a gap → 15 and 15.
    expect(await stats('Daily Coding')).toMatchObject({ currentStreak: 15, longestStreak: 15 });
    // Drink 8 Glasses of Water: target 8 a day; only Nov 25 and 26 reach it (8, 8), Nov 28 has
    // 6 → current 0, longest 2.
    expect(await stats('Drink 8 Glasses of Water')).toMatchObject({
      total: 10,
      currentStreak: 0,
      longestStreak: 2,
    });
    // Evening Screen-Free Time: Nov 22, 23, 25, 26, 28 → current 1 (Nov 27 missing), longest 2.
    expect(await stats('Evening Screen-Free Time')).toMatchObject({
      currentStreak: 1,
      longestStreak: 2,
    });
    // A date-only completedAt is that local date, stored at local noon.
    const [log] = Object.values(dump.gs_habitLogs ?? {});
    const logs = await get<Page>(
      `/habits/${String(log?.habitId)}/logs?startDate=${String(log?.completedAt)}&endDate=${String(log?.completedAt)}`,
    );
    expect(logs.data).toContainEqual(
      expect.objectContaining({
        id: log?.id,
        date: log?.completedAt,
        completedAt: `${String(log?.completedAt)}T12:00:00.000Z`,
      }),
    );
  });

  it('keeps each metric’s latest value, log count and newest logs', async () => {
    for (const metric of Object.values(dump.gs_metrics ?? {})) {
      const logs = Object.values(dump.gs_metricLogs ?? {})
        .filter((l) => l.metricId === metric.id)
        .sort((a, b) =>
          `${String(a.loggedAt)}#${String(a.id)}`.localeCompare(
            `${String(b.loggedAt)}#${String(b.id)}`,
          ),
        );
      const got = await get<Row>(`/metrics/${String(metric.id)}`);
      expect({ id: metric.id, currentValue: got.currentValue, logCount: got.logCount }).toEqual({
        id: metric.id,
        currentValue: logs.at(-1)?.value,
        logCount: logs.length,
      });
      expect((got.logs as Row[])[0]).toMatchObject({
        id: logs.at(-1)?.id,
        notes: logs.at(-1)?.notes,
      });
    }
  });

  it('never pays for a completed task: awarded with 0 points, and it pays when done again', async () => {
    const done = Object.values(dump.gs_tasks ?? {}).find((t) => t.status === 'Done') as Row;
    const task = await get<Row>(`/tasks/${done.id}`);
    expect(task).toMatchObject({
      status: 'Done',
      rewardLedgerStatus: 'awarded',
      pointsAwarded: true,
      rewardAwardTransactionId: null,
      completedDate: `${String(done.completedDate)}T12:00:00.000Z`,
      // pointValue null in the dump → §e.1: size 5, P1, Wealth: round(5 × 20 × 2.0 × 1.2) = 240.
      pointValue: 240,
    });
    expect((await get<{ balance: number }>('/wallet')).balance).toBe(0);
    // Re-opening claws back what was paid (nothing); completing again pays 240.
    const user = await api.newUser('replay');
    await importDump(dump, user);
    await api.call('PATCH', `/tasks/${done.id}`, {
      token: user.token,
      body: { status: 'In Progress' },
    });
    expect((await get<{ balance: number }>('/wallet', user)).balance).toBe(0);
    await api.call('POST', `/tasks/${done.id}/complete`, { token: user.token });
    expect((await get<{ balance: number }>('/wallet', user)).balance).toBe(240);
  });

  it('changes nothing when the same dump is imported again', async () => {
    const before = await userItems(api.deps.db, owner.userId);
    const again = await importDump(fixture());
    expect(again.status).toBe(200);
    expect(again.body.data.totals).toEqual({
      created: 0,
      updated: 0,
      unchanged: first.totals.created,
      failed: 0,
    });
    const after = await userItems(api.deps.db, owner.userId);
    const byKey = (items: typeof before) =>
      Object.fromEntries(items.map((i) => [`${i.pk}|${i.sk}`, i]));
    expect(byKey(after)).toEqual(byKey(before));
  });

  it('updates what a newer dump changed and keeps what changed here since', async () => {
    const user = await api.newUser('update');
    await importDump(dump, user);
    const newer = fixture();
    const [taskId, task] = Object.entries(newer.gs_tasks ?? {})[3] as [string, Row];
    task.title = 'Long run: 12 miles';
    task.updatedAt = '2026-11-29T17:00:00.000Z'; // after the stored noon of Nov 29
    const [goalId] = Object.keys(newer.gs_goals ?? {});
    task.goalIds = [...((task.goalIds as string[]) ?? []), goalId];
    const metric = Object.values(newer.gs_metrics ?? {})[0] as Row;
    const log = Object.values(newer.gs_metricLogs ?? {}).find(
      (l) => l.metricId === metric.id,
    ) as Row;
    log.loggedAt = '2026-11-29T17:30:00.000Z'; // now its metric's latest log
    log.value = 41;
    const goal = newer.gs_goals?.[String(goalId)] as Row;
    await api.call('PATCH', `/goals/${String(goalId)}`, {
      token: user.token,
      body: { title: 'Renamed here' },
    });
    goal.title = 'Renamed in the browser (before)';
    const res = await importDump(newer, user);
    const c = res.body.data.collections;
    expect(c.gs_tasks).toMatchObject({ created: 0, updated: 1 });
    expect(c.gs_metricLogs).toMatchObject({ created: 0, updated: 1 });
    expect(c.gs_goals).toMatchObject({ created: 0, updated: 0, unchanged: n0('gs_goals') });
    expect(c.gs_taskGoals).toMatchObject({ created: 1 });
    expect(res.body.data.problems).toContainEqual(
      expect.objectContaining({ collection: 'gs_goals', id: goalId, level: 'warning' }),
    );
    expect(await get<Row>(`/tasks/${taskId}`, user)).toMatchObject({
      title: 'Long run: 12 miles',
      goalIds: expect.arrayContaining([goalId]),
    });
    expect((await get<Row>(`/goals/${String(goalId)}`, user)).title).toBe('Renamed here');
    const got = await get<Row>(`/metrics/${String(metric.id)}`, user);
    expect(got).toMatchObject({ currentValue: 41 });
    const logs = await get<Page>(`/metrics/${String(metric.id)}/logs`, user);
    expect(logs.data.filter((l) => l.id === log.id)).toEqual([
      expect.objectContaining({ value: 41, loggedAt: '2026-11-29T17:30:00.000Z' }),
    ]);
  });

  it('imports everything else of a malformed dump and reports each problem', async () => {
    const user = await api.newUser('malformed');
    const bad = fixture();
    const goalIds = Object.keys(bad.gs_goals ?? {});
    const taskIds = Object.keys(bad.gs_tasks ?? {});
    const goal = bad.gs_goals?.[goalIds[1] as string] as Row;
    goal.status = 'Sideways';
    const task = bad.gs_tasks?.[taskIds[3] as string] as Row;
    task.goalIds = ['no-such-goal'];
    const habits = bad.gs_habits ?? {};
    const [habitKey, habit] = Object.entries(habits)[2] as [string, Row];
    Reflect.deleteProperty(habits, habitKey);
    habits.undefined = { ...habit, id: 'undefined' };
    const body: Record<string, unknown> = { ...bad };
    body.gs_rewards = '{"r-1": {"id": "r-1", "title": "Broken';
    body.gs_tasks = JSON.stringify(bad.gs_tasks); // as the browser holds it: a raw string
    // An entry id that GET /logbook/{idOrDate} would read as a date, and an entry linked to itself.
    const [entryId] = Object.keys(bad.gs_logbookEntries ?? {});
    body.gs_logbookEntries = {
      ...bad.gs_logbookEntries,
      '2026-11-05': { id: '2026-11-05', date: '2026-11-20', title: 'Shadowed' },
    };
    body.logbookLinks = {
      self: { logbookEntryId: entryId, entityType: 'logbook', entityId: entryId },
    };
    const res = await importDump(body, user);
    expect(res.status).toBe(200);
    const report = res.body.data;
    const errors = report.problems.filter((p) => p.level === 'error');
    expect(errors).toEqual(
      expect.arrayContaining([
        {
          collection: 'gs_rewards',
          id: null,
          level: 'error',
          reason: expect.stringContaining('not valid JSON'),
        },
        {
          collection: 'gs_goals',
          id: goal.id,
          level: 'error',
          reason: expect.stringContaining('status'),
        },
        {
          collection: 'gs_taskGoals',
          id: `${task.id}#no-such-goal`,
          level: 'error',
          reason: 'relation to a missing id: goal no-such-goal does not exist',
        },
        {
          collection: 'gs_habits',
          id: 'undefined',
          level: 'error',
          reason: expect.stringContaining('invalid id'),
        },
        {
          collection: 'gs_logbookEntries',
          id: '2026-11-05',
          level: 'error',
          reason: expect.stringContaining('the id looks like a date'),
        },
        {
          collection: 'logbookLinks',
          id: expect.stringContaining(String(entryId)),
          level: 'error',
          reason: 'a logbook entry cannot link to itself',
        },
      ]),
    );
    // Links to the refused goal and habit are reported too, not dropped silently.
    expect(errors.filter((p) => p.reason.includes(`goal ${goal.id} was not imported`)).length).toBe(
      Object.values(linksOf(bad))
        .flat()
        .filter(([, parent]) => parent === goal.id).length,
    );
    const counts = expectedCounts(fixture());
    const n = (key: string) => counts[key] ?? 0;
    expect(report.collections.gs_goals).toEqual({ ...created(n('gs_goals') - 1), failed: 1 });
    expect(report.collections.gs_habits).toEqual({ ...created(n('gs_habits') - 1), failed: 1 });
    expect(report.collections.gs_tasks).toEqual(created(n('gs_tasks')));
    expect(report.collections.gs_logbookEntries).toEqual({
      ...created(n('gs_logbookEntries')),
      failed: 1,
    });
    expect(report.collections.gs_rewards).toEqual({
      created: 0,
      updated: 0,
      unchanged: 0,
      failed: 1,
    });
    expect((await get<Page>('/goals', user)).total).toBe(n('gs_goals') - 1);
    expect((await get<Page>('/metrics', user)).total).toBe(n('gs_metrics'));
    expect((await get<Page>('/rewards', user)).total).toBe(0);
    const imported = await get<Row>(`/tasks/${task.id}`, user);
    expect(imported.goalIds).toEqual([]);
  });

  it('refuses a body that is not an object with 400 and stores nothing', async () => {
    const user = await api.newUser('notobject');
    const res = await importDump([1, 2, 3], user);
    expect(res.status).toBe(400);
    expect(res.body.error?.code).toBe('VALIDATION_ERROR');
    expect((await userItems(api.deps.db, user.userId)).map((i) => i.sk)).not.toContain(
      expect.stringMatching(/^(TASK|GOAL)#/),
    );
  });

  it('starts the wallet from the dump’s ledger and balance, with an opening entry', async () => {
    const user = await api.newUser('wallet');
    const [doneId] = Object.entries(dump.gs_tasks ?? {}).find(([, t]) => t.status === 'Done') ?? [];
    const [rewardId] = Object.keys(dump.gs_rewards ?? {});
    const withWallet: Record<string, unknown> = {
      ...fixture(),
      // The front end's local mode: spends are negative; the balance keyed by its user id.
      gs_wallet_transactions: {
        t1: { id: 't1', userId: 'user-1', amount: 240, type: 'earn', source: 'task_completion', sourceEntityType: 'task', sourceEntityId: doneId, description: 'Completed task: Design database schema', createdAt: '2026-11-26T10:00:00.000Z' },
        t2: { id: 't2', userId: 'user-1', amount: -150, type: 'spend', source: 'reward_redemption', sourceEntityType: 'reward', sourceEntityId: rewardId, description: 'Redeemed', createdAt: '2026-11-27T10:00:00.000Z' },
      },
      gs_wallet_balance: {
        'user-1': { userId: 'user-1', totalPoints: 590, lifetimeEarned: 740, lifetimeSpent: 150, updatedAt: '2026-11-27T10:00:00.000Z' },
      },
      gs_reward_redemptions: {
        rd1: { id: 'rd1', rewardId, userId: 'user-1', pointsSpent: 150, redeemedAt: '2026-11-27T10:00:00.000Z', notes: null },
      },
    }; // prettier-ignore
    const res = await importDump(withWallet, user);
    // Ledger: earn 240, spend 150 → earned 240, spent 150. The balance says earned 740, spent
    // 150, total 590: one opening credit of 740 − 240 = 500 and no debit → 590.
    expect(res.body.data.wallet).toMatchObject({
      source: 'dump',
      totalPoints: 590,
      lifetimeEarned: 740,
      lifetimeSpent: 150,
    });
    expect(res.body.data.collections.gs_wallet_transactions).toEqual(created(2));
    expect(res.body.data.collections.gs_wallet_balance).toEqual(created(1));
    expect(res.body.data.collections.gs_reward_redemptions).toEqual(created(1));
    const audit = await auditWallet({ db: api.deps.db, userId: user.userId });
    expect(audit.problems).toEqual([]);
    expect(audit.entries).toBe(3);
    const ledger = await get<{ data: Row[] }>('/wallet/transactions', user);
    expect(ledger.data.map((e) => [e.id, e.type, e.amount])).toEqual([
      ['t2', 'spend', 150],
      ['t1', 'earn', 240],
      ['import-opening-credit', 'adjustment', 500],
    ]);
    const reward = await get<{ redemptions: Row[]; lastRedeemedAt: string | null }>(
      `/rewards/${String(rewardId)}`,
      user,
    );
    expect(reward.redemptions.map((r) => r.id)).toEqual(['rd1']);
    // The reward learns its last redemption from the imported history (its cooldown runs from it).
    expect(reward.lastRedeemedAt).toBe('2026-11-27T10:00:00.000Z');
    const stored = await api.deps.db.get({
      pk: `USER#${user.userId}`,
      sk: `REWARD#${String(rewardId)}`,
    });
    expect(stored?.lastRedeemedAt).toBe('2026-11-27T10:00:00.000Z');
    // The completion the ledger paid: re-opening claws back exactly 240.
    expect(await get<Row>(`/tasks/${String(doneId)}`, user)).toMatchObject({
      rewardLedgerStatus: 'awarded',
      rewardAwardTransactionId: 't1',
    });
    await api.call('PATCH', `/tasks/${String(doneId)}`, {
      token: user.token,
      body: { status: 'In Progress' },
    });
    expect((await get<{ balance: number }>('/wallet', user)).balance).toBe(590 - 240);
    // Again: nothing new in the ledger.
    const again = await importDump(withWallet, user);
    expect(again.body.data.totals.created).toBe(0);
    expect((await auditWallet({ db: api.deps.db, userId: user.userId })).entries).toBe(4);
  });

  it('refuses wallet numbers no real wallet holds, reports them, and the wallet stays readable', async () => {
    const user = await api.newUser('huge-wallet');
    const res = await importDump(
      {
        gs_wallet_transactions: {
          ok: { id: 'ok', amount: 40, type: 'earn', source: 'manual', description: 'fine', createdAt: '2026-11-20T10:00:00.000Z' },
          // 10^20 is beyond the safe integers; 2,000,000 beyond any entry the API writes.
          big: { id: 'big', amount: 1e20, type: 'earn', source: 'manual', createdAt: '2026-11-21T10:00:00.000Z' },
          large: { id: 'large', amount: 2_000_000, type: 'earn', source: 'manual', createdAt: '2026-11-21T11:00:00.000Z' },
        },
        gs_wallet_balance: { 'user-1': { totalPoints: 1e20, lifetimeSpent: 0 } },
      },
      user,
    ); // prettier-ignore
    expect(res.status).toBe(200);
    expect(res.body.data.collections.gs_wallet_transactions).toEqual({
      created: 1,
      updated: 0,
      unchanged: 0,
      failed: 2,
    });
    expect(res.body.data.collections.gs_wallet_balance?.failed).toBe(1);
    expect(res.body.data.problems.map((p) => [p.collection, p.id])).toEqual(
      expect.arrayContaining([
        ['gs_wallet_transactions', 'big'],
        ['gs_wallet_transactions', 'large'],
        ['gs_wallet_balance', null],
      ]),
    );
    // Only the 40-point entry: the wallet, the dashboard and the export still answer.
    expect(res.body.data.wallet).toMatchObject({ totalPoints: 40, lifetimeEarned: 40 });
    for (const path of ['/wallet', '/growth-system/dashboard', '/export']) {
      const reply = await api.call('GET', path, { token: user.token });
      expect({ path, status: reply.status }).toEqual({ path, status: 200 });
    }
    expect((await auditWallet({ db: api.deps.db, userId: user.userId })).problems).toEqual([]);
  });

  it('isolates users: the same dump imports into each account apart', async () => {
    const intruder = await api.newUser('intruder');
    const empty = await api.call<Record<string, Record<string, unknown>>>('GET', '/export', {
      token: intruder.token,
    });
    expect(Object.keys(empty.body.data.gs_tasks ?? {})).toEqual([]);
    // Same ids, other account: created again, the owner's copies untouched.
    const res = await importDump(fixture(), intruder);
    expect(res.body.data.totals.created).toBe(first.totals.created);
    await api.call('PATCH', `/tasks/${Object.keys(dump.gs_tasks ?? {})[0] as string}`, {
      token: intruder.token,
      body: { title: 'Changed by the intruder' },
    });
    const mine = await get<Row>(`/tasks/${Object.keys(dump.gs_tasks ?? {})[0] as string}`);
    expect(mine.title).toBe(Object.values(dump.gs_tasks ?? {})[0]?.title);
    await expectCovers(
      api,
      ['/import', '/export'],
      [],
      ['POST /import/local-storage', 'GET /export'],
    );
  });
});
