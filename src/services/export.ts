/**
 * `GET /export`: every item the user owns, in one document (`ExportDocument`, schemas/data.ts) —
 * the front end's localStorage format (`gs_*` maps keyed by id, records in the shapes the API
 * returns, relation maps keyed by `{childId}#{parentId}`) plus what only the server keeps, and
 * `meta: {format, version, exportedAt, userId, email}`. The import reads it back: into a fresh
 * account it reproduces every entity, link and ledger entry with its id.
 *
 * Left out: what is not the person's data but the server's bookkeeping — refresh tokens,
 * idempotency records, pending uploads, logbook date guards, expired insights — and the content
 * of uploaded files, which stays in S3 (vault and inbox items are exported as records).
 */
import type { UserCtx } from './../api/deps.js';
import { EXPORT_FORMAT, EXPORT_VERSION, type ExportDocumentInput } from '../api/schemas/data.js';
import { fromItem } from '../db/models.js';
import { userItems } from '../db/queries.js';
import type { Item } from '../db/table.js';
import { nowInstant } from '../utils/dates.js';
import { toActivity, toGoal } from './goals/model.js';
import { toHabit } from './habits/index.js';
import { toHabitLog } from './habits/logs.js';
import { LINK_COLLECTIONS, LOGBOOK_LINK_COLLECTIONS } from './import/parse.js';
import { toEntry } from './logbook.js';
import { toInsight } from './metrics/insights.js';
import { storedLog, toMetric, toMetricLog } from './metrics/items.js';
import { toMilestone } from './metrics/milestones.js';
import { DEFAULT_TIME_ZONE } from './profile.js';
import { toProject } from './projects/model.js';
import { toRedemption, toReward } from './rewards/model.js';
import { toDependency } from './tasks/dependencies.js';
import { toTask } from './tasks/model.js';
import { toBalance, toTransaction } from './wallet.js';

type Doc = ExportDocumentInput;

/** The relation map and record of a link item (parent → child), by the front end's key. */
function linkRecord(item: Item): [keyof Doc, string, Record<string, unknown>] | null {
  const relation = LINK_COLLECTIONS.find(
    (r) => r.parent === item.parentType && r.child === item.childType,
  );
  if (!relation) return null;
  const [child, parent] = [String(item.childId), String(item.parentId)];
  return [
    relation.key as keyof Doc,
    `${child}#${parent}`,
    { [relation.childField]: child, [relation.parentField]: parent, createdAt: item.createdAt },
  ];
}

/** The map and record of a logbook link: the front end's map of its type, else `logbookLinks`. */
function logbookLinkRecord(item: Item): [keyof Doc, string, Record<string, unknown>] {
  const [entryId, type, id] = [
    String(item.entryId),
    String(item.linkedType),
    String(item.linkedId),
  ];
  const front = LOGBOOK_LINK_COLLECTIONS.find((c) => c.entityType === type);
  if (front) {
    return [
      front.key as keyof Doc,
      `${id}#${entryId}`,
      { [`${type}Id`]: id, logbookEntryId: entryId, createdAt: item.createdAt },
    ];
  }
  return [
    'logbookLinks',
    `${type}:${id}#${entryId}`,
    { logbookEntryId: entryId, entityType: type, entityId: id, createdAt: item.createdAt },
  ];
}

/**
 * The user's data as an {@link ExportDocumentInput} (parsed through its schema by the route):
 * one read of every item the user owns (`userItems`), grouped by kind.
 */
