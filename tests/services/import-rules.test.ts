/**
 * The import's pure rules with worked examples: which ids are accepted, what a date-only
 * timestamp of the dump means in a time zone, how the dump is read (raw strings, broken JSON,
 * aliases), how the front end's wallet transactions become ledger entries, the opening balance
 * that reconciles them with a balance record, and what the ledger says a task's completion paid.
 */
import { describe, expect, it } from 'vitest';
import type { WalletTransactionT } from '../../src/api/schemas/wallet.js';
import { instantOf, readDump, validId } from '../../src/services/import/parse.js';
import { ImportReport } from '../../src/services/import/report.js';
import {
  mapTransactions,
  openingBalance,
  taskRewardsOf,
  totalsOf,
} from '../../src/services/import/wallet.js';

describe('ids', () => {
  it('accepts what the API accepts as an id, and not "undefined"', () => {
    expect(validId('1795968687908-zl94rx1gq')).toBe('1795968687908-zl94rx1gq');
    expect(validId('x'.repeat(128))).toBe('x'.repeat(128));
    for (const bad of ['', 'undefined', 'null', 'a#b', 'a/b', 'a b', 'x'.repeat(129), 42, null]) {
      expect({ bad, id: validId(bad) }).toEqual({ bad, id: null });
    }
  });
});

describe('timestamps of the dump', () => {
  it('reads a date-only value as that local day at noon in the user’s zone', () => {
    expect(instantOf('2026-11-29', 'UTC')).toBe('2026-11-29T12:00:00.000Z');
    // Los Angeles is UTC−8 in November: 12:00 local = 20:00 UTC, still Nov 29 there.
    expect(instantOf('2026-11-29', 'America/Los_Angeles')).toBe('2026-11-29T20:00:00.000Z');
    // Kolkata is UTC+5:30: 12:00 local = 06:30 UTC.
    expect(instantOf('2026-11-29', 'Asia/Kolkata')).toBe('2026-11-29T06:30:00.000Z');
    // New York on the day DST ends (2026-11-01, UTC−4 until 02:00, then UTC−5): noon is EST.
    expect(instantOf('2026-11-01', 'America/New_York')).toBe('2026-11-01T17:00:00.000Z');
  });

  it('normalises instants, takes numbers as epoch milliseconds, and refuses the rest', () => {
    expect(instantOf('2026-11-29T16:11:27.911Z', 'UTC')).toBe('2026-11-29T16:11:27.911Z');
    expect(instantOf('2026-11-29T17:11:27+01:00', 'UTC')).toBe('2026-11-29T16:11:27.000Z');
    expect(instantOf(0, 'UTC')).toBe('1970-01-01T00:00:00.000Z');
    expect(instantOf(null, 'UTC')).toBeNull();
    expect(instantOf(undefined, 'UTC')).toBeNull();
    for (const bad of ['2026-02-30', 'yesterday', '2026-11-29T16:11:27', true, Number.NaN]) {
      expect({ bad, instant: instantOf(bad, 'UTC') }).toEqual({ bad, instant: undefined });
    }
  });
});

describe('reading a dump', () => {
  it('parses raw JSON strings, reports broken ones and non-records, lists what it ignores', () => {
    const report = new ImportReport();
    const { collections, ignored } = readDump(
      {
        gs_tasks: '{"t1": {"id": "t1"}, "t2": 7}',
        gs_goals: '{"g1": {"id": ',
        gs_walletTransactions: [{ id: 'w1', amount: 5 }],
        gs_seeded: true,
        other_app_key: 'x',
      },
      report,
    );
    expect(collections.get('tasks')).toEqual({
      key: 'gs_tasks',
      records: [{ key: 't1', value: { id: 't1' } }],
    });
    expect(collections.has('goals')).toBe(false);
    expect(collections.get('walletTransactions')?.key).toBe('gs_walletTransactions');
    expect(ignored).toEqual(['gs_seeded', 'other_app_key']);
    const result = report.result(
      { source: 'none', detail: '', totalPoints: 0, lifetimeEarned: 0, lifetimeSpent: 0 },
      ignored,
    );
    expect(result.problems).toEqual([
      { collection: 'gs_tasks', id: 't2', level: 'error', reason: 'the record is not an object' },
      {
        collection: 'gs_goals',
        id: null,
        level: 'error',
        reason: expect.stringMatching(/^not valid JSON .*; collection skipped$/),
      },
    ]);
    expect(result.totals.failed).toBe(2);
  });

  it('reads one balance record, bare or keyed by user id', () => {
    const report = new ImportReport();
    const bare = readDump({ gs_wallet: { totalPoints: 5 } }, report).collections;
    expect(bare.get('walletBalance')?.records).toEqual([
      { key: 'gs_wallet', value: { totalPoints: 5 } },
    ]);
    const keyed = readDump({ gs_wallet_balance: { 'user-1': { totalPoints: 5 } } }, report);
    expect(keyed.collections.get('walletBalance')?.records).toEqual([
      { key: 'user-1', value: { totalPoints: 5 } },
    ]);
  });
});

