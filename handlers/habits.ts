/** Lambda `habits`: `/habits`. */
import { handle } from 'hono/aws-lambda';
import { createRouter } from '../src/api/route.js';
import { habitRoutes } from '../src/api/routes/habits.js';
import { createApp } from '../src/main.js';
import { lambdaDeps } from '../src/runtime-aws.js';

export const handler = handle(createApp([createRouter(habitRoutes)], lambdaDeps()));
