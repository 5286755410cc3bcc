/**
 * Races on the wallet (issue 6 items 5 and 7). At a 250-point balance, 20 concurrent
 * redemptions of a 100-point reward must leave exactly 2 successes (250 − 2 × 100 = 50; a
 * third would need 100 > 50), 18 `INSUFFICIENT_POINTS`, a balance of 50 and 2 spend entries;
 * 20 concurrent completes of a task credit it once. Raced over HTTP against a running server
 * and against the services with several SQLite connections on one file; against DynamoDB (whose
 * emulator does not serialise writers) the conditional paths are driven one after another.
 * Afterwards the wallet audit — as a function and as the CLI — finds no mismatch.
 */
import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../src/core/errors.js';
import { keys, userPk } from '../../src/db/keys.js';
import { SqliteTable } from '../../src/db/sqlite.js';
import { queryAll, type Table } from '../../src/db/table.js';
import { createReward } from '../../src/services/rewards/index.js';
import {
  attemptRedeem,
  loadRedeemSnapshot,
  redeemReward,
} from '../../src/services/rewards/redemptions.js';
import { completeTask, createTask } from '../../src/services/tasks/index.js';
import { addPoints, getBalance } from '../../src/services/wallet.js';
import { auditAllWallets, auditWallet } from '../../src/services/wallet-audit.js';
import { startApi } from '../helpers/api.js';
import { serviceCtx } from '../helpers/ctx.js';
import { freshTable } from '../helpers/stores.js';

/** Type and amount of every ledger entry of a user, oldest first. */
async function entries(db: Table, userId: string): Promise<string[]> {
  const items = await queryAll(db, { pk: userPk(userId), sk: { beginsWith: keys.ledgerPrefix } });
  return items.map((e) => `${String(e.type)} ${String(e.amount)}`);
}

const codeOf = (result: PromiseSettledResult<unknown>) =>
  result.status === 'fulfilled'
    ? 'ok'
    : result.reason instanceof AppError
      ? result.reason.code
      : String(result.reason);

const cli = (args: string[], sqlitePath: string) =>
  spawnSync(process.execPath, ['--import', 'tsx', 'src/cli.ts', 'wallet-audit', ...args], {
    encoding: 'utf8',
    timeout: 60_000,
    env: { ...process.env, STORE: 'sqlite', SQLITE_PATH: sqlitePath },
  });

