/** Projects with their tasks, goals and health: P1–P12 of API_CONTRACT.md §b.3. */
import { defineRoute } from '../route.js';
import { IdParams } from '../schemas/common.js';
import { GoalPage, TaskLinkBody, TaskLinkParams } from '../schemas/goals.js';
import {
  GoalLinkBody,
  GoalLinkParams,
  Project,
  ProjectCreate,
  ProjectHealth,
  ProjectListQuery,
  ProjectPage,
  ProjectUpdate,
} from '../schemas/projects.js';
import { TaskPageBoth } from '../schemas/tasks.js';
import { getProjectHealth } from '../../services/projects/health.js';
import * as projects from '../../services/projects/index.js';
import { pageBody } from '../../utils/paging.js';

const tags = ['Projects'];

/** The routes of this module, for `createRouter`. */
export const projectRoutes = [
  defineRoute({
    method: 'get',
    path: '/projects',
    tags,
    summary: 'List projects (filters area, status, priority)',
    description:
      'Newest first; without `pageSize` every matching project. `includeHealth=true` adds `health`, `taskCount` and `completedTaskCount` to each, computed for the whole page with a fixed number of storage calls.',
    query: ProjectListQuery,
    response: ProjectPage,
    handler: async ({ ctx, query }) => pageBody(await projects.listProjects(ctx, query)),
  }),
  defineRoute({
    method: 'post',
    path: '/projects',
    tags,
    summary: 'Create a project',
    description: '`goalIds`, when sent, links the goals (each must exist).',
    body: ProjectCreate,
    response: Project,
    status: 201,
    errors: ['NOT_FOUND'],
    handler: ({ ctx, body }) => projects.createProject(ctx, body),
  }),
  defineRoute({
    method: 'get',
    path: '/projects/{id}',
    tags,
    summary: 'Get a project',
    params: IdParams,
    response: Project,
    errors: ['NOT_FOUND'],
    handler: ({ ctx, params }) => projects.getProject(ctx, params.id),
  }),
  defineRoute({
    method: 'patch',
    path: '/projects/{id}',
    tags,
    summary: 'Update a project',
    description: '`goalIds`, when sent, relinks the goals in the same transaction.',
    params: IdParams,
    body: ProjectUpdate,
    response: Project,
    errors: ['NOT_FOUND', 'CONFLICT'],
    handler: ({ ctx, params, body }) => projects.updateProject(ctx, params.id, body),
  }),
  defineRoute({
    method: 'delete',
    path: '/projects/{id}',
    tags,
    summary: 'Delete a project with its links',
    description: 'Linked tasks lose the id from `projectIds`; the goal links go with it.',
    params: IdParams,
    response: null,
    errors: ['NOT_FOUND', 'CONFLICT'],
    handler: ({ ctx, params }) => projects.deleteProject(ctx, params.id),
  }),
  defineRoute({
    method: 'get',
    path: '/projects/{id}/tasks',
    tags,
    summary: 'The project’s tasks (under both `tasks` and `data`)',
    params: IdParams,
    response: TaskPageBoth,
    errors: ['NOT_FOUND'],
    handler: async ({ ctx, params }) => {
      const page = pageBody(await projects.listProjectTasks(ctx, params.id), 'tasks');
      return { ...page, data: page.tasks };
    },
  }),
  defineRoute({
    method: 'post',
    path: '/projects/{id}/tasks',
    tags,
    summary: 'Link a task to the project',
    description: 'Keeps the link item and the task’s `projectIds` in one transaction.',
    params: IdParams,
    body: TaskLinkBody,
    response: null,
    errors: ['NOT_FOUND', 'CONFLICT'],
    handler: ({ ctx, params, body }) =>
      projects.setProjectTaskLink(ctx, params.id, body.taskId, true),
  }),
  defineRoute({
    method: 'delete',
    path: '/projects/{id}/tasks/{taskId}',
    tags,
    summary: 'Unlink a task from the project',
    params: TaskLinkParams,
    response: null,
    errors: ['NOT_FOUND', 'CONFLICT'],
    handler: ({ ctx, params }) => projects.setProjectTaskLink(ctx, params.id, params.taskId, false),
  }),
  defineRoute({
    method: 'get',
    path: '/projects/{id}/goals',
    tags,
    summary: 'The project’s goals',
    params: IdParams,
    response: GoalPage,
    errors: ['NOT_FOUND'],
    handler: async ({ ctx, params }) => pageBody(await projects.listProjectGoals(ctx, params.id)),
  }),
  defineRoute({
    method: 'post',
    path: '/projects/{id}/goals',
    tags,
    summary: 'Link a goal to the project (same relation as POST /goals/{id}/projects)',
    description: 'Keeps the link item and the project’s `goalIds` in one transaction.',
    params: IdParams,
    body: GoalLinkBody,
    response: null,
    errors: ['NOT_FOUND', 'CONFLICT'],
    handler: ({ ctx, params, body }) =>
      projects.setProjectGoalLink(ctx, params.id, body.goalId, true),
  }),
  defineRoute({
    method: 'delete',
    path: '/projects/{id}/goals/{goalId}',
    tags,
    summary: 'Unlink a goal from the project',
    params: GoalLinkParams,
    response: null,
    errors: ['NOT_FOUND', 'CONFLICT'],
    handler: ({ ctx, params }) => projects.setProjectGoalLink(ctx, params.id, params.goalId, false),
  }),
  defineRoute({
    method: 'get',
    path: '/projects/{id}/health',
    tags,
    summary: 'Project health: green, yellow or red, with task counts',
    description:
      'red = overdue (past `targetEndDate`, work not complete) or a Blocked task; yellow = behind schedule by ≥ 10 points; else green (§e.11).',
    params: IdParams,
    response: ProjectHealth,
    errors: ['NOT_FOUND'],
    handler: ({ ctx, params }) => getProjectHealth(ctx, params.id),
  }),
];
