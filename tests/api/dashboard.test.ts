/**
 * The dashboard (X2/X3) over HTTP on both stores: every list in the client's shapes, recently
 * completed tasks included, the wallet, a fixed number of storage reads whatever the number of
 * entities, and only the caller's data.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { userCtx } from '../../src/api/deps.js';
import { getDashboard } from '../../src/services/dashboard.js';
import { fixedClock } from '../../src/utils/dates.js';
import { startApi, type TestApi, type TestUser } from '../helpers/api.js';
import { travel, type MovableClock } from '../helpers/clock.js';
import { countingTable } from '../helpers/counting.js';
import { expectCovers } from '../helpers/security.js';
import { STORES } from '../helpers/stores.js';

type Summary = {
  tasks: { id: string; title: string; status: string }[];
  goals: { id: string }[];
  projects: { id: string }[];
  habits: { id: string }[];
  metrics: { id: string; logs: unknown[] | null }[];
  logbookEntries: { id: string; date: string; energy: number | null; energyLevel: number | null }[];
  rewards: {
    id: string;
    canRedeem: boolean;
    redemptions: unknown[];
    lastRedeemedAt: string | null;
  }[];
  wallet: {
    balance: { totalPoints: number; userId: string };
    recentTransactions: { type: string }[];
  };
};

describe.each(STORES)('dashboard on %s', (store) => {
  const clock: MovableClock = fixedClock('2026-11-10T09:00:00.000Z');
  let api: TestApi;
  let owner: TestUser;
  const post = <T>(path: string, body: unknown, user = owner) =>
    api.call<T>('POST', path, { token: user.token, body }).then((r) => {
      expect(r.status, `${path}: ${JSON.stringify(r.body)}`).toBeLessThan(300);
      return r.body.data;
    });

  beforeAll(async () => {
    api = await startApi({ store, clock });
    owner = await api.newUser('dash');
  });
  afterAll(() => api.close());

  it('lists every entity in its wire shape, with recently completed tasks and the wallet', async () => {
    const old = await post<{ id: string }>('/tasks', {
      title: 'Done long ago',
      area: 'Health',
      pointValue: 30,
    });
    await post(`/tasks/${old.id}/complete`, {});
    await travel(api, clock, '2026-11-20T09:00:00.000Z', owner);
    const recent = await post<{ id: string }>('/tasks', {
      title: 'Done yesterday',
      area: 'Health',
      pointValue: 20,
    });
    await post(`/tasks/${recent.id}/complete`, {});
    await travel(api, clock, '2026-11-21T09:00:00.000Z', owner);
    const later = await post<{ id: string }>('/tasks', {
      title: 'Due later',
      area: 'Wealth',
      dueDate: '2026-12-24',
    });
    const soon = await post<{ id: string }>('/tasks', {
      title: 'Due soon',
      area: 'Wealth',
      dueDate: '2026-11-22',
    });
    const undated = await post<{ id: string }>('/tasks', { title: 'Someday', area: 'Love' });
    const goal = await post<{ id: string }>('/goals', {
      title: 'Run a marathon',
      area: 'Health',
      timeHorizon: 'Yearly',
    });
    const project = await post<{ id: string }>('/projects', {
      name: 'Training plan',
      area: 'Health',
    });
    const habit = await post<{ id: string }>('/habits', {
      name: 'Stretch',
      area: 'Health',
      habitType: 'Build',
      frequency: 'Daily',
    });
    const metric = await post<{ id: string }>('/metrics', {
      name: 'Weight',
      area: 'Health',
      unit: 'kg',
      direction: 'Lower',
    });
    await post(`/metrics/${metric.id}/logs`, { value: 81.5 });
    const entry = await post<{ id: string }>('/logbook', {
      date: '2026-11-21',
      energyLevel: 7,
      mood: 'High',
    });
    const reward = await post<{ id: string }>('/rewards', {
      title: 'Coffee',
      category: 'Quick Treat',
      pointCost: 10,
    });
    await post(`/rewards/${reward.id}/redeem`, {});

    const res = await api.call<Summary>('GET', '/growth-system/dashboard', { token: owner.token });
    expect(res.status).toBe(200);
    const d = res.body.data;
    // Open tasks by due date (undated last), then the closed one of the last 7 days; not the old one.
    expect(d.tasks.map((t) => t.id)).toEqual([soon.id, later.id, undated.id, recent.id]);
    expect(d.goals.map((g) => g.id)).toEqual([goal.id]);
    expect(d.projects.map((p) => p.id)).toEqual([project.id]);
    expect(d.habits.map((h) => h.id)).toEqual([habit.id]);
    expect(d.metrics).toEqual([
      expect.objectContaining({ id: metric.id, logs: [expect.objectContaining({ value: 81.5 })] }),
    ]);
    expect(d.logbookEntries).toEqual([
      expect.objectContaining({ id: entry.id, energyLevel: 7, energy: 7 }),
    ]);
    expect(d.rewards).toEqual([
      expect.objectContaining({
        id: reward.id,
        redemptions: [expect.objectContaining({ pointsSpent: 10 })],
      }),
    ]);
    expect(d.rewards[0]?.lastRedeemedAt).toBe('2026-11-21T09:00:00.000Z');
    // 30 + 20 earned, 10 spent.
    expect(d.wallet.balance).toMatchObject({
      userId: owner.userId,
      totalPoints: 40,
      lifetimeEarned: 50,
      lifetimeSpent: 10,
    });
    expect(d.wallet.recentTransactions.map((t) => t.type)).toEqual(['spend', 'earn', 'earn']);

    const all = await api.call<Summary>(
      'GET',
      '/dashboard/summary?includeCompleted=true&taskLimit=5&transactionLimit=1',
      {
        token: owner.token,
      },
    );
    expect(all.body.data.tasks.map((t) => t.id)).toEqual([
      soon.id,
      later.id,
      undated.id,
      recent.id,
      old.id,
    ]);
    expect(all.body.data.wallet.recentTransactions).toHaveLength(1);
    const limited = await api.call<Summary>('GET', '/dashboard/summary?taskLimit=2', {
      token: owner.token,
    });
    expect(limited.body.data.tasks.map((t) => t.id)).toEqual([soon.id, later.id]);
    const bad = await api.call('GET', '/dashboard/summary?transactionLimit=0', {
      token: owner.token,
    });
    expect(bad.status).toBe(400);
  });

  it('reads storage a fixed number of times whatever the number of entities', async () => {
    const user = await api.newUser('dash-count');
    const reads = async () => {
      const { db, calls } = countingTable(api.deps.db);
      await getDashboard(userCtx({ ...api.deps, db }, user.userId), {});
      return calls.length;
    };
    const addSome = async (n: number) => {
      for (let i = 0; i < n; i++) {
        const task = await post<{ id: string }>('/tasks', { title: `T${i}`, area: 'Health' }, user);
        await post(`/tasks/${task.id}/complete`, {}, user);
        const reward = await post<{ id: string }>(
          '/rewards',
          { title: `R${i}`, category: 'Custom', pointCost: 1 },
          user,
        );
        await post(`/rewards/${reward.id}/redeem`, {}, user);
        await post('/goals', { title: `G${i}`, area: 'Love', timeHorizon: 'Weekly' }, user);
      }
    };
    await addSome(2);
    const few = await reads();
    await addSome(6);
    expect(await reads()).toBe(few);
    expect(few).toBe(11);
  });

  it('shows only the caller’s data', async () => {
    const intruder = await api.newUser('dash-intruder');
    const d = (
      await api.call<Summary>('GET', '/growth-system/dashboard', { token: intruder.token })
    ).body.data;
    expect(d).toMatchObject({
      tasks: [],
      goals: [],
      projects: [],
      habits: [],
      metrics: [],
      logbookEntries: [],
      rewards: [],
    });
    expect(d.wallet.balance).toMatchObject({ userId: intruder.userId, totalPoints: 0 });
    expect(d.wallet.recentTransactions).toEqual([]);
    await expectCovers(
      api,
      ['/growth-system/dashboard', '/dashboard/summary'],
      [],
      ['GET /growth-system/dashboard', 'GET /dashboard/summary'],
    );
  });
});
