/** The dashboard: X2 `GET /growth-system/dashboard` and its alias X3 `GET /dashboard/summary`. */
import { defineRoute } from '../route.js';
import { DashboardQuery, DashboardSummary } from '../schemas/dashboard.js';
import { getDashboard } from '../../services/dashboard.js';

const route = (path: string, summary: string) =>
  defineRoute({
    method: 'get',
    path,
    tags: ['Dashboard'],
    summary,
    description:
      'Every entity list the client caches, in a fixed number of storage reads. Open tasks plus those closed in the last 7 days unless `includeCompleted=true`.',
    query: DashboardQuery,
    response: DashboardSummary,
    handler: ({ ctx, query }) => getDashboard(ctx, query),
  });

/** The routes of this module, for `createRouter`. */
export const dashboardRoutes = [
  route('/growth-system/dashboard', 'The dashboard summary'),
  route('/dashboard/summary', 'The dashboard summary (alias of /growth-system/dashboard)'),
];
