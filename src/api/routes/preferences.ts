/**
 * Preferences: X4–X9 of API_CONTRACT.md §b.1 (mode, time zone, weekly review day). The time zone
 * defines the user's calendar days for streaks, heatmaps and "today" (DESIGN.md §4).
 */
import { defineRoute } from '../route.js';
import {
  ModeBody,
  TimeZoneBody,
  TimeZoneSetting,
  WeeklyReviewDayBody,
} from '../schemas/preferences.js';
import { getPreference, setPreference } from '../../services/preferences.js';

const tags = ['Preferences'];

/** The routes of this module, for `createRouter`. */
export const preferenceRoutes = [
  defineRoute({
    method: 'get',
    path: '/preferences/mode',
    tags,
    summary: 'Work or leisure mode (default work)',
    response: ModeBody,
    handler: ({ ctx }) => getPreference(ctx, 'mode'),
  }),
  defineRoute({
    method: 'post',
    path: '/preferences/mode',
    tags,
    summary: 'Set work or leisure mode',
    body: ModeBody,
    response: null,
    handler: ({ ctx, body }) => setPreference(ctx, 'mode', body.mode),
  }),
  defineRoute({
    method: 'get',
    path: '/preferences/time-zone',
    tags,
    summary: 'The IANA time zone that defines the user’s calendar days (default UTC)',
    response: TimeZoneSetting,
    handler: ({ ctx }) => getPreference(ctx, 'timeZone'),
  }),
  defineRoute({
    method: 'put',
    path: '/preferences/time-zone',
    tags,
    summary: 'Set the time zone',
    description:
      'An IANA name (`America/Los_Angeles`, `Asia/Kolkata`, `UTC`), answered in canonical case. ' +
      'Logs keep the local date they were written for; later days follow the new zone.',
    body: TimeZoneBody,
    response: TimeZoneSetting,
    handler: ({ ctx, body }) => setPreference(ctx, 'timeZone', body.timeZone),
  }),
  defineRoute({
    method: 'get',
    path: '/preferences/weekly-review-day',
    tags,
    summary: 'Day of the weekly review, 0 = Sunday … 6 (default 0)',
    response: WeeklyReviewDayBody,
    handler: ({ ctx }) => getPreference(ctx, 'weeklyReviewDay'),
  }),
  defineRoute({
    method: 'put',
    path: '/preferences/weekly-review-day',
    tags,
    summary: 'Set the day of the weekly review',
    body: WeeklyReviewDayBody,
    response: WeeklyReviewDayBody,
    handler: ({ ctx, body }) => setPreference(ctx, 'weeklyReviewDay', body.weeklyReviewDay),
  }),
];
