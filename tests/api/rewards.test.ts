/**
 * Rewards end to end over HTTP, against both stores: CRUD with the contract's enums, the
 * redemption rules (§e.12: status, daily limit per local day, cooldown, balance) with the
 * contract's messages, and the acceptance scenario of the overdraft rule (§e.13).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { childPk, userPk } from '../../src/db/keys.js';
import { queryAll } from '../../src/db/table.js';
import { auditWallet } from '../../src/services/wallet-audit.js';
import { fixedClock } from '../../src/utils/dates.js';
import { userCtx } from '../../src/api/deps.js';
import { listRewards } from '../../src/services/rewards/index.js';
import { countingTable } from '../helpers/counting.js';
import { startApi, type TestApi, type TestUser } from '../helpers/api.js';
import { storedLedger } from '../helpers/ledger.js';
import { STORES } from '../helpers/stores.js';
import { expectInvalid } from '../helpers/assertions.js';

type Reward = Record<string, unknown> & {
  id: string;
  redemptions: Record<string, unknown>[];
  canRedeem: boolean;
  cooldownMessage: string | null;
};
type Page<T> = { data: T[]; total: number; page: number; pageSize: number; hasMore: boolean };

/** The ledger as `type amount` strings, oldest first, and the stored balance. */
async function ledger(api: TestApi, userId: string) {
  const { entries, balance } = await storedLedger(api.deps.db, userId);
  return { entries: entries.map((e) => `${String(e.type)} ${String(e.amount)}`), balance };
}

