/**
 * Records that live under a parent entity: metric logs and milestones, habit logs, cached metric
 * insights, goal activity and reward redemptions. Each is validated with its domain's create
 * schema where the API has one (`MetricLogCreate`, `HabitLogCreate`, `MetricMilestoneCreate`,
 * `MetricInsightCreate`, `GoalActivityCreate`, the redemption's `RedeemBody`), needs its parent
 * to be the user's, keeps its id and timestamps, and is stored with its domain's item mapping.
 *
 * Habit logs follow §e.10: a date-only `completedAt` (as the front end stores it) *is* the local
 * date the log counts for, stored at 12:00 local time; a log on a day after today is refused, as
 * `POST /habits/{id}/logs` refuses it.
 */
import type { z } from '@hono/zod-openapi';
import type { UserCtx } from '../../api/deps.js';
import { GoalActivityCreate } from '../../api/schemas/goals.js';
import { HabitLogCreate } from '../../api/schemas/habits.js';
import {
  MetricInsightCreate,
  MetricLogCreate,
  MetricMilestoneCreate,
  type MetricInsightT,
} from '../../api/schemas/metrics.js';
import { RedeemBody, type RewardRedemptionT } from '../../api/schemas/rewards.js';
import { childPk, keys, type EntityType } from '../../db/keys.js';
import { cond, queryAll, type Item } from '../../db/table.js';
import { isLocalDate, localDateOf, toInstant, todayIn } from '../../utils/dates.js';
import { activityItem } from '../goals/model.js';
import { habitLogItem } from '../habits/logs.js';
import { insightItem } from '../metrics/insights.js';
import { metricLogItem } from '../metrics/items.js';
import { milestoneItem, milestonePoints } from '../metrics/milestones.js';
import { redemptionItem } from '../rewards/model.js';
import type { Known } from './relations.js';
import { instantOf, issuesText, validId, withoutNulls, type RawCollection } from './parse.js';
import type { ImportReport } from './report.js';
import { holds, keyOf, storedByKey, type WriteGroup } from './write.js';

/** A child record ready to store. */
export interface PlannedChild {
  /** The dump key it came from. */
  collection: string;
  id: string;
  /** The item to store. */
  item: Item;
  /** The fields compared with a stored copy (its API fields). */
  fields: Record<string, unknown>;
  /** The entity whose derived state it feeds (a metric's log summary, a habit's streaks). */
  parent: { type: EntityType; id: string };
  /**
   * How a stored copy is found: by `id` — it moves to another key when the time in its key
   * changed — or by `key`, which its id alone determines (an insight) or which is one per
   * (metric, type, value) whatever the id (a milestone).
   */
  foundBy: 'id' | 'key';
  /** Recorded once and never replaced (a milestone). */
  once?: true;
}

/** What a child mapper needs. */
export interface ChildContext {
  ctx: UserCtx;
  timeZone: string;
  now: string;
  known: Known;
  report: ImportReport;
}

type Mapped = Omit<PlannedChild, 'collection' | 'id'>;
type ChildMapper = (value: Record<string, unknown>, id: string, c: ChildContext) => Mapped;

/** A failure of a child record, with its reason. */
class Refused extends Error {}

/** Parses `input` with `schema`. @throws Refused with the issues */
function parse<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const parsed = schema.safeParse(input);
  if (!parsed.success) throw new Refused(issuesText(parsed.error));
  return parsed.data;
}

/** The parent id of a child, which must be an entity of `type` the user has. @throws Refused */
function parentOf(value: unknown, type: EntityType, c: ChildContext): string {
  const id = validId(value);
  if (!id) throw new Refused(`invalid parent id ${JSON.stringify(value)}`);
  if (c.known.ids.get(type)?.has(id)) return id;
  const name = type.toLowerCase();
  throw new Refused(
    c.known.failed.get(type)?.has(id)
      ? `${name} ${id} was not imported`
      : `relation to a missing id: ${name} ${id} does not exist`,
  );
}

/** An instant field of a child: its value, or `fallback` when absent. @throws Refused when invalid */
function instant(value: unknown, field: string, c: ChildContext, fallback: string): string {
  const parsed = instantOf(value, c.timeZone);
  if (parsed === undefined) throw new Refused(`${field} ${JSON.stringify(value)} is not a date`);
  return parsed ?? fallback;
}

const MAPPERS: Record<
  | 'metricLogs'
  | 'habitLogs'
  | 'metricMilestones'
  | 'metricInsights'
  | 'goalActivities'
  | 'rewardRedemptions',
  ChildMapper
