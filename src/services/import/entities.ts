/**
 * The dump's entities mapped to the entities the domains store, one mapper per collection.
 *
 * Each record is first freed of the dump's quirks — `energy` for `energyLevel`, criteria as
 * strings or with an older `text`, date-only timestamps, `null` where the create input omits a
 * field, a project `impact` above 5 — and then validated with the domain's own create schema and
 * rules (`TaskCreate`, `assertRecurrence`, `assertSchedule`, `assertThresholds`, …) and built
 * with the domain's own builder (`newTask`, `newGoal`, …), so imported data obeys the rules of
 * API input. The ids, owner-independent fields and timestamps of the dump are kept; the owner is
 * the importing user. Links (`goalIds`, `projectIds`, `parentGoalId`) are resolved later, with
 * the relation maps (`relations.ts`).
 *
 * Tasks never pay on import. Their reward fields are those of an export when the record carries
 * them; otherwise a Done task is `awarded` with `awardedPoints` = the points the dump's wallet
 * credited for it (0 without such an entry), so re-opening it claws back exactly what the
 * imported ledger holds and completing it again pays as usual (§e.2–e.3).
 */
import type { z } from '@hono/zod-openapi';
import { TaskServerFields } from '../../api/schemas/data.js';
import { GoalCreate, GoalUpdate } from '../../api/schemas/goals.js';
import { HabitCreate } from '../../api/schemas/habits.js';
import { Document, InboxItem } from '../../api/schemas/knowledge.js';
import { LogbookEntryCreate } from '../../api/schemas/logbook.js';
import { MetricCreate } from '../../api/schemas/metrics.js';
import { ProjectCreate, ProjectUpdate } from '../../api/schemas/projects.js';
import { RewardCreate } from '../../api/schemas/rewards.js';
import { TaskCreate } from '../../api/schemas/tasks.js';
import { ValidationError } from '../../core/errors.js';
import type { EntityType } from '../../db/keys.js';
import type { EntityBase } from '../../db/models.js';
import type { Item } from '../../db/table.js';
import { newGoal } from '../goals/index.js';
import { newHabit } from '../habits/index.js';
import { DATE_SHAPED, newEntry } from '../logbook.js';
import { assertThresholds, newMetric } from '../metrics/index.js';
import { assertSchedule, newProject } from '../projects/index.js';
import { newReward } from '../rewards/model.js';
import { assertRecurrence, newTask } from '../tasks/model.js';
import { ENTITY_COLLECTIONS, instantOf, issuesText, validId, withoutNulls } from './parse.js';
import type { ImportReport } from './report.js';

/** The entity collections, by their name in `parse.ts`. */
export type EntityCollection = keyof typeof ENTITY_COLLECTIONS;

/** Points the dump's wallet credited for a task's completion, and the entry that did. */
export interface TaskReward {
  points: number;
  transactionId: string | null;
}

/** What the mappers need besides the record. */
export interface MapContext {
  userId: string;
  /** The user's IANA zone: date-only timestamps are local days in it. */
  timeZone: string;
  /** The import's instant (the fallback of a missing `createdAt`). */
  now: string;
  report: ImportReport;
  /** The user's stored entities of each type, by id. */
  stored: Map<EntityType, Map<string, Item>>;
  /** Completion credits of the dump's wallet, by task id. */
  taskRewards: Map<string, TaskReward>;
}

/** A record of the dump mapped to a stored entity, before its links are resolved. */
export interface MappedEntity {
  /** The dump key it came from. */
  collection: string;
  type: EntityType;
  id: string;
  /** The entity as the domain stores it (links left out). */
  entity: Record<string, unknown>;
  /**
   * Fields the stored copy keeps when the entity exists already: derived state (a metric's log
   * summary) and, for tasks, the reward state the server owns.
   */
  keep: string[];
  /** The ids the record embeds, by parent type (`goalIds`, `projectIds`), unvalidated. */
  embedded: { GOAL: unknown[]; PROJECT: unknown[] };
  /** A goal's `parentGoalId` as the dump gives it (resolved with the hierarchy). */
  parentGoalId?: unknown;
}

/** A mapper: the entity fields of a record (after `base`), or throws ValidationError. */
type Mapper = (
  value: Record<string, unknown>,
  base: EntityBase,
  ctx: MapContext & { collection: string; current: Item | undefined },
) => { entity: Record<string, unknown>; keep?: string[] };

/** Parses `input` with `schema`. @throws ValidationError with the issues in its message */
function parse<S extends z.ZodType>(schema: S, input: Record<string, unknown>): z.output<S> {
  const parsed = schema.safeParse(input);
  if (!parsed.success) throw new ValidationError(issuesText(parsed.error));
  return parsed.data;
}

/** `value` without the fields the mappers resolve themselves. */
const inputOf = (value: Record<string, unknown>, ...omit: string[]) =>
  withoutNulls(Object.fromEntries(Object.entries(value).filter(([k]) => !omit.includes(k))));

