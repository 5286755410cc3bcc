/** Every domain's routes, for the local server (Lambda handlers import their own module only). */
import { createRouter, type Router } from '../route.js';
import { authRoutes } from './auth.js';
import { habitRoutes } from './habits.js';
import { metricRoutes } from './metrics.js';
import { preferenceRoutes } from './preferences.js';
import { systemRoutes } from './system.js';
import { taskRoutes } from './tasks.js';

/** One router per domain, in the order they are documented. */
export function allRouters(): Router[] {
  return [
    createRouter([...systemRoutes, ...authRoutes]),
    createRouter(taskRoutes),
    createRouter(metricRoutes),
    createRouter(habitRoutes),
    createRouter(preferenceRoutes),
  ];
}