> = {
  metricLogs(value, id, c) {
    const metricId = parentOf(value.metricId, 'METRIC', c);
    const loggedAt = instant(value.loggedAt, 'loggedAt', c, c.now);
    const input = parse(
      MetricLogCreate,
      withoutNulls({ value: value.value, loggedAt, note: value.note ?? value.notes }),
    );
    const log = {
      id,
      metricId,
      userId: c.ctx.userId,
      value: input.value,
      loggedAt: input.loggedAt ?? loggedAt,
      note: input.note ?? null,
      createdAt: instant(value.createdAt, 'createdAt', c, loggedAt),
    };
    return {
      item: metricLogItem(log),
      fields: log,
      parent: { type: 'METRIC', id: metricId },
      foundBy: 'id',
    };
  },
  habitLogs(value, id, c) {
    const habitId = parentOf(value.habitId, 'HABIT', c);
    const dateOnly = typeof value.completedAt === 'string' && isLocalDate(value.completedAt);
    const completedAt = instant(value.completedAt, 'completedAt', c, c.now);
    const localDate =
      typeof value.date === 'string' && isLocalDate(value.date) && !dateOnly
        ? value.date
        : dateOnly
          ? (value.completedAt as string)
          : localDateOf(completedAt, c.timeZone);
    if (localDate > todayIn(c.ctx.clock, c.timeZone)) {
      throw new Refused(`completed on ${localDate}, after today in your time zone`);
    }
    const input = parse(
      HabitLogCreate,
      withoutNulls({ completedAt, amount: value.amount, notes: value.notes }),
    );
    const log = {
      id,
      habitId,
      userId: c.ctx.userId,
      completedAt,
      localDate,
      amount: input.amount ?? null,
      notes: input.notes ?? null,
      createdAt: instant(value.createdAt, 'createdAt', c, completedAt),
    };
    return {
      item: habitLogItem(log),
      fields: log,
      parent: { type: 'HABIT', id: habitId },
      foundBy: 'id',
    };
  },
  metricMilestones(value, id, c) {
    const metricId = parentOf(value.metricId, 'METRIC', c);
    const achievedAt = instant(value.achievedAt, 'achievedAt', c, c.now);
    const input = parse(
      MetricMilestoneCreate,
      withoutNulls({ ...value, id, metricId, achievedAt }),
    );
    const milestone = {
      id,
      metricId,
      type: input.type,
      value: input.value,
      achievedAt,
      pointsAwarded: input.pointsAwarded ?? milestonePoints(input.type, input.value),
      rewardId: input.rewardId ?? null,
    };
    return {
      item: milestoneItem(c.ctx, milestone),
      fields: milestone,
      parent: { type: 'METRIC', id: metricId },
      foundBy: 'key',
      once: true,
    };
  },
  metricInsights(value, id, c) {
    const metricId = parentOf(value.metricId, 'METRIC', c);
    const cachedAt = instant(value.cachedAt, 'cachedAt', c, c.now);
    const expiresAt = instant(
      value.expiresAt,
      'expiresAt',
      c,
      toInstant(new Date(Date.parse(cachedAt) + 86_400_000)),
    );
    const input = parse(
      MetricInsightCreate,
      withoutNulls({ ...value, id, metricId, cachedAt, expiresAt }),
    );
    const insight: MetricInsightT = {
      id,
      metricId,
      type: input.type,
      title: input.title,
      description: input.description,
      confidence: input.confidence,
      cachedAt,
      expiresAt,
    };
    return {
      item: insightItem(c.ctx.userId, insight),
      fields: insight,
      parent: { type: 'METRIC', id: metricId },
      foundBy: 'key',
    };
  },
  goalActivities(value, id, c) {
    const goalId = parentOf(value.goalId, 'GOAL', c);
    const input = parse(GoalActivityCreate, withoutNulls(value));
    const activity = {
      id,
      goalId,
      type: input.type,
      title: input.title,
      description: input.description ?? null,
      entityType: input.entityType ?? null,
      entityId: input.entityId ?? null,
      createdAt: instant(value.createdAt, 'createdAt', c, c.now),
    };
    // Stored with the related entity's type as `relatedEntityType` (see `activityItem`).
    const { entityType, ...rest } = activity;
    return {
      item: activityItem(c.ctx.userId, activity),
      fields: { ...rest, relatedEntityType: entityType },
      parent: { type: 'GOAL', id: goalId },
      foundBy: 'id',
    };
  },
  rewardRedemptions(value, id, c) {
    const rewardId = parentOf(value.rewardId, 'REWARD', c);
    const input = parse(RedeemBody, withoutNulls({ notes: value.notes }));
    const points = value.pointsSpent;
    if (typeof points !== 'number' || !Number.isInteger(points) || points < 0) {
      throw new Refused(`pointsSpent ${JSON.stringify(points)} is not a whole number of points`);
    }
    const redemption: RewardRedemptionT = {
      id,
      rewardId,
      userId: c.ctx.userId,
      pointsSpent: points,
      redeemedAt: instant(value.redeemedAt, 'redeemedAt', c, c.now),
      notes: input.notes ?? null,
    };
    const transactionId = validId(value.transactionId);
    return {
      item: redemptionItem(c.ctx.userId, redemption, transactionId),
      fields: { ...redemption, transactionId },
      parent: { type: 'REWARD', id: rewardId },
      foundBy: 'id',
    };
  },
};

