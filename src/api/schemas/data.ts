/**
 * Schemas of the data routes: `POST /import/local-storage` (the browser's localStorage dump in,
 * a per-collection report out) and `GET /export` (every item of the user in one versioned
 * document that the import reads back).
 *
 * The export is the dump's own format — one `gs_*` map per collection, keyed by id, records in
 * the shapes the API returns — plus what only the server keeps (goal activity, logbook links to
 * metrics and entries, preferences, AI feature configs) under plain keys, and `meta`. Relation
 * maps (`gs_taskGoals`, …) are keyed by `{childId}#{parentId}`: `#` never occurs in an id.
 */
import { z } from '@hono/zod-openapi';
import { AIFeature, FeatureProviderConfig } from './ai.js';
import {
  Id,
  Instant,
  LinkEntityType,
  LocalDate,
  ModePreference,
  TaskRewardLedgerStatus,
} from './common.js';
import { Goal, GoalActivity } from './goals.js';
import { Habit, HabitLog } from './habits.js';
import { Document, InboxItem } from './knowledge.js';
import { LogbookEntry } from './logbook.js';
import { Metric, MetricInsight, MetricLog, MetricMilestone } from './metrics.js';
import { Project } from './projects.js';
import { Reward, RewardRedemption } from './rewards.js';
import { Task, TaskDependency } from './tasks.js';
import { WalletBalance, WalletTransaction } from './wallet.js';

// ---- import -----------------------------------------------------------------------------------

/** The request body of the import: the browser's localStorage, key by key. */
export const LocalStorageDump = z.record(z.string(), z.unknown()).openapi('LocalStorageDump', {
  description:
    'An object of `gs_*` keys as the browser holds them; each value is either the parsed JSON or the raw JSON string. An export of this API (`GET /export`) is accepted as it is. At most 6 MiB.',
  example: {
    gs_tasks: '{"t-1":{"id":"t-1","title":"Design the schema","area":"Wealth","status":"Done"}}',
    gs_taskGoals: { undefined: { taskId: 't-1', goalId: 'g-1', createdAt: '2026-11-29' } },
  },
});

/** What happened to the records of one collection. */
export const ImportCounts = z
  .object({
    created: z.number().int(),
    updated: z.number().int(),
    unchanged: z.number().int(),
    failed: z.number().int().openapi({ description: 'Not imported; each has a problem' }),
  })
  .openapi('ImportCounts');

/** A record that was not imported (`error`) or was imported with a change (`warning`). */
export const ImportProblem = z
  .object({
    collection: z.string().openapi({ example: 'gs_projects' }),
    id: z.string().nullable().openapi({ description: 'The record’s id as the dump gives it' }),
    level: z.enum(['error', 'warning']),
    reason: z.string(),
  })
  .openapi('ImportProblem');

/** Where the imported wallet's balance came from. */
export const ImportWallet = z
  .object({
    source: z.enum(['dump', 'none']).openapi({
      description:
        '`dump`: the balance comes from the dump’s wallet data; `none`: the dump has none and the wallet is left as it was (zero for a new account)',
    }),
    detail: z.string(),
    totalPoints: z.number().int(),
    lifetimeEarned: z.number().int(),
    lifetimeSpent: z.number().int(),
  })
  .openapi('ImportWallet');

/** `POST /import/local-storage`: counts per collection, their totals, the wallet and every problem. */
export const ImportResult = z
  .object({
    collections: z.record(z.string(), ImportCounts),
    totals: ImportCounts,
    wallet: ImportWallet,
    problems: z.array(ImportProblem),
    ignoredKeys: z
      .array(z.string())
      .openapi({ description: 'Keys of the dump that hold no data to import (e.g. `gs_seeded`)' }),
  })
  .openapi('ImportResult');

// ---- export -----------------------------------------------------------------------------------

/** The format name and version of {@link ExportDocument}. */
export const EXPORT_FORMAT = 'personal-os-export';
/** Version of the export document's format (`meta.version`). */
export const EXPORT_VERSION = 1;

/** A map of records by id (or, for relations, by `{childId}#{parentId}`). */
const byKey = <T extends z.ZodType>(record: T) => z.record(z.string(), record);

/** What the server keeps of a task beyond the contract's fields, so a round trip loses nothing. */
export const TaskServerFields = z.object({
  rewardLedgerStatus: TaskRewardLedgerStatus.optional(),
  rewardAwardTransactionId: z.string().nullable().optional(),
  rewardReversalTransactionId: z.string().nullable().optional(),
  rewardReversedAt: Instant.nullable().optional(),
  awardedPoints: z
    .number()
    .int()
    .min(0)
    .optional()
    .openapi({ description: 'Points credited for the completion (clawed back on re-opening)' }),
  seriesId: Id.optional().openapi({ description: 'First task of a recurring series' }),
  recurrenceAnchor: LocalDate.optional(),
  recurrenceAnchorField: z.enum(['dueDate', 'scheduledDate']).optional(),
  recurrenceIndex: z.number().int().min(0).optional(),
  nextOccurrenceId: Id.optional(),
});

