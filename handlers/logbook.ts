/** Lambda `logbook`: `/logbook` (and, as their routes land, `/growth-system`, `/dashboard`). */
import { handle } from 'hono/aws-lambda';
import { createRouter } from '../src/api/route.js';
import { logbookRoutes } from '../src/api/routes/logbook.js';
import { createApp } from '../src/main.js';
import { lambdaDeps } from '../src/runtime-aws.js';

export const handler = handle(createApp([createRouter(logbookRoutes)], lambdaDeps()));
