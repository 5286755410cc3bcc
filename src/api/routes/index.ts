/** Every domain's routes, for the local server (Lambda handlers import their own module only). */
import { createRouter, type Router } from '../route.js';
import { aiRoutes } from './ai.js';
import { authRoutes } from './auth.js';
import { knowledgeRoutes } from './knowledge.js';
import { systemRoutes } from './system.js';
import { taskRoutes } from './tasks.js';

/** One router per domain, in the order they are documented. */
export function allRouters(): Router[] {
  return [
    createRouter([...systemRoutes, ...authRoutes]),
    createRouter(taskRoutes),
    createRouter(knowledgeRoutes),
    createRouter(aiRoutes),
  ];
}
