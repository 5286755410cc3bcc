/**
 * Habits: H1–H11 of API_CONTRACT.md §b.6 — CRUD, logs on the user's local calendar, stats with
 * streaks and strength, heatmap, and today's list. `/habits/today` is registered before
 * `/habits/{id}`.
 */
import { defineRoute } from '../route.js';
import { IdParams, PageQuery } from '../schemas/common.js';
import {
  Habit,
  HabitCreate,
  HabitListQuery,
  HabitLog,
  HabitLogCreate,
  HabitLogDateParams,
  HabitLogPage,
  HabitLogQuery,
  HabitPage,
  HabitStats,
  HabitTodayPage,
  HabitUpdate,
  Heatmap,
  HeatmapQuery,
} from '../schemas/habits.js';
import * as habits from '../../services/habits/index.js';
import * as logs from '../../services/habits/logs.js';
import * as stats from '../../services/habits/stats.js';
import { pageBody } from '../../utils/paging.js';

const tags = ['Habits'];

/** The routes of this module, for `createRouter`. */
export const habitRoutes = [
  defineRoute({
    method: 'get',
    path: '/habits',
    tags,
    summary: 'List habits',
    description: 'Without `pageSize` every habit is returned, newest first.',
    query: HabitListQuery,
    response: HabitPage,
    handler: async ({ ctx, query }) => pageBody(await habits.listHabits(ctx, query)),
  }),
  defineRoute({
    method: 'post',
    path: '/habits',
    tags,
    summary: 'Create a habit',
    body: HabitCreate,
    response: Habit,
    status: 201,
    errors: ['NOT_FOUND'],
    handler: ({ ctx, body }) => habits.createHabit(ctx, body),
  }),
  defineRoute({
    method: 'get',
    path: '/habits/today',
    tags,
    summary: 'Habits due today in the user’s time zone, and whether each is done',
    description:
      'Active habits only. Daily and Custom: every day, done when today’s amounts reach ' +
      '`dailyTarget` (default 1). Weekly (weeks start on Monday) and Monthly: while the ' +
      'period’s target is not met, and on the day it is met.',
    query: PageQuery,
    response: HabitTodayPage,
    handler: async ({ ctx, query }) => pageBody(await stats.habitsToday(ctx, query)),
  }),
  defineRoute({
    method: 'get',
    path: '/habits/{id}',
    tags,
    summary: 'Get a habit',
    params: IdParams,
    response: Habit,
    errors: ['NOT_FOUND'],
    handler: ({ ctx, params }) => habits.getHabit(ctx, params.id),
  }),
  defineRoute({
    method: 'patch',
    path: '/habits/{id}',
    tags,
    summary: 'Update a habit',
    params: IdParams,
    body: HabitUpdate,
    response: Habit,
    errors: ['NOT_FOUND', 'CONFLICT'],
    handler: ({ ctx, params, body }) => habits.updateHabit(ctx, params.id, body),
  }),
  defineRoute({
    method: 'delete',
    path: '/habits/{id}',
    tags,
    summary: 'Delete a habit with its logs and goal links',
    params: IdParams,
    response: null,
    errors: ['NOT_FOUND', 'CONFLICT'],
    handler: ({ ctx, params }) => habits.deleteHabit(ctx, params.id),
  }),
  defineRoute({
    method: 'get',
    path: '/habits/{id}/logs',
    tags,
    summary: 'A habit’s logs, newest first',
    description: '`startDate`/`endDate` are local dates (inclusive).',
    params: IdParams,
    query: HabitLogQuery,
    response: HabitLogPage,
    errors: ['NOT_FOUND'],
    handler: async ({ ctx, params, query }) =>
      pageBody(await logs.listHabitLogs(ctx, params.id, query)),
  }),
  defineRoute({
    method: 'post',
    path: '/habits/{id}/logs',
    tags,
    summary: 'Log a completion',
    description:
      'Body `{completedAt, amount?, notes?}` (counts on completedAt’s local date) or the ' +
      'shipped client’s `{completed: true, date, notes?}`: a `date` equal to today’s UTC date ' +
      'means now (today’s local date); any other `date` is the local date itself, at 12:00. ' +
      'The local date in force when written is stored with the log; future days are refused.',
    params: IdParams,
    body: HabitLogCreate,
    response: HabitLog,
    status: 201,
    errors: ['NOT_FOUND'],
    handler: ({ ctx, params, body }) => logs.addHabitLog(ctx, params.id, body),
  }),
  defineRoute({
    method: 'delete',
    path: '/habits/{id}/logs/{date}',
    tags,
    summary: 'Delete every log of one local date',
    params: HabitLogDateParams,
    response: null,
    errors: ['NOT_FOUND'],
    handler: ({ ctx, params }) => logs.deleteHabitLogs(ctx, params.id, params.date),
  }),
  defineRoute({
    method: 'get',
    path: '/habits/{id}/stats',
    tags,
    summary: 'Totals, streaks and strength of a habit',
    description:
      'Counts of logs (all, last 7 and 30 local days), current and longest streak in periods ' +
      'of the habit’s frequency, and strength 0–100 (Loop Habit Tracker’s score).',
    params: IdParams,
    response: HabitStats,
    errors: ['NOT_FOUND'],
    handler: ({ ctx, params }) => stats.habitStats(ctx, params.id),
  }),
  defineRoute({
    method: 'get',
    path: '/habits/{id}/heatmap',
    tags,
    summary: 'Logs per local date',
    description:
      '`{date: count}` for a calendar `year`, or `startDate`/`endDate`, or the last 365 days; ' +
      'only days with logs appear.',
    params: IdParams,
    query: HeatmapQuery,
    response: Heatmap,
    errors: ['NOT_FOUND'],
    handler: ({ ctx, params, query }) => stats.habitHeatmap(ctx, params.id, query),
  }),
];
