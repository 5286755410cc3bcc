/** Schemas of projects and project health (API_CONTRACT.md §b.3, §c.2 Project, ProjectHealth). */
import { z } from '@hono/zod-openapi';
import {
  Area,
  GoalIds,
  Id,
  Instant,
  LocalDate,
  PageQuery,
  Priority,
  ProjectHealthStatus,
  ProjectStatus,
  QueryBoolean,
  SubCategory,
  Text,
  paged,
} from './common.js';

/** `ProjectImpact`: an integer 1–5. */
const Impact = z.number().int().min(1).max(5);

/**
 * `ProjectHealth` (§e.11): `percentComplete` = Done / linked tasks × 100, or without tasks the
 * average criteria completion of the linked goals (percent, 0–100).
 */
export const ProjectHealth = z
  .object({
    status: ProjectHealthStatus,
    tasksCompleted: z.number().int(),
    tasksTotal: z.number().int(),
    percentComplete: z.number(),
  })
  .openapi('ProjectHealth');

/** A project as the API returns it; `health`, `taskCount`, `completedTaskCount` only on request. */
export const Project = z
  .object({
    id: z.string(),
    name: z.string(),
    description: z.string().nullable(),
    area: Area,
    subCategory: SubCategory.nullable(),
    priority: Priority,
    status: ProjectStatus,
    impact: z.number().int(),
    startDate: z.string().nullable(),
    targetEndDate: z.string().nullable(),
    actualEndDate: z.string().nullable(),
    notes: z.string().nullable(),
    goalIds: z.array(z.string()),
    userId: z.string(),
    createdAt: Instant,
    updatedAt: Instant,
    taskCount: z.number().int().optional(),
    completedTaskCount: z.number().int().optional(),
    health: ProjectHealth.optional(),
  })
  .openapi('Project');

const editable = {
  description: Text(10_000).optional(),
  subCategory: SubCategory.nullable().optional(),
  priority: Priority.optional(),
  status: ProjectStatus.optional(),
  impact: Impact.optional(),
  startDate: LocalDate.nullable().optional(),
  targetEndDate: LocalDate.nullable().optional(),
  notes: Text(10_000).optional(),
  goalIds: GoalIds.optional(),
};

/** `CreateProjectInput` (plus `goalIds`, which links the goals). */
export const ProjectCreate = z
  .object({ name: z.string().trim().min(1).max(500), area: Area, ...editable })
  .openapi('ProjectCreate');

/** `UpdateProjectInput`: every field optional; omitted fields untouched, `null` clears. */
export const ProjectUpdate = z
  .object({
    name: z.string().trim().min(1).max(500).optional(),
    area: Area.optional(),
    ...editable,
    actualEndDate: LocalDate.nullable().optional(),
  })
  .openapi('ProjectUpdate');

/** Query of `GET /projects`; `includeHealth=true` adds `health` and task counts to each project. */
export const ProjectListQuery = PageQuery.extend({
  area: Area.optional(),
  status: ProjectStatus.optional(),
  priority: Priority.optional(),
  includeHealth: QueryBoolean.optional(),
});

/** `GET /projects`, `GET /goals/{id}/projects`. */
export const ProjectPage = paged(Project).openapi('ProjectPage');

/** Body of `POST /projects/{id}/goals`. */
export const GoalLinkBody = z.object({ goalId: Id });
/** Path of `DELETE /projects/{id}/goals/{goalId}`. */
export const GoalLinkParams = z.object({ id: Id, goalId: Id });

// Types inferred from the schemas of the same name (never written twice).
export type ProjectT = z.output<typeof Project>;
/** The parsed type of {@link ProjectCreate}. */
export type ProjectCreateInput = z.output<typeof ProjectCreate>;
/** The parsed type of {@link ProjectUpdate}. */
export type ProjectUpdateInput = z.output<typeof ProjectUpdate>;
/** The parsed type of {@link ProjectListQuery}. */
export type ProjectListQueryT = z.output<typeof ProjectListQuery>;
/** The parsed type of {@link ProjectHealth}. */
export type ProjectHealthT = z.output<typeof ProjectHealth>;
