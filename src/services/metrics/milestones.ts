/**
 * Metric milestones (API_CONTRACT.md §e.9; §b.5 M10, M13, M14), detected after every log.
 *
 * | type           | reached when (local days in the user's zone)                     | value         | points                         |
 * |----------------|------------------------------------------------------------------|---------------|--------------------------------|
 * | target_reached | progress vs target ≥ 100 % (`targetProgress`, direction-aware)   | targetValue   | round(200 × (1.5 if t > 100, 1.2 if t > 50, else 1)) |
 * | streak         | consecutive logged days ending today ≥ 7 / 30 / 100              | 7 / 30 / 100  | 50 per day (350 / 1500 / 5000) |
 * | improvement    | improvement of the latest value over the first ≥ 10 / 25 / 50 %  | 10 / 25 / 50  | 20 per percent (200 / 500 / 1000) |
 * | consistency    | distinct logged days among the last N (today included) ≥ N, N = 7 / 30 | 7 / 30  | 25 per day (175 / 750)         |
 *
 * Decisions where §e.9 is silent: every threshold reached counts (a first detection at a 35-day
 * streak records both 7 and 30); the streak uses the habits' rule (`habitStreaks`, Daily: a
 * today not yet logged does not break it); improvement is direction-aware — Higher:
 * (last − first) / |first|, Lower: (first − last) / |first|, Target: the share of the first
 * value's distance to the target that has been closed — and needs two logs and a non-zero base.
 *
 * Each milestone is one item at `MILESTONE#{type}#{value}` in the metric's partition, written with
 * a conditional put together with the metric's `milestoneCount` (and version) — so it exists once
 * per (metric, type, value) whoever records it, the server on a log or the client through
 * `POST /metricMilestones`.
 *
 * Points, exactly once in total: a server-detected milestone is paid in the same transaction as
 * its conditional put (an `earn` entry, source `manual`) while `AWARD_MILESTONE_POINTS` is true —
 * the default. The shipped client (`MetricMilestoneSystem`) detects after its log list changes,
 * lists `/metricMilestones` and pays (`/wallet/add`) only for milestones not listed yet; since
 * the server records a milestone on the log itself, before the client looks, the client never
 * pays for it — so the server must, or nobody would. A client that pays anyway (it posts the
 * milestone, then `/wallet/add` with the §e.9 description) is answered with the server's own
 * payment instead of a second credit (`claimServerPaidMilestone` in the wallet service), so either
 * way the milestone pays once. `AWARD_MILESTONE_POINTS=false` is for a client that records and
 * pays for itself. Milestones posted by a client are never paid by the server.
 */
import type { UserCtx } from '../../api/deps.js';
import type { MetricMilestoneCreateInput, MetricMilestoneT } from '../../api/schemas/metrics.js';
import { ConflictError, NotFoundError } from '../../core/errors.js';
import { childPk, keys } from '../../db/keys.js';
import { fromItem } from '../../db/models.js';
import { getEntity } from '../../db/queries.js';
import {
  TransactionCanceledError,
  cond,
  queryAll,
  type Item,
  type TransactOp,
} from '../../db/table.js';
import { addDays, localDateOf, nowInstant, startOfLocalDay, todayIn } from '../../utils/dates.js';
import { newId } from '../../utils/ids.js';
import { paginate, type PageRequest, type PageSlice } from '../../utils/paging.js';
import { habitStreaks } from '../habits/streaks.js';
import { timeZoneOf } from '../profile.js';
import { ledgerOps } from '../wallet.js';
import { targetProgress } from './targets.js';

/** A milestone type (§c.1 MetricMilestoneType). */
export type MilestoneType = MetricMilestoneT['type'];

/** A milestone a metric has reached. */
export interface MilestoneHit {
  type: MilestoneType;
  value: number;
  /** Its worth in points by the §e.9 table (an integer). */
  points: number;
}

