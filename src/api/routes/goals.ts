/** Goals with their criteria, links, progress and activity: G1–G22 of API_CONTRACT.md §b.4. */
import { defineRoute } from '../route.js';
import { HabitPage } from '../schemas/habits.js';
import { MetricPage } from '../schemas/metrics.js';
import { IdParams } from '../schemas/common.js';
import {
  ActivityQuery,
  CriterionParams,
  CriterionUpdate,
  Goal,
  GoalActivity,
  GoalActivityCreate,
  GoalActivityPage,
  GoalCreate,
  GoalListQuery,
  GoalPage,
  GoalProgressReport,
  GoalUpdate,
  HabitLinkBody,
  HabitLinkParams,
  MetricLinkBody,
  MetricLinkParams,
  ProjectLinkBody,
  ProjectLinkParams,
  TaskLinkBody,
  TaskLinkParams,
} from '../schemas/goals.js';
import { ProjectPage } from '../schemas/projects.js';
import { TaskPageBoth } from '../schemas/tasks.js';
import * as goals from '../../services/goals/index.js';
import * as links from '../../services/goals/links.js';
import { pageBody } from '../../utils/paging.js';

const tags = ['Goals'];
const linkNote = 'Keeps the link item and the child’s embedded `goalIds` in one transaction.';

