/**
 * Habit logs (API_CONTRACT.md §b.6 H6–H8, §c.2 HabitLog, §e.10) on the user's local calendar.
 *
 * A log is an item at `LOG#{localDate}#{logId}` in the habit's partition, also in the user's GSI1
 * partition `USER#{u}#HABITLOG` ordered by `{localDate}#{habitId}#{logId}` (today's logs of every
 * habit in one query). Its shape, read directly by the goals domain: `{id, habitId, userId,
 * completedAt, localDate, amount, notes, createdAt}`. `localDate` is the local date in the user's
 * zone *when the log is written*; a later change of zone does not move old logs.
 *
 * Every log write or delete bumps the habit's `version` in the same transaction, so deleting the
 * habit (children first, then the habit conditioned on its version) never leaves a log behind.
 */
import type { UserCtx } from '../../api/deps.js';
import type { HabitLogCreateInput, HabitLogQueryT, HabitLogT } from '../../api/schemas/habits.js';
import { NotFoundError, ValidationError } from '../../core/errors.js';
import { childPk, keys } from '../../db/keys.js';
import { getEntity } from '../../db/queries.js';
import {
  MAX_TRANSACT_ITEMS,
  TransactionCanceledError,
  cond,
  queryAll,
  type Item,
  type TransactOp,
} from '../../db/table.js';
import {
  instantAtLocalTime,
  localDateOf,
  nowInstant,
  todayIn,
  type Clock,
} from '../../utils/dates.js';
import { newId } from '../../utils/ids.js';
import { paginate, type PageSlice } from '../../utils/paging.js';
import { onGoalInputsChanged } from '../goal-progress.js';
import { linkedIds } from '../links.js';
import { timeZoneOf } from '../profile.js';

/** A habit log as stored. */
export interface StoredHabitLog {
  id: string;
  habitId: string;
  userId: string;
  /** Instant, fixed-width ISO. */
  completedAt: string;
  /** `YYYY-MM-DD` in the user's zone when the log was written. */
  localDate: string;
  /** null counts as 1. */
  amount: number | null;
  notes: string | null;
  createdAt: string;
}

/** The API shape of a stored log (`date` = its local date). */
export function toHabitLog(item: Item | StoredHabitLog): HabitLogT {
  return {
    id: String(item.id),
    habitId: String(item.habitId),
    completedAt: String(item.completedAt),
    amount: (item.amount as number | null | undefined) ?? null,
    notes: (item.notes as string | null | undefined) ?? null,
    userId: String(item.userId),
    createdAt: String(item.createdAt),
    date: String(item.localDate),
  };
}

/** The item of a log: in its habit's partition and in the user's GSI1 habit-log partition. */
export function habitLogItem(log: StoredHabitLog): Item {
  return {
    ...log,
    ...keys.habitLog(log.userId, log.habitId, log.localDate, log.id),
    ...keys.childIndex(log.userId, 'HABITLOG', `${log.localDate}#${log.habitId}#${log.id}`),
    entityType: 'HABITLOG',
  };
}

/**
 * Writes `ops` in one transaction with a bump of the habit's version.
 * @throws NotFoundError when the habit no longer exists
 */
async function writeWithHabit(ctx: UserCtx, habitId: string, ops: TransactOp[]): Promise<void> {
  try {
    await ctx.db.transactWrite([
      {
        update: keys.entity(ctx.userId, 'HABIT', habitId),
        spec: { add: { version: 1 }, condition: cond.exists('pk') },
      },
      ...ops,
    ]);
  } catch (err) {
    if (err instanceof TransactionCanceledError && err.failedAt(0)) {
      throw new NotFoundError('Habit', habitId);
    }
    throw err;
  }
}

/**
 * When a new log happened and which local date it counts for (§e.10):
 * - `completedAt` given: that instant, on its local date in `timeZone` (exact);
 * - `date` given (the shipped client sends the **UTC** calendar day of the moment it means):
 *   when `date` is today's UTC date the moment was "now", so the log is now, on today's local
 *   date — e.g. a Los Angeles user at 20:00 on July 13 sends "2026-07-14" (already July 14 in
 *   UTC) and logs July 13; any other `date` is taken as the local date itself, at 12:00 local
 *   time (noon stays on that date in every zone, DST days included);
 * - neither: now, on today's local date.
 */
