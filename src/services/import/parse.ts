/**
 * Reading a localStorage dump: which key holds which collection, the values as the browser
 * keeps them (parsed JSON or raw JSON strings), records out of maps or arrays, ids, and the
 * dump's date-only timestamps.
 *
 * The front end's storage (`local-storage-adapter.ts` of the Personal OS client) keeps one key per
 * collection, `gs_{collection}`, holding an object of records keyed by id; relations are written
 * with an undefined id, so every relation map holds one record under the key `"undefined"` and
 * the rest of the relations survive only in the entities' embedded arrays (`goalIds`,
 * `projectIds`). The wallet of its local mode lives in `gs_wallet_balance` (one balance keyed by
 * user id), `gs_wallet_transactions` and `gs_reward_redemptions`; `gs_wallet`,
 * `gs_walletTransactions` and `gs_rewardRedemptions` are accepted too.
 */
import type { ZodError } from 'zod';
import { Id } from '../../api/schemas/common.js';
import type { EntityType } from '../../db/keys.js';
import { instantAtLocalTime, isLocalDate, parseInstant } from '../../utils/dates.js';
import type { ImportReport } from './report.js';

/** Collections of entities: their key(s) in the dump and their stored type. */
export const ENTITY_COLLECTIONS = {
  tasks: { keys: ['gs_tasks'], type: 'TASK' },
  projects: { keys: ['gs_projects'], type: 'PROJECT' },
  goals: { keys: ['gs_goals'], type: 'GOAL' },
  metrics: { keys: ['gs_metrics'], type: 'METRIC' },
  habits: { keys: ['gs_habits'], type: 'HABIT' },
  logbookEntries: { keys: ['gs_logbookEntries'], type: 'LOGBOOK' },
  rewards: { keys: ['gs_rewards'], type: 'REWARD' },
  inboxItems: { keys: ['inboxItems'], type: 'INBOXITEM' },
  vaultItems: { keys: ['vaultItems'], type: 'VAULTITEM' },
} as const satisfies Record<string, { keys: string[]; type: EntityType }>;

/**
 * Relations between entities that the child also embeds (§e.6): the dump key, the parent and
 * child types and the fields naming them in a relation record.
 */
export const LINK_COLLECTIONS = [
  {
    key: 'gs_taskProjects',
    parent: 'PROJECT',
    parentField: 'projectId',
    child: 'TASK',
    childField: 'taskId',
  },
  {
    key: 'gs_taskGoals',
    parent: 'GOAL',
    parentField: 'goalId',
    child: 'TASK',
    childField: 'taskId',
  },
  {
    key: 'gs_projectGoals',
    parent: 'GOAL',
    parentField: 'goalId',
    child: 'PROJECT',
    childField: 'projectId',
  },
  {
    key: 'gs_goalMetrics',
    parent: 'GOAL',
    parentField: 'goalId',
    child: 'METRIC',
    childField: 'metricId',
  },
  {
    key: 'gs_habitGoals',
    parent: 'GOAL',
    parentField: 'goalId',
    child: 'HABIT',
    childField: 'habitId',
  },
] as const;

/** One of {@link LINK_COLLECTIONS}. */
export type LinkCollection = (typeof LINK_COLLECTIONS)[number];

/** Logbook relations of the front end: the dump key and the linked entity's type (`{type}Id`). */
export const LOGBOOK_LINK_COLLECTIONS = [
  { key: 'gs_logbookTasks', entityType: 'task' },
  { key: 'gs_logbookProjects', entityType: 'project' },
  { key: 'gs_logbookGoals', entityType: 'goal' },
  { key: 'gs_logbookHabits', entityType: 'habit' },
] as const;

/** Every other collection: its canonical key first, then the aliases accepted. */
export const OTHER_COLLECTIONS = {
  metricLogs: ['gs_metricLogs'],
  habitLogs: ['gs_habitLogs'],
  taskDependencies: ['gs_taskDependencies'],
  metricMilestones: ['gs_metricMilestones'],
  metricInsights: ['gs_metricInsights'],
  walletBalance: ['gs_wallet_balance', 'gs_wallet', 'gs_walletBalance'],
  walletTransactions: ['gs_wallet_transactions', 'gs_walletTransactions'],
  rewardRedemptions: ['gs_reward_redemptions', 'gs_rewardRedemptions'],
  goalActivities: ['goalActivities'],
  logbookLinks: ['logbookLinks'],
  preferences: ['preferences'],
  featureConfigs: ['featureConfigs'],
} as const;

/** Keys that hold nothing to import: bookkeeping of the front end and of exports. */
const NOT_DATA = new Set(['gs_seeded', 'gs_auth_tokens', 'gs_auth_user', 'meta']);

/** A collection of the dump, by its name in this module. */
export type CollectionName =
  | keyof typeof ENTITY_COLLECTIONS
  | keyof typeof OTHER_COLLECTIONS
  | LinkCollection['key']
  | (typeof LOGBOOK_LINK_COLLECTIONS)[number]['key'];

/** One record of a collection: where it was (map key or array index) and its fields. */
export interface RawRecord {
  key: string;
  value: Record<string, unknown>;
}

/** A collection read from the dump: the key it came from and its records. */
export interface RawCollection {
  key: string;
  records: RawRecord[];
}