/** The routes of this module, for `createRouter`. */
export const goalRoutes = [
  defineRoute({
    method: 'get',
    path: '/goals',
    tags,
    summary: 'List goals (filters area, status, priority)',
    description: 'Newest first. Without `pageSize` every matching goal is returned.',
    query: GoalListQuery,
    response: GoalPage,
    handler: async ({ ctx, query }) => pageBody(await goals.listGoals(ctx, query)),
  }),
  defineRoute({
    method: 'post',
    path: '/goals',
    tags,
    summary: 'Create a goal',
    description:
      '`successCriteria` as strings or objects. The parent goal must exist. Progress is computed and stored.',
    body: GoalCreate,
    response: Goal,
    status: 201,
    errors: ['NOT_FOUND', 'CONFLICT'],
    handler: ({ ctx, body }) => goals.createGoal(ctx, body),
  }),
  defineRoute({
    method: 'get',
    path: '/goals/{id}',
    tags,
    summary: 'Get a goal',
    params: IdParams,
    response: Goal,
    errors: ['NOT_FOUND'],
    handler: ({ ctx, params }) => goals.getGoal(ctx, params.id),
  }),
  defineRoute({
    method: 'patch',
    path: '/goals/{id}',
    tags,
    summary: 'Update a goal',
    description:
      '`successCriteria` replaces the list (ids kept, new ids for rows without one, `[]` clears). A goal cannot become its own ancestor (409).',
    params: IdParams,
    body: GoalUpdate,
    response: Goal,
    errors: ['NOT_FOUND', 'CONFLICT'],
    handler: ({ ctx, params, body }) => goals.updateGoal(ctx, params.id, body),
  }),
  defineRoute({
    method: 'delete',
    path: '/goals/{id}',
    tags,
    summary: 'Delete a goal with its links and activity',
    description:
      'Linked tasks, metrics, habits and projects lose the id from `goalIds`; child goals get `parentGoalId: null`.',
    params: IdParams,
    response: null,
    errors: ['NOT_FOUND', 'CONFLICT'],
    handler: ({ ctx, params }) => goals.deleteGoal(ctx, params.id),
  }),
  defineRoute({
    method: 'get',
    path: '/goals/{id}/tasks',
    tags,
    summary: 'The goal’s tasks (under both `tasks` and `data`)',
    params: IdParams,
    response: TaskPageBoth,
    errors: ['NOT_FOUND'],
    handler: async ({ ctx, params }) => {
      const page = pageBody(await links.listGoalChildren(ctx, params.id, 'TASK'), 'tasks');
      return { ...page, data: page.tasks };
    },
  }),
  defineRoute({
    method: 'post',
    path: '/goals/{id}/tasks',
    tags,
    summary: 'Link a task to the goal',
    description: linkNote,
    params: IdParams,
    body: TaskLinkBody,
    response: null,
    errors: ['NOT_FOUND', 'CONFLICT'],
    handler: ({ ctx, params, body }) =>
      links.setGoalLink(ctx, params.id, 'TASK', body.taskId, true),
  }),
  defineRoute({
    method: 'delete',
    path: '/goals/{id}/tasks/{taskId}',
    tags,
    summary: 'Unlink a task from the goal',
    params: TaskLinkParams,
    response: null,
    errors: ['NOT_FOUND', 'CONFLICT'],
    handler: ({ ctx, params }) => links.setGoalLink(ctx, params.id, 'TASK', params.taskId, false),
  }),
  defineRoute({
    method: 'get',
    path: '/goals/{id}/metrics',
    tags,
    summary: 'The goal’s metrics',
    params: IdParams,
    response: MetricPage,
    errors: ['NOT_FOUND'],
    handler: async ({ ctx, params }) =>
      pageBody(await links.listGoalChildren(ctx, params.id, 'METRIC')),
  }),
  defineRoute({
    method: 'post',
    path: '/goals/{id}/metrics',
    tags,
    summary: 'Link a metric to the goal',
    description: linkNote,
    params: IdParams,
    body: MetricLinkBody,
    response: null,
    errors: ['NOT_FOUND', 'CONFLICT'],
    handler: ({ ctx, params, body }) =>
      links.setGoalLink(ctx, params.id, 'METRIC', body.metricId, true),
  }),
  defineRoute({
    method: 'delete',
    path: '/goals/{id}/metrics/{metricId}',
    tags,
    summary: 'Unlink a metric from the goal',
    params: MetricLinkParams,
    response: null,
    errors: ['NOT_FOUND', 'CONFLICT'],
    handler: ({ ctx, params }) =>
      links.setGoalLink(ctx, params.id, 'METRIC', params.metricId, false),
  }),
  defineRoute({
    method: 'get',
    path: '/goals/{id}/habits',
    tags,
    summary: 'The goal’s habits',
    params: IdParams,
    response: HabitPage,
    errors: ['NOT_FOUND'],
    handler: async ({ ctx, params }) =>
      pageBody(await links.listGoalChildren(ctx, params.id, 'HABIT')),
  }),
  defineRoute({
    method: 'post',
    path: '/goals/{id}/habits',
    tags,
    summary: 'Link a habit to the goal',
    description: linkNote,
    params: IdParams,
    body: HabitLinkBody,
    response: null,
    errors: ['NOT_FOUND', 'CONFLICT'],
    handler: ({ ctx, params, body }) =>
      links.setGoalLink(ctx, params.id, 'HABIT', body.habitId, true),
  }),
  defineRoute({
    method: 'delete',
    path: '/goals/{id}/habits/{habitId}',
    tags,
    summary: 'Unlink a habit from the goal',
    params: HabitLinkParams,
    response: null,
    errors: ['NOT_FOUND', 'CONFLICT'],
    handler: ({ ctx, params }) => links.setGoalLink(ctx, params.id, 'HABIT', params.habitId, false),
  }),
  defineRoute({
    method: 'get',
    path: '/goals/{id}/projects',
    tags,
    summary: 'The goal’s projects',
    params: IdParams,
    response: ProjectPage,
    errors: ['NOT_FOUND'],
    handler: async ({ ctx, params }) =>
      pageBody(await links.listGoalChildren(ctx, params.id, 'PROJECT')),
  }),
  defineRoute({
    method: 'post',
    path: '/goals/{id}/projects',
    tags,
    summary: 'Link a project to the goal (same relation as POST /projects/{id}/goals)',
    description: linkNote,
    params: IdParams,
    body: ProjectLinkBody,
    response: null,
    errors: ['NOT_FOUND', 'CONFLICT'],
    handler: ({ ctx, params, body }) =>
      links.setGoalLink(ctx, params.id, 'PROJECT', body.projectId, true),
  }),
  defineRoute({
    method: 'delete',
    path: '/goals/{id}/projects/{projectId}',
    tags,
    summary: 'Unlink a project from the goal',
    params: ProjectLinkParams,
    response: null,
    errors: ['NOT_FOUND', 'CONFLICT'],
    handler: ({ ctx, params }) =>
      links.setGoalLink(ctx, params.id, 'PROJECT', params.projectId, false),
  }),
  defineRoute({
    method: 'get',
    path: '/goals/{id}/progress',
    tags,
    summary: 'The stored progress breakdown and the goal’s health',
    description:
      'The breakdown is the one stored by the last write that changed an input (never recomputed on read); `health` (§e.8) is judged now.',
    params: IdParams,
    response: GoalProgressReport,
    errors: ['NOT_FOUND'],
    handler: ({ ctx, params }) => goals.getGoalProgress(ctx, params.id),
  }),
  defineRoute({
    method: 'post',
    path: '/goals/{id}/criteria/{criterionId}/complete',
    tags,
    summary: 'Complete a success criterion (no body; idempotent)',
    params: CriterionParams,
    response: Goal,
    errors: ['NOT_FOUND', 'CONFLICT'],
    handler: ({ ctx, params }) => goals.setCriterion(ctx, params.id, params.criterionId, true),
  }),
  defineRoute({
    method: 'patch',
    path: '/goals/{id}/criteria/{criterionId}',
    tags,
    summary: 'Complete or reopen a success criterion',
    params: CriterionParams,
    body: CriterionUpdate,
    response: Goal,
    errors: ['NOT_FOUND', 'CONFLICT'],
    handler: ({ ctx, params, body }) =>
      goals.setCriterion(ctx, params.id, params.criterionId, body.isCompleted, body.completedAt),
  }),
  defineRoute({
    method: 'get',
    path: '/goals/{id}/activity',
    tags,
    summary: 'The goal’s activity, newest first',
    params: IdParams,
    query: ActivityQuery,
    response: GoalActivityPage,
    errors: ['NOT_FOUND'],
    handler: async ({ ctx, params, query }) =>
      pageBody(await links.listActivity(ctx, params.id, query)),
  }),
  defineRoute({
    method: 'post',
    path: '/goals/{id}/activity',
    tags,
    summary: 'Add an activity entry by hand',
    description: 'Moves the goal’s `lastActivityAt`.',
    params: IdParams,
    body: GoalActivityCreate,
    response: GoalActivity,
    status: 201,
    errors: ['NOT_FOUND'],
    handler: ({ ctx, params, body }) => links.addActivity(ctx, params.id, body),
  }),
];