const LINK_FIELDS = ['goalIds', 'projectIds'];
const TASK_REWARD_FIELDS = [
  'pointsAwarded',
  'rewardLedgerStatus',
  'awardedPoints',
  'rewardAwardTransactionId',
  'rewardReversalTransactionId',
  'rewardReversedAt',
];

/** A timestamp field of a record as an instant; an invalid one is reported and left out. */
function timestamp(
  ctx: MapContext & { collection: string },
  id: string,
  value: Record<string, unknown>,
  field: string,
): string | null {
  const instant = instantOf(value[field], ctx.timeZone);
  if (instant !== undefined) return instant;
  ctx.report.warn(
    ctx.collection,
    id,
    `${field} ${JSON.stringify(value[field])} is not a date; left out`,
  );
  return null;
}

/** Reward fields of a task: an export's, or those of a task that never pays on import. */
function taskReward(
  value: Record<string, unknown>,
  task: Record<string, unknown>,
  ctx: MapContext & { collection: string; current: Item | undefined },
): { fields: Record<string, unknown>; keep: string[] } {
  const extras = TaskServerFields.safeParse(value);
  if (extras.success && extras.data.rewardLedgerStatus) {
    const awarded = extras.data.rewardLedgerStatus === 'awarded';
    return { fields: { ...extras.data, pointsAwarded: awarded }, keep: [] };
  }
  const done = task.status === 'Done';
  const stored = ctx.current;
  if (stored && (stored.status === 'Done') === done)
    return { fields: {}, keep: TASK_REWARD_FIELDS };
  if (stored && !done && Number(stored.awardedPoints ?? 0) > 0) {
    ctx.report.warn(
      ctx.collection,
      String(task.id),
      'completed and paid on the server; kept Done (re-open it to claw the points back)',
    );
    return {
      fields: { status: 'Done', completedDate: stored.completedDate },
      keep: TASK_REWARD_FIELDS,
    };
  }
  if (done) {
    const reward = ctx.taskRewards.get(String(task.id));
    return {
      fields: {
        pointsAwarded: true,
        rewardLedgerStatus: 'awarded',
        awardedPoints: reward?.points ?? 0,
        rewardAwardTransactionId: reward?.transactionId ?? null,
      },
      keep: [],
    };
  }
  if (stored) {
    // Re-opened in the browser after an earlier import completed it (without pay): as §e.3.
    return {
      fields: {
        pointsAwarded: false,
        rewardLedgerStatus: 'reversed',
        awardedPoints: 0,
        rewardReversedAt: task.updatedAt,
      },
      keep: [],
    };
  }
  return { fields: {}, keep: [] };
}

const TaskImport = TaskCreate.omit({ projectIds: true, goalIds: true });
const ProjectImport = ProjectCreate.omit({ goalIds: true }).extend({
  actualEndDate: ProjectUpdate.shape.actualEndDate,
});
const GoalImport = GoalCreate.omit({ parentGoalId: true }).extend({
  completedDate: GoalUpdate.shape.completedDate,
  lastActivityAt: GoalUpdate.shape.lastActivityAt,
});
const MetricImport = MetricCreate.omit({ goalIds: true });
const HabitImport = HabitCreate.omit({ goalIds: true });

/** Derived fields of a metric, recomputed from its logs after the import. */
const METRIC_SUMMARY = ['currentValue', 'logCount', 'milestoneCount', 'recentLogs'];

/**
 * Success criteria as the create schema takes them: strings or objects (the older `text` for
 * `description`), with date-only `completedAt`s made instants; a row without a usable id gets
 * `{goalId}-c{n}`, so importing the same dump twice yields the same ids.
 */
function criteriaInput(goalId: string, rows: unknown, timeZone: string): unknown {
  if (!Array.isArray(rows)) return rows;
  const seen = new Set<string>();
  return rows.map((row, index) => {
    const fallback = `${goalId}-c${index + 1}`;
    if (typeof row !== 'object' || row === null) {
      return typeof row === 'string' ? { id: fallback, description: row, isCompleted: false } : row;
    }
    const r = row as Record<string, unknown>;
    const own = validId(r.id);
    const id = own && !seen.has(own) ? own : fallback;
    seen.add(id);
    const completedAt = instantOf(r.completedAt, timeZone);
    return withoutNulls({
      id,
      description: r.description ?? r.text,
      isCompleted: r.isCompleted ?? false,
      completedAt: completedAt === undefined ? r.completedAt : completedAt,
    });
  });
}

