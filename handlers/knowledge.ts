/** Lambda `knowledge`: `/knowledge/*`, `/drafts/*`. */
import { handle } from 'hono/aws-lambda';
import { createRouter } from '../src/api/route.js';
import { knowledgeRoutes } from '../src/api/routes/knowledge.js';
import { createApp } from '../src/main.js';
import { lambdaDeps } from '../src/runtime-aws.js';

export const handler = handle(createApp([createRouter(knowledgeRoutes)], lambdaDeps()));