/** The dump, collection by collection. */
export type Dump = Map<CollectionName, RawCollection>;

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Collections held as one object rather than a map of records. */
const SINGLE: ReadonlySet<CollectionName> = new Set(['preferences']);

/** Whether `value` looks like one wallet balance rather than a map of them. */
const isBalance = (value: Record<string, unknown>) =>
  ['totalPoints', 'balance', 'lifetimeEarned', 'lifetimeSpent'].some(
    (f) => typeof value[f] === 'number',
  );

/** Every dump key this module knows, with the collection it holds. */
function knownKeys(): Map<string, CollectionName> {
  const known = new Map<string, CollectionName>();
  for (const [name, { keys }] of Object.entries(ENTITY_COLLECTIONS)) {
    for (const key of keys) known.set(key, name as CollectionName);
  }
  for (const [name, keys] of Object.entries(OTHER_COLLECTIONS)) {
    for (const key of keys) known.set(key, name as CollectionName);
  }
  for (const { key } of [...LINK_COLLECTIONS, ...LOGBOOK_LINK_COLLECTIONS]) known.set(key, key);
  return known;
}

/**
 * `dump` itself, or the document inside it when it is a whole response of this API saved as it
 * came (`{success: true, data: <export>, error: null}`, e.g. `curl /export > file`).
 */
export function unwrapEnvelope(dump: Record<string, unknown>): Record<string, unknown> {
  const keys = Object.keys(dump).sort().join(',');
  return keys === 'data,error,success' && dump.success === true && isObject(dump.data)
    ? dump.data
    : dump;
}

/**
 * Reads every collection of `dump` (unwrapped from an API envelope first). A value that is a
 * string is parsed as JSON; a collection whose JSON is broken, or that is neither an object nor
 * an array, is reported (collection, no id, reason) and skipped — the others are still read.
 * Records that are not objects are reported one by one. Unknown keys and bookkeeping keys are
 * listed in `ignored`.
 */
export function readDump(
  body: Record<string, unknown>,
  report: ImportReport,
): { collections: Dump; ignored: string[] } {
  const dump = unwrapEnvelope(body);
  const known = knownKeys();
  const collections: Dump = new Map();
  const ignored: string[] = [];
  for (const [key, raw] of Object.entries(dump)) {
    const name = known.get(key);
    if (!name || NOT_DATA.has(key)) {
      ignored.push(key);
      continue;
    }
    if (collections.has(name)) {
      report.warn(key, null, `ignored: ${collections.get(name)?.key} holds the same collection`);
      continue;
    }
    let value = raw;
    if (typeof raw === 'string') {
      try {
        value = JSON.parse(raw) as unknown;
      } catch (err) {
        report.fail(key, null, `not valid JSON (${(err as Error).message}); collection skipped`);
        continue;
      }
    }
    if (value === null) continue;
    if (!isObject(value) && !Array.isArray(value)) {
      report.fail(key, null, 'not an object or an array of records; collection skipped');
      continue;
    }
    const entries: [string, unknown][] = Array.isArray(value)
      ? value.map((v, i) => [String(i), v])
      : SINGLE.has(name) || (name === 'walletBalance' && isBalance(value))
        ? [[key, value]]
        : Object.entries(value);
    const records: RawRecord[] = [];
    for (const [recordKey, record] of entries) {
      if (isObject(record)) records.push({ key: recordKey, value: record });
      else report.fail(key, recordKey, 'the record is not an object');
    }
    collections.set(name, { key, records });
  }
  return { collections, ignored };
}

/**
 * `value` as an id when it is one the API accepts — a string of 1–128 characters without `#`,
 * `/` or whitespace (the `Id` schema) that is not `"undefined"` or `"null"` — else null.
 */
export function validId(value: unknown): string | null {
  if (typeof value !== 'string' || value === 'undefined' || value === 'null') return null;
  return Id.safeParse(value).success ? value : null;
}

/**
 * An id or a record's key as a report shows it (`null` when there is none; long values cut),
 * so an invalid id can still be named.
 */
export function shownId(value: unknown): string | null {
  if (value === undefined || value === null) return null;
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

/**
 * A timestamp of the dump as an instant: a date-only value (`2026-11-29`, as the front end
 * stores `createdAt`, `loggedAt`, `completedAt`) is that local calendar day, stored as 12:00 in
 * `timeZone` (noon stays on the same date whatever the zone's offset or DST); an ISO string with
 * `Z` or an offset is normalised; a number is epoch milliseconds. Null or absent → null;
 * anything else → undefined (invalid).
 */
export function instantOf(value: unknown, timeZone: string): string | null | undefined {
  if (value === null || value === undefined) return null;
  if (typeof value === 'number') {
    return Number.isFinite(value) && Math.abs(value) < 8.64e15
      ? new Date(value).toISOString()
      : undefined;
  }
  if (typeof value !== 'string') return undefined;
  if (isLocalDate(value)) return instantAtLocalTime(value, '12:00', timeZone);
  return parseInstant(value) ?? undefined;
}

/** `record` without its null and undefined fields (create schemas default what is left out). */
export function withoutNulls(record: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(record).filter(([, v]) => v !== null && v !== undefined),
  );
}

/** The problems of a failed validation, as one line: `field: message; field: message`. */
export function issuesText(error: ZodError): string {
  return error.issues
    .map((issue) => {
      const path = issue.path.map(String).join('.');
      return path ? `${path}: ${issue.message}` : issue.message;
    })
    .join('; ');
}
