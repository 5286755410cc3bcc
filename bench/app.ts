/**
 * The app the benchmark measures: every domain router, as `src/server.ts` serves them, plus one
 * bench-only public route, `GET /bench/constant`, that returns a constant through the same
 * `defineRoute`/`createRouter` machinery (envelope, response parsing, CORS, request id, body
 * limit). Its figures are the floor: what the framework costs before a route does any work.
 */
import { z } from '@hono/zod-openapi';
import type { Deps } from '../src/api/deps.js';
import { createRouter, defineRoute, type Router } from '../src/api/route.js';
import { allRouters } from '../src/api/routes/index.js';
import { createApp } from '../src/main.js';

/** Path of the constant route every scenario is compared with. */
export const BARE_PATH = '/bench/constant';

const bareRoutes = [
  defineRoute({
    method: 'get',
    path: BARE_PATH,
    tags: ['Bench'],
    summary: 'A constant (benchmark baseline)',
    auth: false,
    response: z.object({ ok: z.literal(true) }),
    handler: () => ({ ok: true as const }),
  }),
];

/** `createApp` over `deps` with every router and the bare route. */
export function benchApp(deps: Deps): Router {
  return createApp([...allRouters(), createRouter(bareRoutes)], deps);
}
