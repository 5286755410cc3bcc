/**
 * Habits (API_CONTRACT.md §b.6 H1–H5, §c.2 Habit): CRUD with the habit-loop fields (intent,
 * trigger, action, reward, friction up/down), daily and weekly targets, and goal links (§e.6).
 * Logs, stats, heatmap and today's list are in `logs.ts` and `stats.ts`.
 *
 * The goals domain reads habit items directly: `name`, `frequency`, `dailyTarget`,
 * `weeklyTarget`, `goalIds` and `createdAt` keep their names and types. `status` (Active, Paused,
 * Archived; default Active) is an extra the client ignores (§f.22): only Active habits are due
 * today.
 */
import type { UserCtx } from '../../api/deps.js';
import type {
  HabitCreateInput,
  HabitListQueryT,
  HabitT,
  HabitUpdateInput,
} from '../../api/schemas/habits.js';
import { fromItem, type EntityBase } from '../../db/models.js';
import { getEntity, listEntities } from '../../db/queries.js';
import type { Item } from '../../db/table.js';
import { nowInstant } from '../../utils/dates.js';
import { newId } from '../../utils/ids.js';
import { paginate, type PageSlice } from '../../utils/paging.js';
import {
  createLinked,
  deleteWithChildren,
  newestCreatedFirst,
  updateLinked,
} from '../entity-writes.js';

const TEXT_FIELDS = [
  'description',
  'intent',
  'trigger',
  'action',
  'reward',
  'frictionUp',
  'frictionDown',
  'notes',
] as const;

/** The API shape of a stored habit: storage attributes dropped, defaults filled. */
export function toHabit(item: Item): HabitT {
  const h = fromItem<Record<string, unknown>>(item);
  const text = Object.fromEntries(
    TEXT_FIELDS.map((f) => [f, (h[f] as string | null | undefined) ?? null]),
  ) as Record<(typeof TEXT_FIELDS)[number], string | null>;
  return {
    id: String(h.id),
    name: String(h.name),
    ...text,
    area: String(h.area),
    subCategory: (h.subCategory as string | null) ?? null,
    habitType: String(h.habitType),
    frequency: String(h.frequency),
    dailyTarget: (h.dailyTarget as number | null) ?? null,
    weeklyTarget: (h.weeklyTarget as number | null) ?? null,
    status: String(h.status ?? 'Active'),
    goalIds: (h.goalIds as string[] | undefined) ?? [],
    userId: String(h.userId),
    createdAt: String(h.createdAt),
    updatedAt: String(h.updatedAt),
  };
}

/** The user's habits, filtered by `area` / `status`, newest first, paged per §a.3 (one query). */
export async function listHabits(ctx: UserCtx, query: HabitListQueryT): Promise<PageSlice<HabitT>> {
  const habits = (await listEntities(ctx.db, ctx.userId, 'HABIT'))
    .map(toHabit)
    .filter(
      (h) => (!query.area || h.area === query.area) && (!query.status || h.status === query.status),
    )
    .sort(newestCreatedFirst);
  return paginate(habits, query);
}

/** One habit. @throws NotFoundError */
export async function getHabit(ctx: UserCtx, id: string): Promise<HabitT> {
  return toHabit(await getEntity(ctx.db, ctx.userId, 'HABIT', id));
}

/**
 * A new habit entity from create input (status Active unless given; targets null = 1); `base`
 * gives its id, owner and instants. Shared by {@link createHabit} and the import.
 */
export function newHabit(input: HabitCreateInput, base: EntityBase) {
  return {
    ...Object.fromEntries(TEXT_FIELDS.map((f) => [f, input[f] ?? null])),
    ...base,
    name: input.name,
    area: input.area,
    subCategory: input.subCategory ?? null,
    habitType: input.habitType,
    frequency: input.frequency,
    dailyTarget: input.dailyTarget ?? null,
    weeklyTarget: input.weeklyTarget ?? null,
    status: input.status ?? 'Active',
    goalIds: [...new Set(input.goalIds ?? [])],
  };
}

/**
 * Creates a habit (status Active unless given; targets null = 1). `goalIds` creates the links.
 * @throws NotFoundError for a goal the user does not have
 */
export async function createHabit(ctx: UserCtx, input: HabitCreateInput): Promise<HabitT> {
  const now = nowInstant(ctx.clock);
  const habit = newHabit(input, {
    id: newId(),
    userId: ctx.userId,
    createdAt: now,
    updatedAt: now,
  });
  return toHabit(await createLinked(ctx, 'HABIT', habit));
}

/**
 * Applies a partial update (`null` clears a nullable field); a changed `goalIds` relinks.
 * Streaks and stats follow from the new frequency and targets at once (they are computed on read).
 * @throws NotFoundError, ConflictError
 */
export async function updateHabit(
  ctx: UserCtx,
  id: string,
  patch: HabitUpdateInput,
): Promise<HabitT> {
  const changes = Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined));
  const item = await updateLinked(ctx, 'HABIT', id, (habit) => ({
    ...habit,
    ...changes,
    ...(patch.goalIds ? { goalIds: [...new Set(patch.goalIds)] } : {}),
    updatedAt: nowInstant(ctx.clock),
  }));
  return toHabit(item);
}

/** Deletes a habit with all its logs and goal links. @throws NotFoundError */
export async function deleteHabit(ctx: UserCtx, id: string): Promise<void> {
  await deleteWithChildren(ctx, 'HABIT', id);
}
