/** Lambda `logbook`: `/logbook` and the dashboard (`/growth-system/dashboard`, `/dashboard/summary`). */
import { handle } from 'hono/aws-lambda';
import { createRouter } from '../src/api/route.js';
import { dashboardRoutes } from '../src/api/routes/dashboard.js';
import { logbookRoutes } from '../src/api/routes/logbook.js';
import { createApp } from '../src/main.js';
import { lambdaDeps } from '../src/runtime-aws.js';

/** The Lambda entry point: API Gateway HTTP API (payload v2) events in, responses out. */
export const handler = handle(
  createApp([createRouter([...logbookRoutes, ...dashboardRoutes])], lambdaDeps()),
);