const MAPPERS: Record<EntityCollection, Mapper> = {
  tasks(value, base, ctx) {
    const input = parse(TaskImport, inputOf(value, ...LINK_FIELDS));
    const task = newTask(input, base);
    const done = task.status === 'Done';
    task.completedDate = done
      ? (timestamp(ctx, base.id, value, 'completedDate') ?? base.updatedAt)
      : null;
    const extras = TaskServerFields.safeParse(value);
    if (!extras.success) {
      ctx.report.warn(
        ctx.collection,
        base.id,
        `server fields left out: ${issuesText(extras.error)}`,
      );
    }
    const reward = taskReward(value, task, ctx);
    const next = { ...task, ...(extras.success ? extras.data : {}), ...reward.fields };
    assertRecurrence(next);
    return { entity: next, keep: reward.keep };
  },
  projects(value, base, ctx) {
    const input = inputOf(value, ...LINK_FIELDS);
    const impact = input.impact;
    if (typeof impact === 'number' && (impact > 5 || impact < 1)) {
      const clamped = Math.min(5, Math.max(1, Math.round(impact)));
      ctx.report.warn(
        ctx.collection,
        base.id,
        `impact ${impact} is outside 1–5; imported as ${clamped}`,
      );
      input.impact = clamped;
    }
    const parsed = parse(ProjectImport, input);
    const project = { ...newProject(parsed, base), actualEndDate: parsed.actualEndDate ?? null };
    assertSchedule(project);
    return { entity: project };
  },
  goals(value, base, ctx) {
    const input = inputOf(value, 'parentGoalId', 'completedDate', 'lastActivityAt');
    input.successCriteria = criteriaInput(base.id, value.successCriteria ?? [], ctx.timeZone);
    const parsed = parse(GoalImport, input);
    const goal = {
      ...newGoal(parsed, base),
      completedDate: timestamp(ctx, base.id, value, 'completedDate'),
      lastActivityAt: timestamp(ctx, base.id, value, 'lastActivityAt'),
    };
    return { entity: goal };
  },
  metrics(value, base) {
    const metric = newMetric(parse(MetricImport, inputOf(value, ...LINK_FIELDS)), base);
    assertThresholds(metric);
    return { entity: metric, keep: METRIC_SUMMARY };
  },
  habits(value, base) {
    return { entity: newHabit(parse(HabitImport, inputOf(value, ...LINK_FIELDS)), base) };
  },
  logbookEntries(value, base) {
    if (DATE_SHAPED.test(base.id)) {
      throw new ValidationError(
        `the id looks like a date, which GET /logbook/{idOrDate} reads as one`,
      );
    }
    const input = inputOf(value);
    input.energyLevel ??= input.energy;
    return { entity: newEntry(parse(LogbookEntryCreate, input), base) };
  },
  rewards(value, base) {
    return { entity: newReward(parse(RewardCreate, inputOf(value)), base) };
  },
  // Vault and inbox items exist only through uploads: their records come back, their files
  // (in S3, under the uploading account) do not.
  inboxItems(value, base) {
    return { entity: { ...parse(InboxItem, { ...value, ...base }), ...base } };
  },
  vaultItems(value, base) {
    return { entity: { ...parse(Document, { ...value, ...base }), ...base } };
  },
};

/**
 * Maps the records of entity collection `name` (from dump key `collection`). Records with an
 * invalid or repeated id, or that fail the domain's schema or rules, are reported as failed and
 * left out.
 * @returns the mapped entities, and the ids of records that failed (to explain the links to them).
 */
export function mapEntities(
  name: EntityCollection,
  collection: string,
  records: { key: string; value: Record<string, unknown> }[],
  ctx: MapContext,
): { mapped: MappedEntity[]; failed: string[] } {
  const failed: string[] = [];
  const type = ENTITY_COLLECTIONS[name].type;
  const storedOfType = ctx.stored.get(type);
  const seen = new Set<string>();
  const mapped: MappedEntity[] = [];
  for (const { key, value } of records) {
    const raw = value.id ?? key;
    const id = validId(raw);
    if (!id) {
      ctx.report.fail(
        collection,
        typeof raw === 'string' ? raw : key,
        `invalid id ${JSON.stringify(raw)}: ids are 1–128 characters without "#", "/" or spaces`,
      );
      continue;
    }
    if (seen.has(id)) {
      ctx.report.fail(
        collection,
        id,
        'the id appears twice in the collection; the first record was imported',
      );
      continue;
    }
    seen.add(id);
    const current = storedOfType?.get(id);
    const local = { ...ctx, collection, current };
    const createdAt =
      timestamp(local, id, value, 'createdAt') ??
      (current?.createdAt as string | undefined) ??
      ctx.now;
    const base: EntityBase = {
      id,
      userId: ctx.userId,
      createdAt,
      updatedAt: timestamp(local, id, value, 'updatedAt') ?? createdAt,
    };
    try {
      const { entity, keep = [] } = MAPPERS[name](value, base, local);
      for (const field of [...LINK_FIELDS, 'parentGoalId']) Reflect.deleteProperty(entity, field);
      mapped.push({
        collection,
        type,
        id,
        entity,
        keep,
        embedded: { GOAL: arrayOf(value.goalIds), PROJECT: arrayOf(value.projectIds) },
        ...(name === 'goals' ? { parentGoalId: value.parentGoalId ?? null } : {}),
      });
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      ctx.report.fail(collection, id, err.message);
      failed.push(id);
    }
  }
  return { mapped, failed };
}

const arrayOf = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);
