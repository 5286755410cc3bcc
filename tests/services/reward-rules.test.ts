/**
 * Worked examples of the reward and wallet rules: availability (§e.12) on the user's local
 * calendar, the cooldown message's rounding, the ledger arithmetic (§e.13) and how a
 * `POST /wallet/add` credit is typed.
 */
import { describe, expect, it } from 'vitest';
import { availability, lastRedeemedAt } from '../../src/services/rewards/availability.js';
import { balanceDelta, creditType } from '../../src/services/wallet.js';

const active = { status: 'Active', maxRedemptionsPerDay: null, cooldownHours: null };
const LA = 'America/Los_Angeles';

describe('reward availability (§e.12)', () => {
  it('is redeemable when active with no limits, whatever the history', () => {
    const now = new Date('2026-07-15T12:00:00.000Z');
    expect(availability(active, ['2026-07-15T11:59:00.000Z'], now, 'UTC')).toEqual({
      canRedeem: true,
      cooldownMessage: null,
      reason: null,
      availableAt: null,
    });
  });

  it.each(['Locked', 'Archived'])('refuses a %s reward first', (status) => {
    const verdict = availability(
      { status, maxRedemptionsPerDay: 1, cooldownHours: 24 },
      ['2026-07-15T11:00:00.000Z'],
      new Date('2026-07-15T12:00:00.000Z'),
      'UTC',
    );
    expect(verdict).toMatchObject({ canRedeem: false, cooldownMessage: 'Reward is not active' });
  });

  it('counts the daily limit on the local calendar day, not the UTC one', () => {
    const once = { ...active, maxRedemptionsPerDay: 1 };
    // 2026-07-15T02:00Z is 19:00 on July 14 in Los Angeles (PDT, UTC−7).
    const history = ['2026-07-15T02:00:00.000Z'];
    // 06:59Z = 23:59 July 14 in LA: the same local day → refused.
    expect(availability(once, history, new Date('2026-07-15T06:59:00.000Z'), LA)).toMatchObject({
      canRedeem: false,
      cooldownMessage: 'Daily redemption limit reached',
      reason: 'daily_limit',
    });
    // 07:01Z = 00:01 July 15 in LA: a new local day (though the same UTC day) → allowed.
    expect(availability(once, history, new Date('2026-07-15T07:01:00.000Z'), LA).canRedeem).toBe(
      true,
    );
    // The other way round: 23:00Z July 14 and 01:00Z July 15 are both July 14 in LA.
    expect(
      availability(once, ['2026-07-14T23:00:00.000Z'], new Date('2026-07-15T01:00:00.000Z'), LA)
        .canRedeem,
    ).toBe(false);
  });

  it('allows up to maxRedemptionsPerDay on one day', () => {
    const twice = { ...active, maxRedemptionsPerDay: 2 };
    const now = new Date('2026-07-15T20:00:00.000Z');
    expect(availability(twice, ['2026-07-15T09:00:00.000Z'], now, 'UTC').canRedeem).toBe(true);
    expect(
      availability(twice, ['2026-07-15T09:00:00.000Z', '2026-07-15T10:00:00.000Z'], now, 'UTC')
        .canRedeem,
    ).toBe(false);
    // The reward's stored lastRedeemedAt is that same 09:00 redemption: still one of two.
    expect(
      availability(twice, ['2026-07-15T09:00:00.000Z'], now, 'UTC', '2026-07-15T09:00:00.000Z')
        .canRedeem,
    ).toBe(true);
  });

  it('runs the cooldown from the stored lastRedeemedAt when it is the latest', () => {
    const weekly = { ...active, cooldownHours: 168 };
    // Nothing listed (older than the window), stored 2026-07-10T12:00Z; 120 h later 48 h remain.
    expect(
      availability(
        weekly,
        [],
        new Date('2026-07-15T12:00:00.000Z'),
        'UTC',
        '2026-07-10T12:00:00.000Z',
      ),
    ).toMatchObject({ canRedeem: false, cooldownMessage: 'Available in 48 hour(s)' });
  });

  it('rounds the remaining cooldown up to whole hours', () => {
    const daily = { ...active, cooldownHours: 24 };
    const last = '2026-07-15T08:00:00.000Z';
    const at = (iso: string) => availability(daily, [last], new Date(iso), 'UTC');
    // 1 h 30 min after: 22 h 30 min left → 23.
    expect(at('2026-07-15T09:30:00.000Z')).toEqual({
      canRedeem: false,
      cooldownMessage: 'Available in 23 hour(s)',
      reason: 'cooldown',
      availableAt: '2026-07-16T08:00:00.000Z',
    });
    // 23 h 59 min after: 1 min left → 1.
    expect(at('2026-07-16T07:59:00.000Z').cooldownMessage).toBe('Available in 1 hour(s)');
    // Exactly 24 h after: free again.
    expect(at('2026-07-16T08:00:00.000Z').canRedeem).toBe(true);
    // A half-hour cooldown, 10 min after: 20 min left → 1.
    expect(
      availability(
        { ...active, cooldownHours: 0.5 },
        [last],
        new Date('2026-07-15T08:10:00.000Z'),
        'UTC',
      ).cooldownMessage,
    ).toBe('Available in 1 hour(s)');
    // cooldownHours 0 means none.
    expect(
      availability({ ...active, cooldownHours: 0 }, [last], new Date(last), 'UTC').canRedeem,
    ).toBe(true);
  });

  it('reports the daily limit before the cooldown, and finds the last redemption', () => {
    const both = { status: 'Active', maxRedemptionsPerDay: 1, cooldownHours: 2 };
    const history = ['2026-07-15T08:00:00.000Z', '2026-07-14T08:00:00.000Z'];
    expect(
      availability(both, history, new Date('2026-07-15T09:00:00.000Z'), 'UTC').cooldownMessage,
    ).toBe('Daily redemption limit reached');
    expect(lastRedeemedAt(history)).toBe('2026-07-15T08:00:00.000Z');
    expect(lastRedeemedAt([])).toBeNull();
  });
});

describe('wallet arithmetic (§e.13)', () => {
  it.each([
    ['earn', 374, { totalPoints: 374, lifetimeEarned: 374, lifetimeSpent: 0 }],
    ['refund', 20, { totalPoints: 20, lifetimeEarned: 20, lifetimeSpent: 0 }],
    ['adjustment', 5, { totalPoints: 5, lifetimeEarned: 5, lifetimeSpent: 0 }],
    ['spend', 150, { totalPoints: -150, lifetimeEarned: 0, lifetimeSpent: 150 }],
    ['clawback', 374, { totalPoints: -374, lifetimeEarned: 0, lifetimeSpent: 374 }],
  ] as const)('%s of %i moves the counters by %o', (type, amount, delta) => {
    expect(balanceDelta(type, amount)).toEqual(delta);
  });

  it('types /wallet/add credits: system → refund, manual with a source entity → earn, else adjustment', () => {
    expect(creditType({ source: 'system', sourceEntityId: null })).toBe('refund');
    expect(creditType({ source: 'system', sourceEntityId: 'r1' })).toBe('refund');
    expect(creditType({ source: 'manual', sourceEntityId: 'metric-1' })).toBe('earn');
    expect(creditType({ source: 'manual', sourceEntityId: null })).toBe('adjustment');
    expect(creditType({ source: 'manual' })).toBe('adjustment');
  });
});
