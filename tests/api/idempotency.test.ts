/**
 * `Idempotency-Key` on authenticated POST routes (issue 6 item 4), over HTTP against both
 * stores: a repeat returns the stored first response without doing the work again, another body
 * under the same key → 409, keys are per user and expire after 24 h, concurrent repeats do the
 * work once.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keys, userPk } from '../../src/db/keys.js';
import { queryAll } from '../../src/db/table.js';
import { claimIdempotencyKey, requestHash } from '../../src/services/idempotency.js';
import { fixedClock } from '../../src/utils/dates.js';
import { startApi, type TestApi, type TestUser } from '../helpers/api.js';
import { STORES } from '../helpers/stores.js';
import { userCtx } from '../../src/api/deps.js';

describe.each(STORES)('idempotency keys on %s', (store) => {
  let api: TestApi;
  const clock = fixedClock('2026-07-14T12:00:00.000Z');
  const post = (user: TestUser, path: string, key: string | null, body?: unknown) =>
    api.call<Record<string, unknown>>('POST', path, {
      token: user.token,
      ...(body === undefined ? {} : { body }),
      ...(key === null ? {} : { headers: { 'idempotency-key': key } }),
    });
  const ledgerSize = async (user: TestUser) =>
    (
      await queryAll(api.deps.db, {
        pk: userPk(user.userId),
        sk: { beginsWith: keys.ledgerPrefix },
      })
    ).length;
  const credit = { amount: 25, source: 'manual', description: 'Bonus' };

  beforeAll(async () => {
    api = await startApi({ store, clock });
  });
  afterAll(() => api.close());

  it('replays the first response of a repeat and does the work once', async () => {
    const user = await api.newUser('repeat');
    const first = await post(user, '/wallet/add', 'add-1', credit);
    const again = await post(user, '/wallet/add', 'add-1', credit);
    expect(first.status).toBe(200);
    expect(again.status).toBe(200);
    expect(again.body).toEqual(first.body);
    expect(first.headers.get('idempotent-replayed')).toBeNull();
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(await ledgerSize(user)).toBe(1);
    // Without a key every request does the work.
    await post(user, '/wallet/add', null, credit);
    await post(user, '/wallet/add', null, credit);
    expect(await ledgerSize(user)).toBe(3);
  });

  it('covers creates, completion and redemption', async () => {
    const user = await api.newUser('routes');
    const entry = await post(user, '/logbook', 'log-1', { date: '2026-07-14' });
    const entryAgain = await post(user, '/logbook', 'log-1', { date: '2026-07-14' });
    expect(entry.status).toBe(201);
    expect(entryAgain.status).toBe(201); // the stored 201, not a duplicate-date 409
    expect(entryAgain.body.data).toEqual(entry.body.data);

    const task = await post(user, '/tasks', 'task-1', {
      title: 'T',
      area: 'Health',
      pointValue: 200,
    });
    expect(
      (await post(user, '/tasks', 'task-1', { title: 'T', area: 'Health', pointValue: 200 })).body,
    ).toEqual(task.body);
    const taskId = String(task.body.data.id);
    const done = await post(user, `/tasks/${taskId}/complete`, 'done-1');
    expect((await post(user, `/tasks/${taskId}/complete`, 'done-1')).body).toEqual(done.body);

    const reward = await post(user, '/rewards', 'reward-1', {
      title: 'R',
      category: 'Custom',
      pointCost: 50,
    });
    const rewardId = String(reward.body.data.id);
    const redeemed = await post(user, `/rewards/${rewardId}/redeem`, 'redeem-1', {});
    const redeemedAgain = await post(user, `/rewards/${rewardId}/redeem`, 'redeem-1', {});
    expect(redeemed.status).toBe(201);
    expect(redeemedAgain.body).toEqual(redeemed.body);
    const tasks = await api.call<{ total: number }>('GET', '/tasks', { token: user.token });
    const rewards = await api.call<{ total: number }>('GET', '/rewards', { token: user.token });
    expect([tasks.body.data.total, rewards.body.data.total]).toEqual([1, 1]);
    // One earn of 200 and one spend of 50: 150.
    const wallet = await api.call<{ balance: number }>('GET', '/wallet', { token: user.token });
    expect(wallet.body.data.balance).toBe(150);
    expect(await ledgerSize(user)).toBe(2);
  });

  it('answers 409 for the same key with another body or path, and 400 for a malformed key', async () => {
    const user = await api.newUser('mismatch');
    await post(user, '/wallet/add', 'k', credit);
    const otherBody = await post(user, '/wallet/add', 'k', { ...credit, amount: 26 });
    expect(otherBody.status).toBe(409);
    expect(otherBody.body.error).toMatchObject({
      code: 'CONFLICT',
      details: { idempotencyKey: 'k' },
    });
    const otherPath = await post(user, '/rewards', 'k', {
      title: 'R',
      category: 'Custom',
      pointCost: 5,
    });
    expect(otherPath.status).toBe(409);
    // The same parameters in another key order and spacing are the same request: replayed.
    const respaced = await api.call('POST', '/wallet/add', {
      token: user.token,
      headers: { 'idempotency-key': 'k', 'content-type': 'application/json' },
      rawBody: '{ "description": "Bonus",\n  "source": "manual", "amount": 25 }',
    });
    expect(respaced.status).toBe(200);
    expect(respaced.headers.get('idempotent-replayed')).toBe('true');
    for (const bad of ['x'.repeat(256), 'has space', 'naïve']) {
      const res = await post(user, '/wallet/add', bad, credit);
      expect(res.status).toBe(400);
      expect(res.body.error?.details).toEqual([
        expect.objectContaining({ loc: ['header', 'idempotency-key'] }),
      ]);
    }
    expect(await ledgerSize(user)).toBe(1);
    const rewards = await api.call<{ total: number }>('GET', '/rewards', { token: user.token });
    expect(rewards.body.data.total).toBe(0);
    // A malformed request did nothing and is not remembered: its corrected version may reuse the key.
    expect((await post(user, '/wallet/add', 'fix', { ...credit, amount: -1 })).status).toBe(400);
    const fixed = await post(user, '/wallet/add', 'fix', credit);
    expect(fixed.status).toBe(200);
    expect(await ledgerSize(user)).toBe(2);
  });

  it('keeps keys per user', async () => {
    const a = await api.newUser('a');
    const b = await api.newUser('b');
    await post(a, '/wallet/add', 'shared', credit);
    const theirs = await post(b, '/wallet/add', 'shared', credit);
    expect(theirs.headers.get('idempotent-replayed')).toBeNull();
    expect(theirs.body.data.transaction).toMatchObject({ userId: b.userId });
    expect([await ledgerSize(a), await ledgerSize(b)]).toEqual([1, 1]);
  });

  it('replays stored errors too (Stripe’s rule): a refused redemption stays refused under its key', async () => {
    const user = await api.newUser('errors');
    const reward = await post(user, '/rewards', null, {
      title: 'R',
      category: 'Custom',
      pointCost: 30,
    });
    const path = `/rewards/${String(reward.body.data.id)}/redeem`;
    const poor = await post(user, path, 'try-1', {});
    expect(poor.status).toBe(409);
    expect(poor.body.error?.code).toBe('INSUFFICIENT_POINTS');
    await post(user, '/wallet/add', null, { amount: 30, source: 'system', description: 'Top-up' });
    const replayed = await post(user, path, 'try-1', {});
    expect(replayed.status).toBe(409);
    expect(replayed.body).toEqual(poor.body);
    expect((await post(user, path, 'try-2', {})).status).toBe(201); // a new key does the work
  });

  it('forgets keys after 24 hours', async () => {
    let user = await api.newUser('expiry');
    clock.set('2026-07-14T12:00:00.000Z');
    const login = async () => {
      const res = await api.call<{ accessToken: string }>('POST', '/auth/login', {
        body: { email: user.email, password: 'Correct-horse-9' },
      });
      user = { ...user, token: res.body.data.accessToken };
    };
    await login();
    await post(user, '/wallet/add', 'daily', credit);
    clock.set('2026-07-15T11:59:59.000Z'); // 23 h 59 min 59 s later: remembered
    await login();
    expect(
      (await post(user, '/wallet/add', 'daily', credit)).headers.get('idempotent-replayed'),
    ).toBe('true');
    clock.set('2026-07-15T12:00:00.000Z'); // 24 h later: expired, even while the item is stored
    await login();
    const fresh = await post(user, '/wallet/add', 'daily', credit);
    expect(fresh.status).toBe(200);
    expect(fresh.headers.get('idempotent-replayed')).toBeNull();
    expect(await ledgerSize(user)).toBe(2);
    const record = await api.deps.db.get(keys.idempotency(user.userId, 'daily'));
    // ttl = now + 24 h in epoch seconds: 2026-07-16T12:00:00Z.
    expect(record?.ttl).toBe(Date.parse('2026-07-16T12:00:00.000Z') / 1000);
  });

  it('lets one of two claims of a key win; the other finds it in progress', async () => {
    const user = await api.newUser('claims');
    const ctx = userCtx(api.deps, user.userId);
    const hash = requestHash('POST', '/wallet/add', '{}');
    expect(await claimIdempotencyKey(ctx, 'race', hash)).toEqual({ kind: 'claimed' });
    await expect(claimIdempotencyKey(ctx, 'race', hash)).rejects.toMatchObject({
      code: 'CONFLICT',
      message: 'A request with this Idempotency-Key is still in progress',
    });
  });
});

describe('concurrent repeats of one key (SQLite)', () => {
  it('do the work once: the rest replay it or find it in progress', async () => {
    const api = await startApi({ store: 'sqlite' });
    const user = await api.newUser('parallel');
    const replies = await Promise.all(
      Array.from({ length: 10 }, () =>
        api.call('POST', '/wallet/add', {
          token: user.token,
          headers: { 'idempotency-key': 'same' },
          body: { amount: 9, source: 'manual', description: 'Once' },
        }),
      ),
    );
    const statuses = replies.map((r) => r.status);
    expect(statuses.filter((s) => s === 200).length).toBeGreaterThanOrEqual(1);
    expect(statuses.filter((s) => s !== 200 && s !== 409)).toEqual([]);
    for (const r of replies.filter((x) => x.status === 409))
      expect(r.body.error?.message).toContain('in progress');
    const wallet = await api.call<{ balance: number; recentTransactions: unknown[] }>(
      'GET',
      '/wallet',
      {
        token: user.token,
      },
    );
    expect(wallet.body.data).toMatchObject({ balance: 9 });
    expect(wallet.body.data.recentTransactions).toHaveLength(1);
    await api.close();
  });
});
