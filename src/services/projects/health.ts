/**
 * Project health (API_CONTRACT.md §c.2 ProjectHealth, §e.11): the pure rule, the health of one
 * project, and the health of many projects in a bounded number of storage round trips.
 */
import type { UserCtx } from '../../api/deps.js';
import type { ProjectHealthT } from '../../api/schemas/projects.js';
import { getEntities, getEntity, listEntities } from '../../db/queries.js';
import type { Item } from '../../db/table.js';
import { daysBetween, localDateOf, todayIn } from '../../utils/dates.js';
import { criteriaOf } from '../goals/model.js';
import { round2 } from '../goals/rules.js';
import { linkedChildren, linkedIds } from '../links.js';
import { timeZoneOf } from '../profile.js';

/** What a project's health is judged from. */
export interface ProjectHealthInput {
  /** The project's status (`Completed` means the work is complete). */
  status: string;
  /** Local dates; the schedule runs from `startDate` (else `createdDate`) to `targetEndDate`. */
  startDate: string | null;
  targetEndDate: string | null;
  /** The local date the project was created. */
  createdDate: string;
  /** Statuses of the linked tasks. */
  taskStatuses: string[];
  /** The linked goals: status and criteria. */
  goals: { status: string; criteria: { isCompleted: boolean }[] }[];
  /** Today's local date. */
  today: string;
}

/** Points by which progress may trail the elapsed share of the schedule before it is behind. */
export const BEHIND_BY_POINTS = 10;

/**
 * Project health (§e.11):
 * - percentComplete = Done / linked tasks × 100; without tasks, the mean criteria completion of
 *   the linked goals (a goal without criteria counts 0); 0 with neither;
 * - the work is complete when the status is Completed, every linked task is Done, or every
 *   linked goal is Achieved (the client's rule); complete work is never overdue or behind;
 * - red when overdue (today after `targetEndDate` and the work not complete) or any linked task
 *   is Blocked;
 * - yellow when behind schedule: percentComplete − elapsed% ≤ −10, elapsed% = the elapsed share
 *   of start → targetEndDate in local days (clamped to 0–100; 100 on or after the end when the
 *   span is not positive);
 * - else green. Without a `targetEndDate` there is no schedule: only Blocked tasks make it red.
 */
export function projectHealth(input: ProjectHealthInput): ProjectHealthT {
  const tasksTotal = input.taskStatuses.length;
  const tasksCompleted = input.taskStatuses.filter((s) => s === 'Done').length;
  const goalShare = (g: ProjectHealthInput['goals'][number]) =>
    g.criteria.length === 0
      ? 0
      : (g.criteria.filter((c) => c.isCompleted).length / g.criteria.length) * 100;
  const percent =
    tasksTotal > 0
      ? (tasksCompleted / tasksTotal) * 100
      : input.goals.length > 0
        ? input.goals.reduce((sum, g) => sum + goalShare(g), 0) / input.goals.length
        : 0;
  const complete =
    input.status === 'Completed' ||
    (tasksTotal > 0 && tasksCompleted === tasksTotal) ||
    (input.goals.length > 0 && input.goals.every((g) => g.status === 'Achieved'));
  const end = input.targetEndDate;
  const overdue = end !== null && input.today > end && !complete;
  let behind = false;
  if (end !== null && !complete) {
    const start = input.startDate ?? input.createdDate;
    const span = daysBetween(start, end);
    const elapsed =
      span <= 0
        ? input.today >= end
          ? 100
          : 0
        : Math.min(100, Math.max(0, (daysBetween(start, input.today) / span) * 100));
    behind = percent - elapsed <= -BEHIND_BY_POINTS;
  }
  const blocked = input.taskStatuses.includes('Blocked');
  return {
    status: overdue || blocked ? 'red' : behind ? 'yellow' : 'green',
    tasksCompleted,
    tasksTotal,
    percentComplete: round2(percent),
  };
}

function healthOf(
  project: Item,
  tasks: Item[],
  goals: Item[],
  today: string,
  timeZone: string,
): ProjectHealthT {
  return projectHealth({
    status: String(project.status),
    startDate: (project.startDate as string | null) ?? null,
    targetEndDate: (project.targetEndDate as string | null) ?? null,
    createdDate: localDateOf(String(project.createdAt), timeZone),
    taskStatuses: tasks.map((t) => String(t.status)),
    goals: goals.map((g) => ({ status: String(g.status), criteria: criteriaOf(g) })),
    today,
  });
}

/**
 * The health of one project: its linked tasks (one link query, one batch read), its linked
 * goals (one batch read) and the user's zone. @throws NotFoundError
 */
export async function getProjectHealth(ctx: UserCtx, projectId: string): Promise<ProjectHealthT> {
  const project = await getEntity(ctx.db, ctx.userId, 'PROJECT', projectId);
  const [tasks, goals, timeZone] = await Promise.all([
    linkedChildren(ctx, 'PROJECT', projectId, 'TASK'),
    getEntities(ctx.db, ctx.userId, 'GOAL', linkedIds(project, 'GOAL')),
    timeZoneOf(ctx),
  ]);
  return healthOf(project, tasks, goals, todayIn(ctx.clock, timeZone), timeZone);
}

/**
 * The health of many projects at once, by project id, in a bounded number of storage round
 * trips whatever the number of projects and tasks: one query of the user's tasks (grouped by
 * their `projectIds`), one batch read of every linked goal, one read of the profile.
 */
export async function projectHealthMany(
  ctx: UserCtx,
  projects: Item[],
): Promise<Map<string, ProjectHealthT>> {
  const health = new Map<string, ProjectHealthT>();
  if (projects.length === 0) return health;
  const [tasks, goals, timeZone] = await Promise.all([
    listEntities(ctx.db, ctx.userId, 'TASK'),
    getEntities(
      ctx.db,
      ctx.userId,
      'GOAL',
      projects.flatMap((p) => linkedIds(p, 'GOAL')),
    ),
    timeZoneOf(ctx),
  ]);
  const today = todayIn(ctx.clock, timeZone);
  const tasksOf = new Map<string, Item[]>();
  for (const task of tasks) {
    for (const projectId of linkedIds(task, 'PROJECT')) {
      const list = tasksOf.get(projectId);
      if (list) list.push(task);
      else tasksOf.set(projectId, [task]);
    }
  }
  const goalById = new Map(goals.map((g) => [String(g.id), g]));
  for (const project of projects) {
    const id = String(project.id);
    const linkedGoals = linkedIds(project, 'GOAL').flatMap((g) => goalById.get(g) ?? []);
    health.set(id, healthOf(project, tasksOf.get(id) ?? [], linkedGoals, today, timeZone));
  }
  return health;
}