describe.each(STORES)('rewards on %s', (store) => {
  let api: TestApi;
  const clock = fixedClock('2026-07-14T20:00:00.000Z');
  const credit = (user: TestUser, amount: number) =>
    api.call('POST', '/wallet/add', {
      token: user.token,
      body: { amount, source: 'system', description: 'Opening balance' },
    });
  const createReward = (user: TestUser, body: Record<string, unknown>) =>
    api.call<Reward>('POST', '/rewards', { token: user.token, body });
  const redeem = (user: TestUser, id: string, body?: unknown) =>
    api.call<Record<string, unknown>>('POST', `/rewards/${id}/redeem`, {
      token: user.token,
      ...(body === undefined ? {} : { body }),
    });
  const getReward = (user: TestUser, id: string) =>
    api.call<Reward>('GET', `/rewards/${id}`, { token: user.token }).then((r) => r.body.data);
  /** Moves the clock and signs in again (access tokens live 15 minutes). */
  const at = async (iso: string, user: TestUser): Promise<TestUser> => {
    clock.set(iso);
    const login = await api.call<{ accessToken: string }>('POST', '/auth/login', {
      body: { email: user.email, password: 'Correct-horse-9' },
    });
    return { ...user, token: login.body.data.accessToken };
  };

  beforeAll(async () => {
    api = await startApi({ store, clock });
  });
  afterAll(() => api.close());

  it('creates a reward with the contract defaults, reads, lists, updates and deletes it', async () => {
    const user = await api.newUser('crud');
    const res = await createReward(user, {
      title: 'Movie night',
      category: 'Daily Delight',
      pointCost: 300,
    });
    expect(res.status).toBe(201);
    expect(res.body.data).toEqual({
      id: expect.any(String),
      title: 'Movie night',
      description: null,
      category: 'Daily Delight',
      pointCost: 300,
      icon: null,
      imageUrl: null,
      isAutomated: false,
      automationInstructions: null,
      cooldownHours: null,
      maxRedemptionsPerDay: null,
      status: 'Active',
      userId: user.userId,
      createdAt: '2026-07-14T20:00:00.000Z',
      updatedAt: '2026-07-14T20:00:00.000Z',
      redemptions: [],
      lastRedeemedAt: null,
      canRedeem: true,
      cooldownMessage: null,
    });
    const id = res.body.data.id;
    expect(await getReward(user, id)).toEqual(res.body.data);
    const legacy = await createReward(user, {
      title: 'Trip',
      category: 'BigUnlock',
      pointCost: 5000,
      status: 'Locked',
      icon: '✈️',
      maxRedemptionsPerDay: 1,
      cooldownHours: 12,
    });
    expect(legacy.body.data).toMatchObject({
      category: 'Big Unlock',
      status: 'Locked',
      canRedeem: false,
      cooldownMessage: 'Reward is not active',
    });

    const listed = await api.call<Page<Reward>>('GET', '/rewards', { token: user.token });
    expect(listed.body.data).toMatchObject({ total: 2, page: 1, pageSize: 2, hasMore: false });
    expect(listed.body.data.data.map((r) => r.id)).toEqual([id, legacy.body.data.id]);

    const patched = await api.call<Reward>('PATCH', `/rewards/${id}`, {
      token: user.token,
      body: { pointCost: 250, description: 'Popcorn included', status: 'Archived' },
    });
    expect(patched.body.data).toMatchObject({
      title: 'Movie night',
      pointCost: 250,
      description: 'Popcorn included',
      status: 'Archived',
      cooldownMessage: 'Reward is not active',
    });
    const cleared = await api.call<Reward>('PATCH', `/rewards/${id}`, {
      token: user.token,
      body: { description: null },
    });
    expect(cleared.body.data.description).toBeNull();

    expect((await api.call('DELETE', `/rewards/${id}`, { token: user.token })).status).toBe(200);
    expect((await api.call('GET', `/rewards/${id}`, { token: user.token })).status).toBe(404);
    expect((await api.call('DELETE', `/rewards/${id}`, { token: user.token })).status).toBe(404);
  });

  it('answers a double-clicked delete with one 200 and then 404s, never 500', async () => {
    const user = await api.newUser('double-delete');
    const reward = (await createReward(user, { title: 'Once', category: 'Custom', pointCost: 5 }))
      .body.data;
    const deletes = await Promise.all(
      [1, 2, 3].map(() => api.call('DELETE', `/rewards/${reward.id}`, { token: user.token })),
    );
    expect(deletes.map((r) => r.status).sort()).toEqual([200, 404, 404]);
  });

  it('refuses bad input with 400 field details and stores nothing', async () => {
    const user = await api.newUser('bad');
    const valid = { title: 'Coffee', category: 'Quick Treat', pointCost: 50 };
    const cases: [Record<string, unknown>, string[]][] = [
      [{ ...valid, category: 'Weekly Reward' }, ['body', 'category']],
      [{ ...valid, status: 'Paused' }, ['body', 'status']],
      [{ ...valid, pointCost: -5 }, ['body', 'pointCost']],
      [{ ...valid, pointCost: 12.5 }, ['body', 'pointCost']],
      [{ ...valid, pointCost: 0 }, ['body', 'pointCost']],
      [{ ...valid, maxRedemptionsPerDay: 1.5 }, ['body', 'maxRedemptionsPerDay']],
      [{ ...valid, cooldownHours: -1 }, ['body', 'cooldownHours']],
      [{ category: 'Quick Treat', pointCost: 50 }, ['body', 'title']],
    ];
    for (const [body, loc] of cases) {
      const res = await createReward(user, body);
      expectInvalid(res, loc, body);
    }
    expect(
      (await api.call<Page<Reward>>('GET', '/rewards', { token: user.token })).body.data.total,
    ).toBe(0);
  });

  it('redeems: one transaction debits the cost, records the redemption and the spend entry', async () => {
    let user = await api.newUser('redeem');
    user = await at('2026-07-14T20:00:00.000Z', user);
    await credit(user, 500);
    const reward = (await createReward(user, { title: 'Book', category: 'Custom', pointCost: 120 }))
      .body.data;
    const res = await redeem(user, reward.id, { notes: 'the new one' });
    expect(res.status).toBe(201);
    expect(res.body.data).toEqual({
      id: expect.any(String),
      rewardId: reward.id,
      userId: user.userId,
      pointsSpent: 120,
      redeemedAt: '2026-07-14T20:00:00.000Z',
      notes: 'the new one',
    });
    const noBody = await redeem(user, reward.id);
    expect(noBody.status).toBe(201);
    expect(noBody.body.data.notes).toBeNull();
    // 500 − 120 − 120 = 260.
    expect(await ledger(api, user.userId)).toEqual({
      entries: ['refund 500', 'spend 120', 'spend 120'],
      balance: 260,
    });
    const spend = (
      await queryAll(api.deps.db, { pk: userPk(user.userId), sk: { beginsWith: 'LEDGER#' } })
    ).find((e) => e.type === 'spend');
    expect(spend).toMatchObject({
      source: 'reward_redemption',
      sourceEntityType: 'reward',
      sourceEntityId: reward.id,
      description: 'Redeemed reward: Book',
    });
    const got = await getReward(user, reward.id);
    expect(got.redemptions.map((r) => r.id)).toEqual([noBody.body.data.id, res.body.data.id]);
    expect(got.lastRedeemedAt).toBe('2026-07-14T20:00:00.000Z');
    expect(got.canRedeem).toBe(true);
    expect((await redeem(user, 'no-such-reward')).status).toBe(404);
  });

  it('refuses an inactive reward, and a redemption the balance cannot pay, writing nothing', async () => {
    const user = await at('2026-07-14T20:00:00.000Z', await api.newUser('refuse'));
    await credit(user, 100);
    const locked = (
      await createReward(user, {
        title: 'Locked',
        category: 'Custom',
        pointCost: 10,
        status: 'Locked',
      })
    ).body.data;
    const inactive = await redeem(user, locked.id);
    expect(inactive.status).toBe(409);
    expect(inactive.body.error).toMatchObject({
      code: 'CONFLICT',
      message: 'Reward is not active',
      details: { reason: 'inactive' },
    });
    const dear = (await createReward(user, { title: 'Dear', category: 'Custom', pointCost: 101 }))
      .body.data;
    const poor = await redeem(user, dear.id);
    expect(poor.status).toBe(409);
    expect(poor.body.error).toMatchObject({
      code: 'INSUFFICIENT_POINTS',
      details: { pointCost: 101, balance: 100 },
    });
    expect(await ledger(api, user.userId)).toEqual({ entries: ['refund 100'], balance: 100 });
    expect((await getReward(user, dear.id)).redemptions).toEqual([]);
  });

  it('enforces maxRedemptionsPerDay per local day and the cooldown, with the contract’s messages', async () => {
    let user = await at('2026-07-14T20:00:00.000Z', await api.newUser('limits'));
    await api.call('PATCH', '/auth/me', {
      token: user.token,
      body: { timeZone: 'America/Los_Angeles' },
    });
    await credit(user, 1000);
    const daily = (
      await createReward(user, {
        title: 'Dessert',
        category: 'Daily Delight',
        pointCost: 10,
        maxRedemptionsPerDay: 1,
      })
    ).body.data;
    // 2026-07-15T02:00Z is 19:00 on July 14 in Los Angeles.
    user = await at('2026-07-15T02:00:00.000Z', user);
    expect((await redeem(user, daily.id)).status).toBe(201);
    // 06:59Z is 23:59 on July 14 there: the same local day.
    user = await at('2026-07-15T06:59:00.000Z', user);
    const second = await redeem(user, daily.id);
    expect(second.status).toBe(409);
    expect(second.body.error).toMatchObject({
      code: 'CONFLICT',
      message: 'Daily redemption limit reached',
    });
    expect(await getReward(user, daily.id)).toMatchObject({
      canRedeem: false,
      cooldownMessage: 'Daily redemption limit reached',
    });
    // 07:01Z is 00:01 on July 15 in Los Angeles — still July 15 in UTC, a new local day.
    user = await at('2026-07-15T07:01:00.000Z', user);
    expect((await getReward(user, daily.id)).canRedeem).toBe(true);
    expect((await redeem(user, daily.id)).status).toBe(201);

    const spa = (
      await createReward(user, {
        title: 'Spa',
        category: 'Big Unlock',
        pointCost: 100,
        cooldownHours: 24,
      })
    ).body.data;
    expect((await redeem(user, spa.id)).status).toBe(201);
    // 1 h 30 min later 22 h 30 min remain, shown rounded up.
    user = await at('2026-07-15T08:31:00.000Z', user);
    const cooling = await redeem(user, spa.id);
    expect(cooling.status).toBe(409);
    expect(cooling.body.error).toMatchObject({
      message: 'Available in 23 hour(s)',
      details: { reason: 'cooldown', availableAt: '2026-07-16T07:01:00.000Z' },
    });
    const list = await api.call<Page<Reward>>('GET', '/rewards', { token: user.token });
    expect(list.body.data.data.find((r) => r.id === spa.id)).toMatchObject({
      canRedeem: false,
      cooldownMessage: 'Available in 23 hour(s)',
      lastRedeemedAt: '2026-07-15T07:01:00.000Z',
    });
    user = await at('2026-07-16T07:01:00.000Z', user);
    expect((await redeem(user, spa.id)).status).toBe(201);
    // 1000 − 10 − 10 − 100 − 100 = 780; the refused attempts wrote nothing.
    expect((await ledger(api, user.userId)).balance).toBe(780);
  });

  it('allows exactly maxRedemptionsPerDay redemptions a day, counting each redemption once', async () => {
    const user = await at('2026-07-14T20:00:00.000Z', await api.newUser('limit-two'));
    await credit(user, 100);
    const twice = (
      await createReward(user, {
        title: 'Snack',
        category: 'Quick Treat',
        pointCost: 10,
        maxRedemptionsPerDay: 2,
      })
    ).body.data;
    expect((await redeem(user, twice.id)).status).toBe(201);
    // One of two used: the list, the reward and the dashboard still offer it.
    expect(await getReward(user, twice.id)).toMatchObject({ canRedeem: true });
    const listed = await api.call<Page<Reward>>('GET', '/rewards', { token: user.token });
    expect(listed.body.data.data[0]).toMatchObject({ id: twice.id, canRedeem: true });
    const dashboard = await api.call<{ rewards: Reward[] }>('GET', '/growth-system/dashboard', {
      token: user.token,
    });
    expect(dashboard.body.data.rewards[0]).toMatchObject({ id: twice.id, canRedeem: true });
    expect((await redeem(user, twice.id)).status).toBe(201);
    // Two of two: the third is refused.
    const third = await redeem(user, twice.id);
    expect(third.status).toBe(409);
    expect(third.body.error?.message).toBe('Daily redemption limit reached');
    // 100 − 10 − 10 = 80.
    expect(await ledger(api, user.userId)).toEqual({
      entries: ['refund 100', 'spend 10', 'spend 10'],
      balance: 80,
    });
  });

  it('honours a cooldown longer than the recent-redemptions window, also after an edit', async () => {
    let user = await at('2026-03-01T12:00:00.000Z', await api.newUser('long-cooldown'));
    await credit(user, 500);
    // 60 days = 1440 h: far longer than the 31 days of redemptions each reward lists.
    const trip = (
      await createReward(user, {
        title: 'Trip',
        category: 'Big Unlock',
        pointCost: 100,
        cooldownHours: 1440,
      })
    ).body.data;
    expect((await redeem(user, trip.id)).status).toBe(201);
    await api.call('PATCH', `/rewards/${trip.id}`, {
      token: user.token,
      body: { title: 'Weekend trip' },
    });
    // 40 days later (960 h): the redemption is no longer listed, but the cooldown still runs:
    // 1440 − 960 = 480 h remain.
    user = await at('2026-04-10T12:00:00.000Z', user);
    expect(await getReward(user, trip.id)).toMatchObject({
      redemptions: [],
      lastRedeemedAt: '2026-03-01T12:00:00.000Z',
      canRedeem: false,
      cooldownMessage: 'Available in 480 hour(s)',
    });
    expect((await redeem(user, trip.id)).status).toBe(409);
  });

  it('lists many rewards with their redemptions in a fixed number of storage reads', async () => {
    const user = await at('2026-07-14T20:00:00.000Z', await api.newUser('reads'));
    await credit(user, 1000);
    const reads = async () => {
      const { db, calls } = countingTable(api.deps.db);
      const page = await listRewards(userCtx({ ...api.deps, db }, user.userId), {});
      return {
        calls: calls.length,
        redemptions: page.items.reduce((n, r) => n + r.redemptions.length, 0),
      };
    };
    const add = async (n: number) => {
      for (let i = 0; i < n; i++) {
        const reward = (
          await createReward(user, { title: `R${i}`, category: 'Custom', pointCost: 5 })
        ).body.data;
        expect((await redeem(user, reward.id)).status).toBe(201);
      }
    };
    await add(2);
    const few = await reads();
    await add(5);
    const many = await reads();
    expect(few).toEqual({ calls: 3, redemptions: 2 });
    expect(many).toEqual({ calls: 3, redemptions: 7 });
  });

  it('acceptance: earn 374, spend 150, clawback 374 leaves −150, and a debt blocks redemptions', async () => {
    const user = await at('2026-07-14T20:00:00.000Z', await api.newUser('acceptance'));
    const task = (
      await api.call<{ id: string; pointValue: number }>('POST', '/tasks', {
        token: user.token,
        body: { title: 'Run 10k', area: 'Health', priority: 'P2', size: 8 },
      })
    ).body.data;
    // §e.1: 8 sp × 20 = 160; × P2 1.5 = 240; × Health 1.3 = 312; × 1.2 = 374.4 → 374.
    expect(task.pointValue).toBe(374);
    await api.call('POST', `/tasks/${task.id}/complete`, { token: user.token });
    const reward = (
      await createReward(user, { title: 'Massage', category: 'Big Unlock', pointCost: 150 })
    ).body.data;
    expect((await redeem(user, reward.id)).status).toBe(201);
    const reopened = await api.call('PATCH', `/tasks/${task.id}`, {
      token: user.token,
      body: { status: 'In Progress' },
    });
    expect(reopened.status).toBe(200);
    // 374 − 150 − 374 = −150: the clawback is never refused; the debt stays on the books.
    expect(await ledger(api, user.userId)).toEqual({
      entries: ['earn 374', 'spend 150', 'clawback 374'],
      balance: -150,
    });
    const wallet = await api.call('GET', '/wallet', { token: user.token });
    expect(wallet.body.data).toMatchObject({
      balance: -150,
      lifetimeEarned: 374,
      lifetimeSpent: 524, // 150 + 374
    });
    const cheap = (
      await createReward(user, { title: 'Tea', category: 'Quick Treat', pointCost: 1 })
    ).body.data;
    const refused = await redeem(user, cheap.id);
    expect(refused.status).toBe(409);
    expect(refused.body.error).toMatchObject({
      code: 'INSUFFICIENT_POINTS',
      details: { pointCost: 1, balance: -150 },
    });
    expect((await ledger(api, user.userId)).entries).toHaveLength(3);
    expect(await queryAll(api.deps.db, { pk: childPk(user.userId, 'REWARD', cheap.id) })).toEqual(
      [],
    );
    // Completing again repays the debt: −150 + 374 = 224, and redemptions work again.
    await api.call('POST', `/tasks/${task.id}/complete`, { token: user.token });
    expect((await redeem(user, cheap.id)).status).toBe(201);
    expect((await ledger(api, user.userId)).balance).toBe(223);
    expect((await auditWallet({ db: api.deps.db, userId: user.userId })).problems).toEqual([]);
  });
});