const ExportTask = Task.extend(TaskServerFields.shape);
const ExportRedemption = RewardRedemption.extend({
  transactionId: z.string().nullable().optional().openapi({
    description: 'The `spend` ledger entry that paid for it (null for imported history)',
  }),
});
const link = <C extends string, P extends string>(child: C, parent: P) =>
  z.object({ [child]: z.string(), [parent]: z.string(), createdAt: Instant } as {
    [K in C | P]: z.ZodString;
  } & { createdAt: typeof Instant });

/** A logbook link the front end has no `gs_logbook*` map for (to a metric or another entry). */
export const ExportLogbookLink = z.object({
  logbookEntryId: z.string(),
  entityType: LinkEntityType,
  entityId: z.string(),
  createdAt: Instant,
});

/** The user's preferences and display name. */
export const ExportPreferences = z.object({
  timeZone: z.string(),
  mode: ModePreference,
  weeklyReviewDay: z.number().int().min(0).max(6),
  displayName: z.string().nullable(),
});

/** `GET /export`. */
export const ExportDocument = z
  .object({
    meta: z.object({
      format: z.literal(EXPORT_FORMAT),
      version: z.literal(EXPORT_VERSION),
      exportedAt: Instant,
      userId: z.string(),
      email: z.string().nullable(),
    }),
    gs_tasks: byKey(ExportTask),
    gs_projects: byKey(Project),
    gs_goals: byKey(Goal),
    gs_metrics: byKey(Metric.omit({ logs: true })),
    gs_metricLogs: byKey(MetricLog),
    gs_habits: byKey(Habit),
    gs_habitLogs: byKey(HabitLog),
    gs_logbookEntries: byKey(LogbookEntry),
    gs_rewards: byKey(Reward),
    gs_taskDependencies: byKey(TaskDependency),
    gs_taskProjects: byKey(link('taskId', 'projectId')),
    gs_taskGoals: byKey(link('taskId', 'goalId')),
    gs_projectGoals: byKey(link('projectId', 'goalId')),
    gs_goalMetrics: byKey(link('metricId', 'goalId')),
    gs_habitGoals: byKey(link('habitId', 'goalId')),
    gs_logbookTasks: byKey(link('taskId', 'logbookEntryId')),
    gs_logbookProjects: byKey(link('projectId', 'logbookEntryId')),
    gs_logbookGoals: byKey(link('goalId', 'logbookEntryId')),
    gs_logbookHabits: byKey(link('habitId', 'logbookEntryId')),
    gs_wallet_balance: byKey(WalletBalance).openapi({ description: 'One balance, by user id' }),
    gs_wallet_transactions: byKey(WalletTransaction).openapi({ description: 'The ledger' }),
    gs_reward_redemptions: byKey(ExportRedemption),
    gs_metricMilestones: byKey(MetricMilestone),
    gs_metricInsights: byKey(MetricInsight).openapi({ description: 'Those not expired' }),
    goalActivities: byKey(GoalActivity),
    logbookLinks: byKey(ExportLogbookLink),
    preferences: ExportPreferences,
    featureConfigs: z
      .partialRecord(AIFeature, FeatureProviderConfig)
      .openapi({ description: 'Only the features whose default the user changed' }),
    inboxItems: byKey(InboxItem),
    vaultItems: byKey(Document).openapi({
      description: 'Records of uploaded documents; the files themselves stay in S3',
    }),
  })
  .openapi('ExportDocument', {
    description: `Every item of the user (format \`${EXPORT_FORMAT}\`, version ${EXPORT_VERSION}). \`POST /import/local-storage\` reads it back: into a fresh account it reproduces every entity and link with its id.`,
  });

/** The parsed type of {@link LocalStorageDump}. */
export type LocalStorageDumpT = z.output<typeof LocalStorageDump>;
/** The parsed type of {@link ImportCounts}. */
export type ImportCountsT = z.output<typeof ImportCounts>;
/** The parsed type of {@link ImportProblem}. */
export type ImportProblemT = z.output<typeof ImportProblem>;
/** The parsed type of {@link ImportWallet}. */
export type ImportWalletT = z.output<typeof ImportWallet>;
/** The parsed type of {@link ImportResult}. */
export type ImportResultT = z.output<typeof ImportResult>;
/** The parsed type of {@link ExportDocument}. */
export type ExportDocumentT = z.output<typeof ExportDocument>;
/** The raw type of {@link ExportDocument}. */
export type ExportDocumentInput = z.input<typeof ExportDocument>;