const STREAK_DAYS = [7, 30, 100];
const IMPROVEMENT_PERCENTS = [10, 25, 50];
const CONSISTENCY_DAYS = [7, 30];
/** Local days of logs detection reads: the longest streak threshold, plus an open today. */
export const DETECTION_WINDOW_DAYS = 100;

/** The worth of milestone `type`/`value` in points (§e.9 table, its "other" rules included). */
export function milestonePoints(type: MilestoneType, value: number): number {
  if (type === 'target_reached') {
    return Math.round(200 * (value > 100 ? 1.5 : value > 50 ? 1.2 : 1.0));
  }
  const perUnit = { streak: 50, improvement: 20, consistency: 25 }[type];
  return Math.max(0, Math.round(perUnit * value));
}

/** What detection reads of a metric after a log. */
export interface MilestoneInput {
  direction: string;
  targetValue: number | null;
  /** Value of the latest log by `loggedAt`. */
  latestValue: number | null;
  /** Value of the earliest log by `loggedAt`. */
  firstValue: number | null;
  logCount: number;
  /** Local dates with at least one log, at least those of the last 100 days before `today`. */
  loggedDates: string[];
  /** Today's local date in the user's zone. */
  today: string;
}

/** Improvement in percent from `first` to `last`, by direction (see the module comment); null when undefined. */
export function improvementPercent(
  direction: string,
  first: number,
  last: number,
  target: number | null,
): number | null {
  if (direction === 'Target') {
    if (target === null || first === target) return null;
    const gap = Math.abs(first - target);
    return ((gap - Math.abs(last - target)) / gap) * 100;
  }
  if (first === 0) return null;
  const change = direction === 'Lower' ? first - last : last - first;
  return (change / Math.abs(first)) * 100;
}

/** Every milestone the metric has reached now (recorded or not), by the §e.9 rules. */
export function detectMilestones(input: MilestoneInput): MilestoneHit[] {
  const hits: { type: MilestoneType; value: number }[] = [];
  const { direction, targetValue, latestValue, firstValue } = input;
  if (targetValue !== null && targetProgress(direction, latestValue, targetValue) >= 100) {
    hits.push({ type: 'target_reached', value: targetValue });
  }
  const days = input.loggedDates.map((date) => ({ date, amount: null }));
  const streak = habitStreaks({ frequency: 'Daily' }, days, input.today).current;
  for (const length of STREAK_DAYS)
    if (streak >= length) hits.push({ type: 'streak', value: length });
  if (input.logCount >= 2 && firstValue !== null && latestValue !== null) {
    const percent = improvementPercent(direction, firstValue, latestValue, targetValue);
    for (const threshold of IMPROVEMENT_PERCENTS) {
      if (percent !== null && percent >= threshold) {
        hits.push({ type: 'improvement', value: threshold });
      }
    }
  }
  const logged = new Set(input.loggedDates);
  for (const n of CONSISTENCY_DAYS) {
    const window = Array.from({ length: n }, (_, i) => addDays(input.today, -i));
    if (window.every((d) => logged.has(d))) hits.push({ type: 'consistency', value: n });
  }
  return hits.map((h) => ({ ...h, points: milestonePoints(h.type, h.value) }));
}

// ---- storage --------------------------------------------------------------------------------

/** The API shape of a stored milestone. */
export function toMilestone(item: Item): MetricMilestoneT {
  const m = fromItem<Record<string, unknown>>(item);
  return {
    id: String(m.id),
    metricId: String(m.metricId),
    type: m.type as MilestoneType,
    value: Number(m.value),
    achievedAt: String(m.achievedAt),
    pointsAwarded: Number(m.pointsAwarded ?? 0),
    rewardId: (m.rewardId as string | null | undefined) ?? null,
  };
}

/** The item of a milestone: one per (metric, type, value), and in the user's GSI1 milestone partition. */
export function milestoneItem(ctx: UserCtx, milestone: MetricMilestoneT): Item {
  const { metricId, type, value, achievedAt } = milestone;
  return {
    ...milestone,
    userId: ctx.userId,
    createdAt: nowInstant(ctx.clock),
    ...keys.metricMilestone(ctx.userId, metricId, type, value),
    ...keys.childIndex(ctx.userId, 'METRICMILESTONE', `${achievedAt}#${metricId}#${type}#${value}`),
    entityType: 'METRICMILESTONE',
  };
}