/** The child collections, by their name in `parse.ts`. */
export type ChildCollection = keyof typeof MAPPERS;

/** The child collections in the order they are written. */
export const CHILD_COLLECTIONS = Object.keys(MAPPERS) as ChildCollection[];

/**
 * Maps the records of child collection `name`. Records with an invalid or repeated id, an
 * unknown parent, or that fail their schema are reported as failed and left out.
 */
export function mapChildren(
  name: ChildCollection,
  collection: RawCollection,
  c: ChildContext,
): PlannedChild[] {
  const planned: PlannedChild[] = [];
  const seen = new Set<string>();
  for (const { key, value } of collection.records) {
    const raw = value.id ?? key;
    const id = validId(raw);
    if (!id || seen.has(id)) {
      c.report.fail(
        collection.key,
        String(raw),
        id ? 'the id appears twice' : `invalid id ${JSON.stringify(raw)}`,
      );
      continue;
    }
    seen.add(id);
    try {
      planned.push({ collection: collection.key, id, ...MAPPERS[name](value, id, c) });
    } catch (err) {
      if (!(err instanceof Refused)) throw err;
      c.report.fail(collection.key, id, err.message);
    }
  }
  return planned;
}

/**
 * The stored copies of `children`: those found by id — metric and habit logs (one query of the
 * user's GSI1 log partition each), goal activity and redemptions (one query per stored parent)
 * — by `id:{kind}:{id}`, and those found by key (one batch read) by `key:{pk}|{sk}`.
 */
async function storedChildren(
  ctx: UserCtx,
  stored: Map<EntityType, Map<string, unknown>>,
  children: PlannedChild[],
): Promise<Map<string, Item>> {
  const found = new Map<string, Item>();
  const byId = (items: Item[]) => {
    for (const item of items) found.set(`id:${String(item.entityType)}:${String(item.id)}`, item);
  };
  const kinds = new Set(children.map((c) => String(c.item.entityType)));
  for (const kind of ['METRICLOG', 'HABITLOG'] as const) {
    if (kinds.has(kind)) {
      byId(await queryAll(ctx.db, { index: 'GSI1', pk: keys.childIndexPk(ctx.userId, kind) }));
    }
  }
  const parents = new Map<string, { type: EntityType; id: string }>();
  for (const { parent, foundBy } of children) {
    const partitioned = parent.type === 'GOAL' || parent.type === 'REWARD';
    if (foundBy === 'id' && partitioned && stored.get(parent.type)?.has(parent.id)) {
      parents.set(`${parent.type}:${parent.id}`, parent);
    }
  }
  for (const { type, id } of parents.values()) {
    const prefix = type === 'GOAL' ? keys.goalActivityPrefix : keys.redemptionPrefix;
    byId(await queryAll(ctx.db, { pk: childPk(ctx.userId, type, id), sk: { beginsWith: prefix } }));
  }
  const byKey = children.filter((c) => c.foundBy === 'key').map((c) => c.item);
  for (const [key, item] of await storedByKey(ctx.db, byKey)) found.set(`key:${key}`, item);
  return found;
}

/**
 * The writes of child records: the new ones, and the changed ones — moved to their new key when
 * the time in it changed, unless recorded once (a milestone already recorded for its metric,
 * type and value stays as it is). Unchanged ones are counted here.
 */
export async function childWrites(
  ctx: UserCtx,
  stored: Map<EntityType, Map<string, unknown>>,
  children: PlannedChild[],
  report: ImportReport,
): Promise<WriteGroup[]> {
  const found = await storedChildren(ctx, stored, children);
  const groups: WriteGroup[] = [];
  for (const child of children) {
    const kind = String(child.item.entityType);
    const copy = found.get(
      child.foundBy === 'key' ? `key:${keyOf(child.item)}` : `id:${kind}:${child.id}`,
    );
    const sameKey = copy !== undefined && keyOf(copy) === keyOf(child.item);
    if (copy && (child.once || (sameKey && holds(copy, child.fields)))) {
      report.count(child.collection, 'unchanged');
      continue;
    }
    groups.push({
      ops: [
        ...(copy && !sameKey ? [{ delete: { pk: copy.pk, sk: copy.sk } }] : []),
        { put: child.item, ...(copy ? {} : { condition: cond.notExists('pk') }) },
      ],
      records: [
        { collection: child.collection, id: child.id, outcome: copy ? 'updated' : 'created' },
      ],
      // A copy that moved away from another parent changes that parent's derived state too.
      touches: [child.parent, ...(copy ? [{ ...child.parent, id: parentIdOf(copy) }] : [])].map(
        (p) => `${p.type}:${p.id}`,
      ),
    });
  }
  return groups;
}

/** The parent id a stored child names (`metricId`, `habitId`, `goalId` or `rewardId`). */
function parentIdOf(item: Item): string {
  return String(item.metricId ?? item.habitId ?? item.goalId ?? item.rewardId);
}