export function completionOf(
  input: Pick<HabitLogCreateInput, 'completedAt' | 'date'>,
  timeZone: string,
  clock: Clock,
): { completedAt: string; localDate: string } {
  const now = nowInstant(clock);
  if (input.completedAt) {
    return { completedAt: input.completedAt, localDate: localDateOf(input.completedAt, timeZone) };
  }
  if (input.date && input.date !== todayIn(clock, 'UTC')) {
    return {
      completedAt: instantAtLocalTime(input.date, '12:00', timeZone),
      localDate: input.date,
    };
  }
  return { completedAt: now, localDate: todayIn(clock, timeZone) };
}

/**
 * Logs a completion (see {@link completionOf} for its time and local date); `amount` null counts
 * as 1 toward the day's target. Several logs on one day are kept (they add up, but never count the
 * day twice). Then tells the linked goals (`habit_logged`).
 * @throws NotFoundError when the user has no such habit; ValidationError for a local date after
 * today
 */
export async function addHabitLog(
  ctx: UserCtx,
  habitId: string,
  input: HabitLogCreateInput,
): Promise<HabitLogT> {
  const habit = await getEntity(ctx.db, ctx.userId, 'HABIT', habitId);
  const timeZone = await timeZoneOf(ctx);
  const { completedAt, localDate } = completionOf(input, timeZone, ctx.clock);
  if (localDate > todayIn(ctx.clock, timeZone)) {
    const field = input.completedAt ? 'completedAt' : 'date';
    throw new ValidationError(`A habit cannot be completed on a future day (${localDate})`, [
      {
        loc: ['body', field],
        msg: 'must not be after today in your time zone',
        type: 'value_error',
      },
    ]);
  }
  const log: StoredHabitLog = {
    id: newId(),
    habitId,
    userId: ctx.userId,
    completedAt,
    localDate,
    amount: input.amount ?? null,
    notes: input.notes ?? null,
    createdAt: nowInstant(ctx.clock),
  };
  await writeWithHabit(ctx, habitId, [{ put: habitLogItem(log), condition: cond.notExists('pk') }]);
  await onGoalInputsChanged(ctx, linkedIds(habit, 'GOAL'), {
    kind: 'habit_logged',
    entityType: 'habit',
    entityId: habitId,
    title: String(habit.name),
  });
  return toHabitLog(log);
}

/** Every log of a habit, in local-date order (oldest first). */
export async function readHabitLogs(
  ctx: UserCtx,
  habitId: string,
  range?: { from: string; to: string },
): Promise<Item[]> {
  return queryAll(ctx.db, {
    pk: childPk(ctx.userId, 'HABIT', habitId),
    sk: range
      ? { between: [keys.logBound(range.from), keys.logBound(`${range.to}#~`)] }
      : { beginsWith: keys.logPrefix },
  });
}

/**
 * Deletes every log of local date `date` (streaks and stats follow, being computed on read;
 * the linked goals' progress is recomputed).
 * @throws NotFoundError when the user has no such habit or it has no log on that date
 */
export async function deleteHabitLogs(ctx: UserCtx, habitId: string, date: string): Promise<void> {
  const habit = await getEntity(ctx.db, ctx.userId, 'HABIT', habitId);
  const logs = await readHabitLogs(ctx, habitId, { from: date, to: date });
  if (logs.length === 0) throw new NotFoundError('Habit log on', date);
  const deletes = logs.map((l): TransactOp => ({ delete: { pk: String(l.pk), sk: String(l.sk) } }));
  for (let i = 0; i < deletes.length; i += MAX_TRANSACT_ITEMS - 1) {
    await writeWithHabit(ctx, habitId, deletes.slice(i, i + MAX_TRANSACT_ITEMS - 1));
  }
  // Consistency and streak changed: the linked goals recompute their progress.
  await onGoalInputsChanged(ctx, linkedIds(habit, 'GOAL'), {
    kind: 'log_deleted',
    entityType: 'habit',
    entityId: habitId,
    title: String(habit.name),
  });
}

/**
 * A habit's logs between local dates `startDate` and `endDate` (inclusive), newest first, paged.
 * @throws NotFoundError
 */
export async function listHabitLogs(
  ctx: UserCtx,
  habitId: string,
  query: HabitLogQueryT,
): Promise<PageSlice<HabitLogT>> {
  await getEntity(ctx.db, ctx.userId, 'HABIT', habitId);
  const range =
    query.startDate || query.endDate
      ? { from: query.startDate ?? '0000-01-01', to: query.endDate ?? '9999-12-31' }
      : undefined;
  const logs = await readHabitLogs(ctx, habitId, range);
  return paginate(logs.reverse().map(toHabitLog), query);
}
