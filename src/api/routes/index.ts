/** Every domain's routes, for the local server (Lambda handlers import their own module only). */
import { createRouter, type Router } from '../route.js';
import { aiRoutes } from './ai.js';
import { authRoutes } from './auth.js';
import { dashboardRoutes } from './dashboard.js';
import { dataRoutes } from './data.js';
import { goalRoutes } from './goals.js';
import { habitRoutes } from './habits.js';
import { knowledgeRoutes } from './knowledge.js';
import { logbookRoutes } from './logbook.js';
import { metricRoutes } from './metrics.js';
import { preferenceRoutes } from './preferences.js';
import { projectRoutes } from './projects.js';
import { rewardRoutes } from './rewards.js';
import { systemRoutes } from './system.js';
import { taskRoutes } from './tasks.js';
import { walletRoutes } from './wallet.js';

/** One router per domain, in the order they are documented. */
export function allRouters(): Router[] {
  return [
    createRouter([...systemRoutes, ...authRoutes, ...dataRoutes]),
    createRouter(taskRoutes),
    createRouter(projectRoutes),
    createRouter(goalRoutes),
    createRouter(metricRoutes),
    createRouter(habitRoutes),
    createRouter([...logbookRoutes, ...dashboardRoutes]),
    createRouter([...rewardRoutes, ...walletRoutes]),
    createRouter(preferenceRoutes),
    createRouter(knowledgeRoutes),
    createRouter(aiRoutes),
  ];
}