describe('races on one SQLite file', () => {
  let path: string;
  let connections: Table[];
  const users: string[] = [];

  beforeAll(async () => {
    path = (await freshTable('sqlite')).path as string;
    connections = [0, 1, 2, 3].map(() => SqliteTable.open(path));
  });
  afterAll(async () => {
    for (const db of connections) await db.close();
  });

  it('over HTTP: 20 parallel redemptions → 2 succeed, 18 INSUFFICIENT_POINTS; 20 completes → 1 credit', async () => {
    const api = await startApi({ store: 'sqlite' });
    const user = await api.newUser('race');
    const call = <T>(method: string, p: string, body?: unknown) =>
      api.call<T>(method, p, { token: user.token, ...(body === undefined ? {} : { body }) });
    await call('POST', '/wallet/add', { amount: 250, source: 'system', description: 'Start' });
    const reward = (
      await call<{ id: string }>('POST', '/rewards', {
        title: 'Cinema',
        category: 'Custom',
        pointCost: 100,
      })
    ).body.data;
    const replies = await Promise.all(
      Array.from({ length: 20 }, () => call('POST', `/rewards/${reward.id}/redeem`, {})),
    );
    const outcomes = replies.map((r) => (r.status === 201 ? 'ok' : r.body.error?.code));
    expect(outcomes.filter((o) => o === 'ok')).toHaveLength(2);
    expect(outcomes.filter((o) => o === 'INSUFFICIENT_POINTS')).toHaveLength(18);
    expect(await entries(api.deps.db, user.userId)).toEqual([
      'refund 250',
      'spend 100',
      'spend 100',
    ]);
    expect((await getBalance(serviceCtx(api.deps.db, user.userId))).totalPoints).toBe(50);

    const task = (
      await call<{ id: string }>('POST', '/tasks', { title: 'T', area: 'Health', pointValue: 40 })
    ).body.data;
    const completes = await Promise.all(
      Array.from({ length: 20 }, () => call('POST', `/tasks/${task.id}/complete`)),
    );
    expect(completes.map((r) => r.status)).toEqual(Array(20).fill(200));
    expect((await entries(api.deps.db, user.userId)).filter((e) => e.startsWith('earn'))).toEqual([
      'earn 40',
    ]);
    // 50 + 40 = 90.
    expect((await getBalance(serviceCtx(api.deps.db, user.userId))).totalPoints).toBe(90);
    expect((await auditWallet({ db: api.deps.db, userId: user.userId })).problems).toEqual([]);
    await api.close();
  });

  it('over 4 connections: 20 redemptions → 2 succeed, 18 INSUFFICIENT_POINTS, balance 50', async () => {
    const userId = 'race-redeem';
    users.push(userId);
    const ctxs = connections.map((db) => serviceCtx(db, userId));
    const [first] = ctxs as [ReturnType<typeof serviceCtx>];
    await addPoints(first, { amount: 250, source: 'system', description: 'Start' });
    const reward = await createReward(first, {
      title: 'Cinema',
      category: 'Custom',
      pointCost: 100,
    });
    const results = await Promise.allSettled(
      Array.from({ length: 20 }, (_, i) =>
        redeemReward(ctxs[i % 4] as typeof first, reward.id, null),
      ),
    );
    const codes = results.map(codeOf);
    expect(codes.filter((c) => c === 'ok')).toHaveLength(2);
    expect(codes.filter((c) => c === 'INSUFFICIENT_POINTS')).toHaveLength(18);
    expect(await entries(first.db, userId)).toEqual(['refund 250', 'spend 100', 'spend 100']);
    expect((await getBalance(first)).totalPoints).toBe(50);
  });

  it('over 4 connections: 10 redemptions of a once-a-day reward → exactly 1, the rest hit the limit', async () => {
    const userId = 'race-daily';
    users.push(userId);
    const ctxs = connections.map((db) => serviceCtx(db, userId));
    const first = ctxs[0] as ReturnType<typeof serviceCtx>;
    await addPoints(first, { amount: 1000, source: 'system', description: 'Start' });
    const reward = await createReward(first, {
      title: 'Dessert',
      category: 'Daily Delight',
      pointCost: 10,
      maxRedemptionsPerDay: 1,
    });
    const results = await Promise.allSettled(
      Array.from({ length: 10 }, (_, i) =>
        redeemReward(ctxs[i % 4] as typeof first, reward.id, null),
      ),
    );
    expect(results.map(codeOf).filter((c) => c === 'ok')).toHaveLength(1);
    const refused = results.flatMap((r) => (r.status === 'rejected' ? [r.reason] : []));
    expect(refused.map((e: AppError) => e.message)).toEqual(
      Array(9).fill('Daily redemption limit reached'),
    );
    // 1000 − 10 = 990.
    expect((await getBalance(first)).totalPoints).toBe(990);
  });

  it('over 4 connections: 20 completes of one task → one credit', async () => {
    const userId = 'race-complete';
    users.push(userId);
    const ctxs = connections.map((db) => serviceCtx(db, userId));
    const first = ctxs[0] as ReturnType<typeof serviceCtx>;
    const task = await createTask(first, { title: 'Once', area: 'Operations', pointValue: 40 });
    const results = await Promise.allSettled(
      Array.from({ length: 20 }, (_, i) => completeTask(ctxs[i % 4] as typeof first, task.id)),
    );
    expect(results.map(codeOf)).toEqual(Array(20).fill('ok'));
    expect(await entries(first.db, userId)).toEqual(['earn 40']);
    expect((await getBalance(first)).totalPoints).toBe(40);
  });

  it('then the audit finds no mismatch, as a function and as the CLI; a tampered balance fails it', async () => {
    const db = connections[0] as Table;
    const audits = await auditAllWallets(db);
    expect(audits.map((a) => a.userId)).toEqual([...users].sort());
    expect(audits.flatMap((a) => a.problems)).toEqual([]);
    expect(audits.find((a) => a.userId === 'race-redeem')).toMatchObject({
      entries: 3,
      stored: { totalPoints: 50, lifetimeEarned: 250, lifetimeSpent: 200 },
      recomputed: { totalPoints: 50, lifetimeEarned: 250, lifetimeSpent: 200 },
    });

    const all = cli(['--all'], path);
    expect(all.stderr).toBe('');
    expect(all.status).toBe(0);
    expect(all.stdout).toContain(
      'ok race-redeem: balance 50 (earned 250, spent 200) from 3 entries',
    );
    expect(all.stdout).toContain(`${users.length} wallet(s) audited, 0 with mismatches`);
    expect(cli(['--user', 'race-complete'], path).status).toBe(0);

    // One point appears from nowhere: the balance no longer matches its ledger.
    await db.update(keys.wallet('race-complete'), { add: { totalPoints: 1 } });
    expect((await auditWallet({ db, userId: 'race-complete' })).problems).toEqual([
      'totalPoints is 41 but the ledger sums to 40',
    ]);
    const bad = cli(['--user', 'race-complete'], path);
    expect(bad.status).toBe(1);
    expect(bad.stdout).toContain(
      'MISMATCH race-complete: totalPoints is 41 but the ledger sums to 40',
    );
    expect(cli(['--all'], path).status).toBe(1);
    expect(cli([], path).status).toBe(2);

    // A malformed ledger entry is reported, not summed.
    await db.put({
      ...keys.ledgerEntry('broken', '2026-01-01T00:00:00.000Z', 'tx-1'),
      id: 'tx-1',
      userId: 'broken',
      type: 'earn',
      amount: 2.5,
    });
    await db.put({
      ...keys.ledgerEntry('broken', '2026-01-01T00:00:01.000Z', 'tx-2'),
      id: 'tx-2',
      userId: 'broken',
      type: 'gift',
      amount: 3,
    });
    expect((await auditWallet({ db, userId: 'broken' })).problems).toEqual([
      'entry tx-1 has amount 2.5, not a positive integer',
      'entry tx-2 has unknown type gift',
    ]);
  });
});

