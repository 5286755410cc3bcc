/** Schemas of tasks and task dependencies (API_CONTRACT.md §b.2, §c.2 Task). */
import { z } from '@hono/zod-openapi';
import {
  Area,
  GoalIds,
  Id,
  Instant,
  InstantInput,
  LocalDate,
  PageQuery,
  Priority,
  ProjectIds,
  QueryBoolean,
  RecurrenceUnit,
  SubCategory,
  TaskRewardLedgerStatus,
  TaskStatus,
  TaskStoryPoints,
  Text,
  paged,
} from './common.js';

/** `{frequency, interval, endDate}`: repeat every `interval` days/weeks/months/years until `endDate`. */
export const RecurrenceRule = z
  .object({
    frequency: RecurrenceUnit,
    interval: z.number().int().min(1).max(1000),
    endDate: LocalDate.nullable().default(null),
  })
  .openapi('RecurrenceRule');

/** A task as the API returns it. */
export const Task = z
  .object({
    id: z.string(),
    title: z.string(),
    description: z.string().nullable(),
    extendedDescription: z.string().nullable(),
    area: Area,
    subCategory: SubCategory.nullable(),
    priority: Priority,
    status: TaskStatus,
    size: z.number().int().nullable().openapi({ description: 'Fibonacci story points' }),
    dueDate: z.string().nullable(),
    scheduledDate: z.string().nullable(),
    completedDate: Instant.nullable(),
    notes: z.string().nullable(),
    isRecurring: z.boolean(),
    recurrenceRule: RecurrenceRule.nullable(),
    pointValue: z.number().int().nullable(),
    pointsAwarded: z.boolean().nullable(),
    rewardLedgerStatus: TaskRewardLedgerStatus,
    rewardAwardTransactionId: z.string().nullable(),
    rewardReversalTransactionId: z.string().nullable(),
    rewardReversedAt: Instant.nullable(),
    projectIds: z.array(z.string()),
    goalIds: z.array(z.string()),
    userId: z.string(),
    createdAt: Instant,
    updatedAt: Instant,
  })
  .openapi('Task');

const editable = {
  description: Text(10_000).optional(),
  extendedDescription: Text(50_000).optional(),
  subCategory: SubCategory.nullable().optional(),
  priority: Priority.optional(),
  status: TaskStatus.optional(),
  size: TaskStoryPoints.nullable().optional(),
  dueDate: LocalDate.nullable().optional(),
  scheduledDate: LocalDate.nullable().optional(),
  notes: Text(10_000).optional(),
  isRecurring: z.boolean().optional(),
  recurrenceRule: RecurrenceRule.nullable().optional(),
  pointValue: z.number().int().min(0).max(1_000_000).nullable().optional(),
  projectIds: ProjectIds.optional(),
  goalIds: GoalIds.optional(),
};

/** `CreateTaskInput`. */
export const TaskCreate = z
  .object({ title: z.string().trim().min(1).max(500), area: Area, ...editable })
  .openapi('TaskCreate');

/** `UpdateTaskInput`: every field optional; omitted fields are left untouched, `null` clears. */
export const TaskUpdate = z
  .object({
    title: z.string().trim().min(1).max(500).optional(),
    area: Area.optional(),
    ...editable,
    completedDate: InstantInput.nullable().optional(),
  })
  .openapi('TaskUpdate');

const SORT_FIELDS = [
  'createdAt',
  'updatedAt',
  'title',
  'dueDate',
  'scheduledDate',
  'priority',
  'status',
  'size',
  'pointValue',
  'completedDate',
] as const;

/** Query of `GET /tasks`. */
export const TaskListQuery = PageQuery.extend({
  search: z.string().max(200).optional(),
  status: TaskStatus.optional(),
  priority: Priority.optional(),
  area: Area.optional(),
  subCategory: SubCategory.optional(),
  projectId: Id.optional(),
  goalId: Id.optional(),
  dueDate: LocalDate.optional(),
  isRecurring: QueryBoolean.optional(),
  sortBy: z.enum(SORT_FIELDS).optional(),
  sortOrder: z.enum(['asc', 'desc']).optional(),
  limit: z.coerce
    .number()
    .int()
    .min(1)
    .max(1000)
    .optional()
    .openapi({ description: 'Alias of pageSize' }),
});

/** `GET /tasks`: the list under `tasks` (§a.3). */
export const TaskPage = paged(Task, 'tasks').openapi('TaskPage');

/** A list of tasks under both `tasks` and `data` (`GET /goals/{id}/tasks`, `GET /projects/{id}/tasks`). */
export const TaskPageBoth = paged(Task, 'tasks')
  .extend({ data: z.array(Task) })
  .openapi('TaskPageBoth');

/** Edge "task `taskId` is blocked by `dependsOnTaskId`". */
export const TaskDependency = z
  .object({ id: z.string(), taskId: z.string(), dependsOnTaskId: z.string(), createdAt: Instant })
  .openapi('TaskDependency');

/** Body of `POST /tasks/{id}/dependencies`. */
export const DependencyCreate = z.object({ dependsOnTaskId: Id });

/** Path of `DELETE /tasks/{id}/dependencies/{dependsOnTaskId}` (the other task's id). */
export const DependencyParams = z.object({ id: Id, dependsOnTaskId: Id });

/** Body of `POST /tasks/{id}/complete` (the client sends `{}`). */
export const CompleteBody = z.looseObject({});

/** The parsed type of {@link Task}. */
export type TaskT = z.output<typeof Task>;
/** The parsed type of {@link TaskCreate}. */
export type TaskCreateInput = z.output<typeof TaskCreate>;
/** The parsed type of {@link TaskUpdate}. */
export type TaskUpdateInput = z.output<typeof TaskUpdate>;
/** The parsed type of {@link TaskListQuery}. */
export type TaskListQueryT = z.output<typeof TaskListQuery>;
/** The parsed type of {@link TaskDependency}. */
export type TaskDependencyT = z.output<typeof TaskDependency>;
/** The parsed type of {@link RecurrenceRule}. */
export type RecurrenceRuleT = z.output<typeof RecurrenceRule>;