/**
 * Records `milestone` unless its (metric, type, value) already exists: one transaction of the
 * conditional put, the metric's `milestoneCount` + 1 (and version + 1), and — when `pay` — the
 * ledger entry and balance of its `pointsAwarded`.
 * @returns the stored milestone (the earlier one when it already existed) and whether it is new.
 * @throws NotFoundError when the metric no longer exists
 */
async function recordMilestone(
  ctx: UserCtx,
  milestone: MetricMilestoneT,
  pay: boolean,
): Promise<{ milestone: MetricMilestoneT; created: boolean }> {
  const { metricId, type, value } = milestone;
  const key = keys.metricMilestone(ctx.userId, metricId, type, value);
  const ledger =
    pay && milestone.pointsAwarded > 0
      ? ledgerOps(ctx, {
          type: 'earn',
          source: 'manual',
          amount: milestone.pointsAwarded,
          description: `Milestone achieved: ${type} for metric`,
          sourceEntityType: null,
          sourceEntityId: metricId,
        })
      : null;
  const item = milestoneItem(ctx, milestone);
  const ops: TransactOp[] = [
    {
      put: ledger
        ? {
            ...item,
            transactionId: ledger.transaction.id,
            transactionCreatedAt: ledger.transaction.createdAt,
          }
        : item,
      condition: cond.notExists('pk'),
    },
    {
      update: keys.entity(ctx.userId, 'METRIC', metricId),
      spec: {
        add: { milestoneCount: 1, version: 1 },
        set: { updatedAt: nowInstant(ctx.clock) },
        condition: cond.exists('pk'),
      },
    },
    ...(ledger?.ops ?? []),
  ];
  try {
    await ctx.db.transactWrite(ops);
    return { milestone, created: true };
  } catch (err) {
    if (!(err instanceof TransactionCanceledError)) throw err;
    if (err.failedAt(1)) throw new NotFoundError('Metric', metricId);
    const existing = err.failedAt(0) ? await ctx.db.get(key) : null;
    if (!existing) throw err;
    return { milestone: toMilestone(existing), created: false };
  }
}

/**
 * Detects the milestones `metric` (its item right after a log) has reached and records the new
 * ones, paying them only with `AWARD_MILESTONE_POINTS`. Reads the recorded milestones, the logs
 * of the last 100 local days and the first log (three queries, bounded however long the series).
 * @returns the milestones recorded now.
 */
export async function recordDetectedMilestones(
  ctx: UserCtx,
  metric: Item,
): Promise<MetricMilestoneT[]> {
  const metricId = String(metric.id);
  const pk = childPk(ctx.userId, 'METRIC', metricId);
  const timeZone = await timeZoneOf(ctx);
  const today = todayIn(ctx.clock, timeZone);
  const since = startOfLocalDay(addDays(today, -DETECTION_WINDOW_DAYS), timeZone);
  const [recorded, recent, first] = await Promise.all([
    queryAll(ctx.db, { pk, sk: { beginsWith: keys.milestonePrefix } }),
    queryAll(ctx.db, { pk, sk: { between: [keys.logBound(since), keys.logBound('~')] } }),
    ctx.db.query({ pk, sk: { beginsWith: keys.logPrefix }, limit: 1 }),
  ]);
  const hits = detectMilestones({
    direction: String(metric.direction),
    targetValue: (metric.targetValue as number | null | undefined) ?? null,
    latestValue: (metric.currentValue as number | null | undefined) ?? null,
    firstValue: first.items[0] ? Number(first.items[0].value) : null,
    logCount: Number(metric.logCount ?? 0),
    loggedDates: [...new Set(recent.map((log) => localDateOf(String(log.loggedAt), timeZone)))],
    today,
  });
  const known = new Set(recorded.map((m) => `${String(m.type)}#${Number(m.value)}`));
  const achievedAt = nowInstant(ctx.clock);
  const created: MetricMilestoneT[] = [];
  for (const hit of hits.filter((h) => !known.has(`${h.type}#${h.value}`))) {
    const milestone: MetricMilestoneT = {
      id: newId(),
      metricId,
      type: hit.type,
      value: hit.value,
      achievedAt,
      pointsAwarded: hit.points,
      rewardId: null,
    };
    const result = await recordMilestone(ctx, milestone, ctx.settings.AWARD_MILESTONE_POINTS);
    if (result.created) created.push(result.milestone);
  }
  return created;
}

