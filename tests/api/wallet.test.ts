/**
 * The wallet end to end over HTTP, against both stores: the summary, credits through
 * `/wallet/add` (types, bad input), the cursor-paged ledger — and the shared security suite over
 * every logbook, reward and wallet route.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApi, type TestApi, type TestUser } from '../helpers/api.js';
import { expectCovers, expectIsolated } from '../helpers/security.js';
import { STORES } from '../helpers/stores.js';
import { expectInvalid } from '../helpers/assertions.js';

type Tx = {
  id: string;
  type: string;
  amount: number;
  description: string;
  source: string;
  createdAt: string;
};
type Summary = {
  balance: number;
  lifetimeEarned: number;
  lifetimeSpent: number;
  recentTransactions: Tx[];
  nextCursor: string | null;
};
type LedgerPage = { data: Tx[]; nextCursor: string | null; hasMore: boolean };

describe.each(STORES)('wallet on %s', (store) => {
  let api: TestApi;
  const add = (user: TestUser, body: Record<string, unknown>) =>
    api.call<{ balance: Record<string, unknown>; transaction: Tx }>('POST', '/wallet/add', {
      token: user.token,
      body,
    });
  const summary = (user: TestUser, q = '') =>
    api.call<Summary>('GET', `/wallet${q}`, { token: user.token }).then((r) => r.body.data);
  const ledger = (user: TestUser, q = '') =>
    api.call<LedgerPage>('GET', `/wallet/transactions${q}`, { token: user.token });

  beforeAll(async () => {
    api = await startApi({ store });
  });
  afterAll(() => api.close());

  it('starts empty', async () => {
    const user = await api.newUser('empty');
    expect(await summary(user)).toEqual({
      balance: 0,
      lifetimeEarned: 0,
      lifetimeSpent: 0,
      recentTransactions: [],
      nextCursor: null,
    });
    expect((await ledger(user)).body.data).toEqual({ data: [], nextCursor: null, hasMore: false });
  });

  it('credits through /wallet/add: system → refund, manual milestone → earn, manual alone → adjustment', async () => {
    const user = await api.newUser('add');
    const milestone = await add(user, {
      amount: 350,
      source: 'manual',
      description: 'Milestone achieved: streak for metric',
      sourceEntityType: null,
      sourceEntityId: 'metric-1',
    });
    expect(milestone.status).toBe(200);
    expect(milestone.body.data.transaction).toEqual({
      id: expect.any(String),
      userId: user.userId,
      amount: 350,
      type: 'earn',
      source: 'manual',
      sourceEntityType: null,
      sourceEntityId: 'metric-1',
      description: 'Milestone achieved: streak for metric',
      createdAt: expect.any(String),
    });
    expect(milestone.body.data.balance).toEqual({
      userId: user.userId,
      totalPoints: 350,
      lifetimeEarned: 350,
      lifetimeSpent: 0,
      updatedAt: milestone.body.data.transaction.createdAt,
    });
    const refund = await add(user, {
      amount: 20,
      source: 'system',
      description: 'Refund',
      sourceEntityType: 'reward',
      sourceEntityId: 'reward-1',
    });
    expect(refund.body.data.transaction).toMatchObject({
      type: 'refund',
      sourceEntityType: 'reward',
    });
    const bonus = await add(user, { amount: 5, source: 'manual', description: 'Bonus' });
    expect(bonus.body.data.transaction).toMatchObject({ type: 'adjustment', sourceEntityId: null });
    // 350 + 20 + 5 = 375, all earned.
    expect(bonus.body.data.balance).toMatchObject({ totalPoints: 375, lifetimeEarned: 375 });
    const s = await summary(user);
    expect(s).toMatchObject({ balance: 375, lifetimeEarned: 375, lifetimeSpent: 0 });
    expect(s.recentTransactions.map((t) => t.type)).toEqual(['adjustment', 'refund', 'earn']);
  });

  it('refuses bad credits with 400 field details and credits nothing', async () => {
    const user = await api.newUser('badadd');
    await add(user, { amount: 10, source: 'system', description: 'Start' });
    const valid = { amount: 10, source: 'manual', description: 'x' };
    const cases: [Record<string, unknown>, string[]][] = [
      [{ ...valid, amount: -5 }, ['body', 'amount']],
      [{ ...valid, amount: 0 }, ['body', 'amount']],
      [{ ...valid, amount: 2.5 }, ['body', 'amount']],
      [{ ...valid, amount: '10' }, ['body', 'amount']],
      [{ ...valid, amount: 1_000_001 }, ['body', 'amount']],
      [{ ...valid, source: 'task_completion' }, ['body', 'source']],
      [{ ...valid, source: 'lottery' }, ['body', 'source']],
      [{ ...valid, description: '' }, ['body', 'description']],
      [{ ...valid, sourceEntityType: 'goal' }, ['body', 'sourceEntityType']],
      [{ amount: 10, source: 'manual' }, ['body', 'description']],
    ];
    for (const [body, loc] of cases) {
      const res = await add(user, body);
      expectInvalid(res, loc, body);
    }
    const s = await summary(user);
    expect(s).toMatchObject({ balance: 10, lifetimeEarned: 10 });
    expect(s.recentTransactions).toHaveLength(1);
  });

  it('pages the ledger newest first with an exact cursor; /wallet continues into it', async () => {
    const user = await api.newUser('pages');
    for (let i = 1; i <= 5; i++)
      await add(user, { amount: i, source: 'manual', description: `credit ${i}` });
    const amounts = (page: LedgerPage) => page.data.map((t) => t.amount);
    const first = (await ledger(user, '?limit=2')).body.data;
    expect(amounts(first)).toEqual([5, 4]);
    expect(first.hasMore).toBe(true);
    const second = (await ledger(user, `?limit=2&cursor=${first.nextCursor}`)).body.data;
    expect(amounts(second)).toEqual([3, 2]);
    const third = (await ledger(user, `?limit=2&cursor=${second.nextCursor}`)).body.data;
    expect(third).toMatchObject({ nextCursor: null, hasMore: false });
    expect(amounts(third)).toEqual([1]);
    // Exactly at the end: no cursor to an empty page.
    const exact = (await ledger(user, '?limit=5')).body.data;
    expect(exact).toMatchObject({ nextCursor: null, hasMore: false });

    const s = await summary(user, '?limit=3');
    expect(s.recentTransactions.map((t) => t.amount)).toEqual([5, 4, 3]);
    // 1 + 2 + 3 + 4 + 5 = 15.
    expect(s.balance).toBe(15);
    const rest = (await ledger(user, `?cursor=${s.nextCursor}`)).body.data;
    expect(amounts(rest)).toEqual([2, 1]);
    expect((await summary(user)).recentTransactions).toHaveLength(5); // default limit 50

    // Not a cursor; and a well-formed one of the user's own partition whose key lies outside the
    // ledger (DynamoDB refuses a starting key outside the query's key condition).
    const outside = Buffer.from(
      JSON.stringify({ pk: `USER#${user.userId}`, sk: 'PROFILE' }),
      'utf8',
    ).toString('base64url');
    for (const cursor of ['bm90LWEtY3Vyc29y', outside]) {
      const forged = await ledger(user, `?cursor=${cursor}`);
      expect({ cursor, status: forged.status }).toEqual({ cursor, status: 400 });
      expect(forged.body.error?.details).toEqual([
        expect.objectContaining({ loc: ['query', 'cursor'] }),
      ]);
    }
    expect((await ledger(user, '?limit=0')).status).toBe(400);
    expect((await ledger(user, '?limit=1001')).status).toBe(400);
  });

  it('isolates users on every logbook, reward and wallet route', async () => {
    const owner = await api.newUser('owner');
    const intruder = await api.newUser('intruder');
    await add(owner, { amount: 500, source: 'system', description: 'Start' });
    await add(owner, { amount: 1, source: 'system', description: 'Second' });
    const entry = (
      await api.call<{ id: string }>('POST', '/logbook', {
        token: owner.token,
        body: { date: '2026-01-01', title: 'Private' },
      })
    ).body.data;
    const reward = (
      await api.call<{ id: string }>('POST', '/rewards', {
        token: owner.token,
        body: { title: 'Private', category: 'Custom', pointCost: 100 },
      })
    ).body.data;
    const cases = [
      { method: 'GET', path: `/logbook/${entry.id}` },
      { method: 'GET', path: '/logbook/2026-01-01' },
      { method: 'PATCH', path: `/logbook/${entry.id}`, body: { title: 'Hacked' } },
      { method: 'DELETE', path: `/logbook/${entry.id}` },
      { method: 'GET', path: `/logbook/${entry.id}/links` },
      {
        method: 'POST',
        path: `/logbook/${entry.id}/links`,
        body: { entityType: 'logbook', entityId: entry.id },
      },
      { method: 'DELETE', path: `/logbook/${entry.id}/links/${entry.id}` },
      { method: 'GET', path: `/rewards/${reward.id}` },
      { method: 'PATCH', path: `/rewards/${reward.id}`, body: { pointCost: 1 } },
      { method: 'POST', path: `/rewards/${reward.id}/redeem`, body: {} },
      { method: 'DELETE', path: `/rewards/${reward.id}` },
    ] as const;
    await expectIsolated(api, intruder, [...cases]);
    // Routes without ids show and change only the caller's own data.
    expect(await summary(intruder)).toMatchObject({ balance: 0, recentTransactions: [] });
    const ownerPage = (await ledger(owner, '?limit=1')).body.data;
    const stolen = await ledger(intruder, `?limit=1&cursor=${ownerPage.nextCursor}`);
    expect(stolen.status).toBe(400);
    await add(intruder, { amount: 7, source: 'manual', description: 'Mine' });
    for (const list of ['/logbook', '/rewards'])
      expect(
        (await api.call<{ total: number }>('GET', list, { token: intruder.token })).body.data.total,
      ).toBe(0);
    // Nothing of the owner's changed: 500 + 1, nothing redeemed, entry intact.
    expect(await summary(owner)).toMatchObject({ balance: 501, lifetimeSpent: 0 });
    const kept = await api.call<{ title: string }>('GET', `/logbook/${entry.id}`, {
      token: owner.token,
    });
    expect(kept.body.data.title).toBe('Private');
    const keptReward = await api.call<{ pointCost: number; redemptions: unknown[] }>(
      'GET',
      `/rewards/${reward.id}`,
      { token: owner.token },
    );
    expect(keptReward.body.data).toMatchObject({ pointCost: 100, redemptions: [] });
    await expectCovers(
      api,
      ['/logbook', '/rewards', '/wallet'],
      [...cases],
      [
        'GET /logbook',
        'POST /logbook',
        'GET /rewards',
        'POST /rewards',
        'GET /wallet',
        'POST /wallet/add',
        'GET /wallet/transactions',
      ],
    );
  });
});