describe('the wallet of the dump', () => {
  const entry = (over: Partial<WalletTransactionT>): WalletTransactionT => ({
    id: 'x',
    userId: 'u',
    amount: 10,
    type: 'earn',
    source: 'manual',
    sourceEntityType: null,
    sourceEntityId: null,
    description: '',
    createdAt: '2026-11-01T00:00:00.000Z',
    ...over,
  });

  it('makes the front end’s transactions ledger entries: positive amounts, the sign in the type', () => {
    const report = new ImportReport();
    const records = [
      { id: 'a', amount: -150, type: 'spend', source: 'reward_redemption' },
      { id: 'b', amount: -20, type: 'adjustment', source: 'manual' },
      { id: 'c', amount: 0, type: 'earn' },
      { id: 'd', amount: 5, type: 'bonus' },
      { id: 'e', amount: 12.4, source: 'system', type: 'refund', createdAt: '2026-11-02' },
    ];
    const entries = mapTransactions(
      {
        key: 'gs_wallet_transactions',
        records: records.map((value) => ({ key: value.id, value })),
      },
      'me',
      'UTC',
      '2026-11-29T18:00:00.000Z',
      report,
    );
    expect(entries.map((e) => [e.id, e.type, e.amount, e.userId])).toEqual([
      ['a', 'spend', 150, 'me'],
      ['b', 'spend', 20, 'me'], // a negative adjustment takes points away
      ['e', 'refund', 12, 'me'],
    ]);
    expect(entries[2]?.createdAt).toBe('2026-11-02T12:00:00.000Z');
    const problems = report.result(
      { source: 'none', detail: '', totalPoints: 0, lifetimeEarned: 0, lifetimeSpent: 0 },
      [],
    ).problems;
    expect(problems.map((p) => [p.id, p.level])).toEqual([
      ['b', 'warning'],
      ['c', 'error'],
      ['d', 'error'],
    ]);
    // earn/refund/adjustment credit, spend/clawback debit (§e.13): refund 12 − 150 − 20 = −158.
    expect(totalsOf(entries)).toEqual({
      totalPoints: -158,
      lifetimeEarned: 12,
      lifetimeSpent: 170,
    });
  });

  it('reconciles a balance record with the ledger by opening entries', () => {
    const zero = { totalPoints: 0, lifetimeEarned: 0, lifetimeSpent: 0 };
    // Balance 450 (earned 600, spent 150), no transactions: credit 600, debit 150.
    expect(
      openingBalance({ totalPoints: 450, lifetimeEarned: 600, lifetimeSpent: 150 }, zero),
    ).toEqual({ credit: 600, debit: 150 });
    // The same balance over +500 and −150: credit 600 − 500 = 100, debit 150 − 150 = 0.
    expect(
      openingBalance(
        { totalPoints: 450, lifetimeEarned: 600, lifetimeSpent: 150 },
        { totalPoints: 350, lifetimeEarned: 500, lifetimeSpent: 150 },
      ),
    ).toEqual({ credit: 100, debit: 0 });
    // A ledger that earned more than the record says (the front end's refunds are not in its
    // lifetimeEarned): 150 earned vs 100 → no credit; 150 − 100 = 50 too many points → debit 50.
    expect(
      openingBalance(
        { totalPoints: 100, lifetimeEarned: 100, lifetimeSpent: 0 },
        { totalPoints: 150, lifetimeEarned: 150, lifetimeSpent: 0 },
      ),
    ).toEqual({ credit: 0, debit: 50 });
  });

  it('replays what each task’s completion paid, in time order', () => {
    const task = (id: string, over: Partial<WalletTransactionT>) =>
      entry({ sourceEntityType: 'task', sourceEntityId: id, ...over });
    const rewards = taskRewardsOf([
      task('A', { id: 't3', amount: 300, source: 'task_completion', createdAt: '2026-11-03T00:00:00.000Z' }),
      task('A', { id: 't1', amount: 240, source: 'task_completion', createdAt: '2026-11-01T00:00:00.000Z' }),
      task('A', { id: 't2', amount: 240, type: 'clawback', source: 'task_completion_reversal', createdAt: '2026-11-02T00:00:00.000Z' }),
      task('B', { id: 't4', amount: 100, source: 'task_completion' }),
      task('C', { id: 't5', amount: 100, source: 'task_completion' }),
      task('C', { id: 't6', amount: 100, type: 'clawback', source: 'task_completion_reversal', createdAt: '2026-11-05T00:00:00.000Z' }),
      entry({ id: 't7', amount: 50, source: 'manual', sourceEntityId: 'D' }),
    ]); // prettier-ignore
    expect(Object.fromEntries(rewards)).toEqual({
      A: { points: 300, transactionId: 't3' }, // earned, clawed back, earned again
      B: { points: 100, transactionId: 't4' },
    });
  });
});