/**
 * @throws ConflictError when another of the user's milestones — not the one of `milestone`'s
 *   (metric, type, value), which a repeat may name again — already has the id `id`.
 */
async function assertIdFree(
  ctx: UserCtx,
  id: string,
  milestone: Pick<MetricMilestoneT, 'metricId' | 'type' | 'value'>,
): Promise<void> {
  const all = await queryAll(ctx.db, {
    index: 'GSI1',
    pk: keys.childIndexPk(ctx.userId, 'METRICMILESTONE'),
  });
  const same = (m: Item) =>
    m.metricId === milestone.metricId && m.type === milestone.type && m.value === milestone.value;
  if (all.some((m) => m.id === id && !same(m))) {
    throw new ConflictError(`Another milestone already has the id ${id}`, { id });
  }
}

/**
 * `POST /metricMilestones`: records the client's milestone (its `id` kept, `achievedAt` default
 * now, `pointsAwarded` default the §e.9 worth), idempotent on (metricId, type, value): a repeat
 * returns the milestone already stored. Never pays (the client credits through `/wallet/add`).
 * A client id must not name another of the user's milestones (one GSI1 query when given).
 * @throws NotFoundError when the user has no such metric; ConflictError when the id is taken
 */
export async function createMilestone(
  ctx: UserCtx,
  input: MetricMilestoneCreateInput,
): Promise<MetricMilestoneT> {
  await getEntity(ctx.db, ctx.userId, 'METRIC', input.metricId);
  if (input.id !== undefined) await assertIdFree(ctx, input.id, input);
  const milestone: MetricMilestoneT = {
    id: input.id ?? newId(),
    metricId: input.metricId,
    type: input.type,
    value: input.value,
    achievedAt: input.achievedAt ?? nowInstant(ctx.clock),
    pointsAwarded: input.pointsAwarded ?? milestonePoints(input.type, input.value),
    rewardId: input.rewardId ?? null,
  };
  return (await recordMilestone(ctx, milestone, false)).milestone;
}

const newestAchievedFirst = (a: MetricMilestoneT, b: MetricMilestoneT) =>
  a.achievedAt === b.achievedAt ? 0 : a.achievedAt < b.achievedAt ? 1 : -1;

/** A metric's milestones, newest first, paged. @throws NotFoundError */
export async function listMilestones(
  ctx: UserCtx,
  metricId: string,
  request: PageRequest,
): Promise<PageSlice<MetricMilestoneT>> {
  await getEntity(ctx.db, ctx.userId, 'METRIC', metricId);
  const items = await queryAll(ctx.db, {
    pk: childPk(ctx.userId, 'METRIC', metricId),
    sk: { beginsWith: keys.milestonePrefix },
  });
  return paginate(items.map(toMilestone).sort(newestAchievedFirst), request);
}

/** Every milestone of the user across metrics, newest first (one GSI1 query), paged. */
export async function listAllMilestones(
  ctx: UserCtx,
  request: PageRequest,
): Promise<PageSlice<MetricMilestoneT>> {
  const items = await queryAll(ctx.db, {
    index: 'GSI1',
    pk: keys.childIndexPk(ctx.userId, 'METRICMILESTONE'),
    forward: false,
  });
  return paginate(items.map(toMilestone), request);
}
