/**
 * Cached metric insights, the `/metricInsights` collection (API_CONTRACT.md §b.5 M15–M17,
 * §c.2 MetricInsight). The client saves what its AI panels produced with its own `id`,
 * `cachedAt` and `expiresAt` (+24 h); each insight is an item `METRICINSIGHT#{id}` in the user's
 * partition with `ttl` = `expiresAt` in epoch seconds, so DynamoDB removes it eventually. TTL
 * deletion is lazy (and the emulator never deletes), so every read filters on `expiresAt`
 * itself: an expired insight is never returned.
 */
import type { UserCtx } from '../../api/deps.js';
import type { MetricInsightCreateInput, MetricInsightT } from '../../api/schemas/metrics.js';
import { NotFoundError } from '../../core/errors.js';
import { keys, userPk } from '../../db/keys.js';
import { fromItem } from '../../db/models.js';
import { getEntity } from '../../db/queries.js';
import { ConditionFailedError, cond, queryAll, type Item, type Key } from '../../db/table.js';
import { nowInstant, toInstant } from '../../utils/dates.js';
import { newId } from '../../utils/ids.js';
import { paginate, type PageRequest, type PageSlice } from '../../utils/paging.js';

const DAY_MS = 24 * 60 * 60 * 1000;

/** The item of an insight, expiring (`ttl`, epoch seconds) at its `expiresAt`. */
export function insightItem(userId: string, insight: MetricInsightT): Item {
  return {
    ...insight,
    ...keys.metricInsight(userId, insight.id),
    userId,
    entityType: 'METRICINSIGHT',
    ttl: Math.floor(Date.parse(insight.expiresAt) / 1000),
  };
}

/** The API shape of a stored insight. */
export function toInsight(item: Item): MetricInsightT {
  const i = fromItem<Record<string, unknown>>(item);
  return {
    id: String(i.id),
    metricId: String(i.metricId),
    type: i.type as MetricInsightT['type'],
    title: String(i.title),
    description: String(i.description),
    confidence: Number(i.confidence),
    cachedAt: String(i.cachedAt),
    expiresAt: String(i.expiresAt),
  };
}

/** Every stored insight item of the user (expired ones included), optionally of one metric. */
async function insightItems(ctx: UserCtx, metricId?: string): Promise<Item[]> {
  return queryAll(ctx.db, {
    pk: userPk(ctx.userId),
    sk: { beginsWith: keys.metricInsightPrefix },
    ...(metricId ? { filter: cond.eq('metricId', metricId) } : {}),
  });
}

/**
 * The user's insights that have not expired (`expiresAt` after now), optionally only those of
 * `metricId`, most recently cached first, paged.
 */
export async function listInsights(
  ctx: UserCtx,
  request: PageRequest,
  metricId?: string,
): Promise<PageSlice<MetricInsightT>> {
  const now = nowInstant(ctx.clock);
  const live = (await insightItems(ctx, metricId))
    .map(toInsight)
    .filter((i) => i.expiresAt > now)
    .sort((a, b) => (a.cachedAt === b.cachedAt ? 0 : a.cachedAt < b.cachedAt ? 1 : -1));
  return paginate(live, request);
}

/**
 * Saves an insight about one of the user's metrics (`cachedAt` default now, `expiresAt` default
 * `cachedAt` + 24 h). Saving the same `id` again replaces it.
 * @throws NotFoundError when the user has no such metric
 */
export async function createInsight(
  ctx: UserCtx,
  input: MetricInsightCreateInput,
): Promise<MetricInsightT> {
  await getEntity(ctx.db, ctx.userId, 'METRIC', input.metricId);
  const cachedAt = input.cachedAt ?? nowInstant(ctx.clock);
  const expiresAt = input.expiresAt ?? toInstant(new Date(Date.parse(cachedAt) + DAY_MS));
  const insight: MetricInsightT = {
    id: input.id ?? newId(),
    metricId: input.metricId,
    type: input.type,
    title: input.title,
    description: input.description,
    confidence: input.confidence,
    cachedAt,
    expiresAt,
  };
  await ctx.db.put(insightItem(ctx.userId, insight));
  return insight;
}

/** Deletes one insight. @throws NotFoundError when the user has no insight with this id */
export async function deleteInsight(ctx: UserCtx, id: string): Promise<void> {
  try {
    await ctx.db.delete(keys.metricInsight(ctx.userId, id), cond.exists('pk'));
  } catch (err) {
    if (err instanceof ConditionFailedError) throw new NotFoundError('Metric insight', id);
    throw err;
  }
}

/** Keys of the user's insights about `metricId` (deleted with the metric). */
export async function insightKeysOf(ctx: UserCtx, metricId: string): Promise<Key[]> {
  return (await insightItems(ctx, metricId)).map((i) => ({ pk: String(i.pk), sk: String(i.sk) }));
}