export async function exportData(ctx: UserCtx): Promise<Doc> {
  const now = nowInstant(ctx.clock);
  const doc: Record<string, Record<string, unknown>> = {};
  const put = (key: string, id: string, record: unknown) => {
    (doc[key] ??= {})[id] = record;
  };
  let profile: Item | null = null;
  let wallet: Item | null = null;
  for (const item of await userItems(ctx.db, ctx.userId)) {
    const id = String(item.id);
    switch (item.entityType) {
      case 'TASK':
        put('gs_tasks', id, { ...fromItem<Record<string, unknown>>(item), ...toTask(item) });
        break;
      case 'PROJECT':
        put('gs_projects', id, toProject(item));
        break;
      case 'GOAL':
        put('gs_goals', id, toGoal(item));
        break;
      case 'METRIC': {
        const { logs: _logs, ...metric } = toMetric(item);
        put('gs_metrics', id, metric);
        break;
      }
      case 'METRICLOG':
        put('gs_metricLogs', id, toMetricLog(storedLog(item)));
        break;
      case 'METRICMILESTONE':
        put('gs_metricMilestones', id, toMilestone(item));
        break;
      case 'METRICINSIGHT':
        if (String(item.expiresAt) > now) put('gs_metricInsights', id, toInsight(item));
        break;
      case 'HABIT':
        put('gs_habits', id, toHabit(item));
        break;
      case 'HABITLOG':
        put('gs_habitLogs', id, toHabitLog(item));
        break;
      case 'LOGBOOK':
        put('gs_logbookEntries', id, toEntry(item));
        break;
      case 'REWARD':
        put('gs_rewards', id, toReward(item));
        break;
      case 'REDEMPTION':
        put('gs_reward_redemptions', id, {
          ...toRedemption(item),
          transactionId: (item.transactionId as string | null | undefined) ?? null,
        });
        break;
      case 'WALLET_TX':
        put('gs_wallet_transactions', id, toTransaction(item));
        break;
      case 'TASK_DEPENDENCY':
        if (String(item.sk).startsWith('DEP#')) put('gs_taskDependencies', id, toDependency(item));
        break;
      case 'GOAL_ACTIVITY':
        put('goalActivities', id, toActivity(item));
        break;
      case 'LINK': {
        const record = linkRecord(item);
        if (record) put(...record);
        break;
      }
      case 'LOGBOOK_LINK':
        put(...logbookLinkRecord(item));
        break;
      case 'FEATURECONFIG':
        put('featureConfigs', String(item.feature), { provider: item.provider, model: item.model });
        break;
      case 'INBOXITEM':
      case 'VAULTITEM': {
        const { s3Key: _s3Key, ...record } = fromItem<Record<string, unknown>>(item);
        put(item.entityType === 'INBOXITEM' ? 'inboxItems' : 'vaultItems', id, record);
        break;
      }
      case 'PROFILE':
        profile = item;
        break;
      case 'WALLET':
        wallet = item;
        break;
      default:
        break; // bookkeeping: refresh tokens, idempotency records, uploads, date guards
    }
  }
  const p = (profile ?? {}) as Record<string, unknown>;
  return {
    meta: {
      format: EXPORT_FORMAT,
      version: EXPORT_VERSION,
      exportedAt: now,
      userId: ctx.userId,
      email: (p.email as string | null | undefined) ?? null,
    },
    ...(Object.fromEntries(EMPTY_MAPS.map((key) => [key, doc[key] ?? {}])) as Record<
      (typeof EMPTY_MAPS)[number],
      Record<string, never>
    >),
    gs_wallet_balance: wallet ? { [ctx.userId]: toBalance(ctx.userId, wallet) } : {},
    preferences: {
      timeZone: (p.timeZone as string | undefined) ?? DEFAULT_TIME_ZONE,
      mode: (p.mode as 'work' | 'leisure' | undefined) ?? 'work',
      weeklyReviewDay: (p.weeklyReviewDay as number | undefined) ?? 0,
      displayName: (p.displayName as string | null | undefined) ?? null,
    },
    featureConfigs: doc.featureConfigs ?? {},
    inboxItems: doc.inboxItems ?? {},
    vaultItems: doc.vaultItems ?? {},
  } as Doc;
}

/** Every map of the document but the balance, present even when empty. */
const EMPTY_MAPS = [
  'gs_tasks',
  'gs_projects',
  'gs_goals',
  'gs_metrics',
  'gs_metricLogs',
  'gs_habits',
  'gs_habitLogs',
  'gs_logbookEntries',
  'gs_rewards',
  'gs_taskDependencies',
  ...LINK_COLLECTIONS.map((r) => r.key),
  ...LOGBOOK_LINK_COLLECTIONS.map((c) => c.key),
  'gs_wallet_transactions',
  'gs_reward_redemptions',
  'gs_metricMilestones',
  'gs_metricInsights',
  'goalActivities',
  'logbookLinks',
] as const;
