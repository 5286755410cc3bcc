/** Lambda `ai`: `/ai/*`, `/preferences/feature-configs*`. */
import { handle } from 'hono/aws-lambda';
import { createRouter } from '../src/api/route.js';
import { aiRoutes } from '../src/api/routes/ai.js';
import { createApp } from '../src/main.js';
import { lambdaDeps } from '../src/runtime-aws.js';

/** The Lambda entry point: API Gateway HTTP API (payload v2) events in, responses out. */
export const handler = handle(createApp([createRouter(aiRoutes)], lambdaDeps()));
