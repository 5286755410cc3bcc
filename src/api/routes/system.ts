/** `GET /health`: public liveness with version, stage and store kind (API_CONTRACT.md X1). */
import { z } from '@hono/zod-openapi';
import pkg from '../../../package.json' with { type: 'json' };
import { defineRoute } from '../route.js';

const Health = z
  .object({
    status: z.literal('ok'),
    version: z.string(),
    stage: z.string(),
    store: z.enum(['sqlite', 'dynamodb']),
    authMode: z.enum(['local', 'cognito']),
    timestamp: z.string(),
  })
  .openapi('Health');

/** The routes of this module, for `createRouter`. */
export const systemRoutes = [
  defineRoute({
    method: 'get',
    path: '/health',
    tags: ['System'],
    summary: 'Liveness, version and store kind',
    auth: false,
    response: Health,
    handler: ({ deps }) => ({
      status: 'ok' as const,
      version: pkg.version,
      stage: deps.settings.STAGE,
      store: deps.db.kind,
      authMode: deps.identity.mode,
      timestamp: deps.clock.now().toISOString(),
    }),
  }),
];
