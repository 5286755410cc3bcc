/**
 * Whether a reward can be redeemed now (API_CONTRACT.md §e.12): only when its status is
 * `Active`, its `maxRedemptionsPerDay` is not reached on the user's **local** calendar day, and
 * `cooldownHours` have passed since the last redemption. Checked in that order; the first rule
 * that fails gives the client's `cooldownMessage`. The balance is not part of it (the redemption
 * itself refuses with `INSUFFICIENT_POINTS`).
 */
import { localDateOf } from '../../utils/dates.js';

const HOUR_MS = 60 * 60 * 1000;

/** The reward fields the rule reads. */
export interface RedeemRules {
  status: string;
  /** Redemptions per local day; null for no limit. */
  maxRedemptionsPerDay: number | null;
  /** Hours between redemptions; null or 0 for none. */
  cooldownHours: number | null;
}

/** Why a reward cannot be redeemed. */
export type Unavailable = 'inactive' | 'daily_limit' | 'cooldown';

/** The verdict of {@link availability}. */
export interface Availability {
  canRedeem: boolean;
  /** The contract's wording, null when redeemable. */
  cooldownMessage: string | null;
  reason: Unavailable | null;
  /** The instant the cooldown ends (UTC ISO), when `reason` is `cooldown`. */
  availableAt: string | null;
}

const ok: Availability = {
  canRedeem: true,
  cooldownMessage: null,
  reason: null,
  availableAt: null,
};

/**
 * The availability of a reward at `now` for a user in `timeZone`, given the instants of its
 * past redemptions (`redeemedAt`, any order, each redemption once: the daily limit counts them)
 * and optionally the reward's stored `lastRedeemedAt` (which may be older than the redemptions
 * listed, or one of them; only the cooldown reads it). The cooldown message rounds the remaining
 * time **up** to whole hours: 22 h 30 min left → `Available in 23 hour(s)`.
 */
export function availability(
  reward: RedeemRules,
  redeemedAt: string[],
  now: Date,
  timeZone: string,
  storedLastRedeemedAt: string | null = null,
): Availability {
  if (reward.status !== 'Active') {
    return { ...ok, canRedeem: false, cooldownMessage: 'Reward is not active', reason: 'inactive' };
  }
  if (reward.maxRedemptionsPerDay !== null) {
    const today = localDateOf(now, timeZone);
    const todays = redeemedAt.filter((at) => localDateOf(at, timeZone) === today).length;
    if (todays >= reward.maxRedemptionsPerDay) {
      return {
        ...ok,
        canRedeem: false,
        cooldownMessage: 'Daily redemption limit reached',
        reason: 'daily_limit',
      };
    }
  }
  const last = lastRedeemedAt([
    ...redeemedAt,
    ...(storedLastRedeemedAt ? [storedLastRedeemedAt] : []),
  ]);
  if (reward.cooldownHours && last !== null) {
    const until = Date.parse(last) + reward.cooldownHours * HOUR_MS;
    if (now.getTime() < until) {
      const hours = Math.ceil((until - now.getTime()) / HOUR_MS);
      return {
        canRedeem: false,
        cooldownMessage: `Available in ${hours} hour(s)`,
        reason: 'cooldown',
        availableAt: new Date(until).toISOString(),
      };
    }
  }
  return ok;
}

/** The latest of `redeemedAt` (fixed-width ISO instants sort as strings), or null. */
export function lastRedeemedAt(redeemedAt: string[]): string | null {
  return redeemedAt.reduce<string | null>((max, at) => (max === null || at > max ? at : max), null);
}
