/**
 * Lambda `auth`: `/auth/*`, `/health`, `/openapi.json`, `/docs`, `/preferences/*` but
 * `/preferences/feature-configs*` (the ai function's), `/import/*` and `/export`.
 */
import { handle } from 'hono/aws-lambda';
import { createRouter } from '../src/api/route.js';
import { authRoutes } from '../src/api/routes/auth.js';
import { dataRoutes } from '../src/api/routes/data.js';
import { preferenceRoutes } from '../src/api/routes/preferences.js';
import { systemRoutes } from '../src/api/routes/system.js';
import { createApp } from '../src/main.js';
import { lambdaDeps } from '../src/runtime-aws.js';

/** The Lambda entry point: API Gateway HTTP API (payload v2) events in, responses out. */
export const handler = handle(
  createApp(
    [createRouter([...systemRoutes, ...authRoutes, ...dataRoutes]), createRouter(preferenceRoutes)],
    lambdaDeps(),
  ),
);