describe('conditional paths on DynamoDB, one after another', () => {
  let db: Table;
  beforeAll(async () => {
    db = (await freshTable('dynamodb')).table;
  });
  afterAll(() => db.close());

  it('a stale snapshot is retried, a short balance refused, a daily limit held', async () => {
    const ctx = serviceCtx(db, 'dynamo-user');
    await addPoints(ctx, { amount: 250, source: 'system', description: 'Start' });
    const reward = await createReward(ctx, { title: 'Cinema', category: 'Custom', pointCost: 100 });

    // Two requests read the reward; one redeems; the other's transaction fails on the version.
    const early = await loadRedeemSnapshot(ctx, reward.id);
    await redeemReward(ctx, reward.id, null);
    expect(await attemptRedeem(ctx, early, null)).toBeNull();
    expect((await getBalance(ctx)).totalPoints).toBe(150);

    await redeemReward(ctx, reward.id, null); // 150 − 100 = 50
    // The transaction's own condition refuses the debit (attemptRedeem reads no balance first).
    const late = await loadRedeemSnapshot(ctx, reward.id);
    await expect(attemptRedeem(ctx, late, null)).rejects.toMatchObject({
      code: 'INSUFFICIENT_POINTS',
    });
    expect(await entries(db, 'dynamo-user')).toEqual(['refund 250', 'spend 100', 'spend 100']);

    // Once a day: two snapshots both see no redemption today; only the first may commit.
    const daily = await createReward(ctx, {
      title: 'Tea',
      category: 'Quick Treat',
      pointCost: 10,
      maxRedemptionsPerDay: 1,
    });
    const a = await loadRedeemSnapshot(ctx, daily.id);
    const b = await loadRedeemSnapshot(ctx, daily.id);
    expect(await attemptRedeem(ctx, a, null)).toMatchObject({ pointsSpent: 10 });
    expect(await attemptRedeem(ctx, b, null)).toBeNull();
    await expect(redeemReward(ctx, daily.id, null)).rejects.toMatchObject({
      code: 'CONFLICT',
      message: 'Daily redemption limit reached',
    });

    // A task completed twice is credited once.
    const task = await createTask(ctx, { title: 'Once', area: 'Operations', pointValue: 40 });
    await completeTask(ctx, task.id);
    await completeTask(ctx, task.id);
    // 250 − 100 − 100 − 10 + 40 = 80.
    expect((await getBalance(ctx)).totalPoints).toBe(80);
    expect((await auditAllWallets(db)).map((x) => [x.userId, x.problems])).toEqual([
      ['dynamo-user', []],
    ]);
  });
});
