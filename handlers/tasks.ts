/** Lambda `tasks`: `/tasks`. */
import { handle } from 'hono/aws-lambda';
import { createRouter } from '../src/api/route.js';
import { taskRoutes } from '../src/api/routes/tasks.js';
import { createApp } from '../src/main.js';
import { lambdaDeps } from '../src/runtime-aws.js';

export const handler = handle(createApp([createRouter(taskRoutes)], lambdaDeps()));
