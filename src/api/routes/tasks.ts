/** Tasks and their dependencies: T1–T9 of API_CONTRACT.md §b.2. */
import { z } from '@hono/zod-openapi';
import { defineRoute } from '../route.js';
import { IdParams } from '../schemas/common.js';
import {
  CompleteBody,
  DependencyCreate,
  DependencyParams,
  Task,
  TaskCreate,
  TaskDependency,
  TaskListQuery,
  TaskPage,
  TaskUpdate,
} from '../schemas/tasks.js';
import * as tasks from '../../services/tasks/index.js';
import * as dependencies from '../../services/tasks/dependencies.js';
import { pageBody } from '../../utils/paging.js';

const tags = ['Tasks'];

/** The routes of this module, for `createRouter`. */
export const taskRoutes = [
  defineRoute({
    method: 'get',
    path: '/tasks',
    tags,
    summary: 'List tasks (search, filters, sorting, paging)',
    description: 'Without `pageSize` every matching task is returned. The list is under `tasks`.',
    query: TaskListQuery,
    response: TaskPage,
    handler: async ({ ctx, query }) => pageBody(await tasks.listTasks(ctx, query), 'tasks'),
  }),
  defineRoute({
    method: 'post',
    path: '/tasks',
    tags,
    summary: 'Create a task',
    description:
      '`pointValue` defaults to the contract formula (§e.1). Linked goals and projects must exist.',
    body: TaskCreate,
    response: Task,
    status: 201,
    errors: ['NOT_FOUND'],
    handler: ({ ctx, body }) => tasks.createTask(ctx, body),
  }),
  defineRoute({
    method: 'get',
    path: '/tasks/{id}',
    tags,
    summary: 'Get a task',
    params: IdParams,
    response: Task,
    errors: ['NOT_FOUND'],
    handler: ({ ctx, params }) => tasks.getTask(ctx, params.id),
  }),
  defineRoute({
    method: 'patch',
    path: '/tasks/{id}',
    tags,
    summary: 'Update a task',
    description:
      'Setting `status: "Done"` completes the task (points credited once); leaving Done claws them back.',
    params: IdParams,
    body: TaskUpdate,
    response: Task,
    errors: ['NOT_FOUND', 'CONFLICT'],
    handler: ({ ctx, params, body }) => tasks.updateTask(ctx, params.id, body),
  }),
  defineRoute({
    method: 'delete',
    path: '/tasks/{id}',
    tags,
    summary: 'Delete a task with its dependencies and links',
    params: IdParams,
    response: null,
    errors: ['NOT_FOUND'],
    handler: ({ ctx, params }) => tasks.deleteTask(ctx, params.id),
  }),
  defineRoute({
    method: 'post',
    path: '/tasks/{id}/complete',
    tags,
    summary: 'Complete a task (idempotent)',
    description:
      'Credits `pointValue` once with one ledger entry; repeating it credits nothing more.',
    params: IdParams,
    body: CompleteBody,
    bodyOptional: true,
    response: Task,
    errors: ['NOT_FOUND', 'CONFLICT'],
    handler: ({ ctx, params }) => tasks.completeTask(ctx, params.id),
  }),
  defineRoute({
    method: 'get',
    path: '/tasks/{id}/dependencies',
    tags,
    summary: 'What this task is blocked by (a bare array)',
    params: IdParams,
    response: z.array(TaskDependency),
    errors: ['NOT_FOUND'],
    handler: ({ ctx, params }) => dependencies.listDependencies(ctx, params.id),
  }),
  defineRoute({
    method: 'post',
    path: '/tasks/{id}/dependencies',
    tags,
    summary: 'Make this task depend on another',
    description:
      'Self-dependencies, duplicates and cycles are refused with 409; the message names the cycle.',
    params: IdParams,
    body: DependencyCreate,
    response: TaskDependency,
    status: 201,
    errors: ['NOT_FOUND', 'CONFLICT'],
    handler: ({ ctx, params, body }) =>
      dependencies.addDependency(ctx, params.id, body.dependsOnTaskId),
  }),
  defineRoute({
    method: 'delete',
    path: '/tasks/{id}/dependencies/{dependsOnTaskId}',
    tags,
    summary: 'Remove a dependency (the second segment is the other task’s id)',
    params: DependencyParams,
    response: null,
    errors: ['NOT_FOUND'],
    handler: ({ ctx, params }) =>
      dependencies.removeDependency(ctx, params.id, params.dependsOnTaskId),
  }),
];
