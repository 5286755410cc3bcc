/**
 * Every partition key, sort key and GSI key format of the single table — here and nowhere else
 * (DESIGN.md §3).
 *
 * Rules the formats encode:
 * - A user's entities live in the user's partition `USER#{userId}` (sort key `{TYPE}#{id}`).
 * - Children (logs, links, activity, dependencies, redemptions) live in a partition *under their
 *   parent and its owner*: `USER#{userId}#{TYPE}#{id}`. The user id is part of the key, so a
 *   child partition is reachable only through the verified user — and ids imported from a
 *   browser dump (which two users may share) never collide across users.
 * - GSIs are tenant-scoped: `gsi1pk = USER#{userId}#{TYPE}` with `gsi1sk = {status}#{createdAt}`;
 *   `gsi2pk = USER#{userId}#AREA#{area}` with `gsi2sk = {TYPE}#{createdAt}`.
 * - Sort keys are unique: time-ordered children append their own id (`LOG#{instant}#{logId}`).
 * - Instants in keys are fixed-width ISO strings, so lexical order is time order.
 */
import type { Key } from './table.js';

/** Entity types stored as items (the `entityType` attribute and key prefixes). */
export type EntityType =
  | 'TASK'
  | 'PROJECT'
  | 'GOAL'
  | 'METRIC'
  | 'HABIT'
  | 'LOGBOOK'
  | 'REWARD'
  | 'INBOXITEM'
  | 'VAULTITEM';

/** Kinds of children listed across a user's entities through GSI1. */
export type ChildIndexKind = 'METRICLOG' | 'METRICMILESTONE' | 'HABITLOG' | 'REDEMPTION';

/** The user's own partition. */
export const userPk = (userId: string): string => `USER#${userId}`;

/** Partition holding the children of entity `type`/`id` owned by `userId`. */
export const childPk = (userId: string, type: EntityType, id: string): string =>
  `USER#${userId}#${type}#${id}`;

const childIndexPartition = (userId: string, kind: ChildIndexKind): string =>
  `USER#${userId}#${kind}`;

/** Sort-key prefix of every entity of `type` in the user's partition. */
export const entityPrefix = (type: EntityType): string => `${type}#`;

/** Key builders, one per kind of item (see the rules above). */
export const keys = {
  // ---- accounts ---------------------------------------------------------------------------
  /** The user's profile and preferences (email, displayName, timeZone, mode, weeklyReviewDay). */
  profile: (userId: string): Key => ({ pk: userPk(userId), sk: 'PROFILE' }),
  /** Local sign-in: the account of a (normalised) email, holding the user id and password hash. */
  localAccount: (email: string): Key => ({ pk: `EMAIL#${email}`, sk: 'ACCOUNT' }),
  /** A local refresh token, by the SHA-256 of the token. */
  refreshToken: (userId: string, tokenHash: string): Key => ({
    pk: userPk(userId),
    sk: `REFRESH#${tokenHash}`,
  }),
  refreshTokenPrefix: 'REFRESH#',

  // ---- entities ---------------------------------------------------------------------------
  /** An entity of `type` in the user's partition. */
  entity: (userId: string, type: EntityType, id: string): Key => ({
    pk: userPk(userId),
    sk: `${type}#${id}`,
  }),

  /** GSI1 keys of an entity: by type, then status and creation time. */
  gsi1: (userId: string, type: EntityType, status: string, createdAt: string) => ({
    gsi1pk: `USER#${userId}#${type}`,
    gsi1sk: `${status}#${createdAt}`,
  }),
  /** GSI2 keys of an entity: by life area, then type and creation time. */
  gsi2: (userId: string, area: string, type: EntityType, createdAt: string) => ({
    gsi2pk: `USER#${userId}#AREA#${area}`,
    gsi2sk: `${type}#${createdAt}`,
  }),
  /** GSI1 partition of every child of kind `kind` of the user (e.g. all metric logs). */
  childIndexPk: (userId: string, kind: ChildIndexKind): string => childIndexPartition(userId, kind),
  /**
   * GSI1 keys of a child item in the user's index partition of `kind`, ordered by `sortKey`
   * (`{loggedAt}#{logId}` for metric logs, `{achievedAt}#{metricId}#{type}#{value}` for
   * milestones, `{localDate}#{habitId}#{logId}` for habit logs), so one query lists every child
   * of that kind across the user's entities.
   */
  childIndex: (userId: string, kind: ChildIndexKind, sortKey: string) => ({
    gsi1pk: childIndexPartition(userId, kind),
    gsi1sk: sortKey,
  }),

  // ---- links between entities ---------------------------------------------------------------
  /**
   * A link from `parent` to `child`, stored in the parent's child partition
   * (goal→task|metric|habit|project, project→task). The child side keeps the embedded
   * `goalIds` / `projectIds` array, updated in the same transaction.
   */
  link: (
    userId: string,
    parentType: EntityType,
    parentId: string,
    childType: EntityType,
    childId: string,
  ): Key => ({
    pk: childPk(userId, parentType, parentId),
    sk: `${childType}#${childId}`,
  }),

  // ---- tasks ------------------------------------------------------------------------------
  /** Edge "task `taskId` is blocked by `dependsOnTaskId`", in the dependent task's partition. */
  dependency: (userId: string, taskId: string, dependsOnTaskId: string): Key => ({
    pk: childPk(userId, 'TASK', taskId),
    sk: `DEP#${dependsOnTaskId}`,
  }),
  /** The same edge seen from the prerequisite, so deleting either task finds it. */
  dependent: (userId: string, dependsOnTaskId: string, taskId: string): Key => ({
    pk: childPk(userId, 'TASK', dependsOnTaskId),
    sk: `DEPENDENT#${taskId}`,
  }),

  // ---- goals ------------------------------------------------------------------------------
  /** A goal activity entry, newest last in sort order. */
  goalActivity: (userId: string, goalId: string, createdAt: string, id: string): Key => ({
    pk: childPk(userId, 'GOAL', goalId),
    sk: `ACTIVITY#${createdAt}#${id}`,
  }),
  /** Sort-key prefix of a goal's activity entries (its link items sort under `{TYPE}#`). */
  goalActivityPrefix: 'ACTIVITY#',

  // ---- metrics ----------------------------------------------------------------------------
  /** Sort-key prefix of the logs in a metric's or habit's child partition. */
  logPrefix: 'LOG#',
  /**
   * Sort-key bound of a log partition at `at` — an instant for metric logs, a local date for habit
   * logs — for range queries (`LOG#{at}` sorts before every log of that instant or date).
   */
  logBound: (at: string): string => `LOG#${at}`,
  /** Sort-key prefix of a metric's milestones. */
  milestonePrefix: 'MILESTONE#',
  /** Sort-key prefix of the user's cached metric insights. */
  metricInsightPrefix: 'METRICINSIGHT#',
  /** A metric log, time-ordered by `loggedAt`. */
  metricLog: (userId: string, metricId: string, loggedAt: string, logId: string): Key => ({
    pk: childPk(userId, 'METRIC', metricId),
    sk: `LOG#${loggedAt}#${logId}`,
  }),
  /** A metric milestone; one per `(metric, type, value)` by construction. */
  metricMilestone: (userId: string, metricId: string, type: string, value: number): Key => ({
    pk: childPk(userId, 'METRIC', metricId),
    sk: `MILESTONE#${type}#${value}`,
  }),
  /** A cached metric insight (the `/metricInsights` collection). */
  metricInsight: (userId: string, id: string): Key => ({
    pk: userPk(userId),
    sk: `METRICINSIGHT#${id}`,
  }),

  // ---- habits -----------------------------------------------------------------------------
  /** A habit log, ordered by its local date. */
  habitLog: (userId: string, habitId: string, localDate: string, logId: string): Key => ({
    pk: childPk(userId, 'HABIT', habitId),
    sk: `LOG#${localDate}#${logId}`,
  }),

  // ---- logbook ----------------------------------------------------------------------------
  /** Uniqueness guard: the one logbook entry of a local date. */
  logbookDate: (userId: string, date: string): Key => ({
    pk: userPk(userId),
    sk: `LOGBOOKDATE#${date}`,
  }),
  /** A link from a logbook entry to another entity. */
  logbookLink: (userId: string, entryId: string, entityType: string, entityId: string): Key => ({
    pk: childPk(userId, 'LOGBOOK', entryId),
    sk: `LINK#${entityType}#${entityId}`,
  }),
  logbookLinkPrefix: 'LINK#',

  // ---- rewards and wallet -----------------------------------------------------------------
  /** A redemption of a reward, time-ordered. */
  redemption: (userId: string, rewardId: string, redeemedAt: string, id: string): Key => ({
    pk: childPk(userId, 'REWARD', rewardId),
    sk: `REDEMPTION#${redeemedAt}#${id}`,
  }),
  redemptionPrefix: 'REDEMPTION#',
  /** The wallet balance item. */
  wallet: (userId: string): Key => ({ pk: userPk(userId), sk: 'WALLET' }),
  /** A wallet ledger entry (append-only), time-ordered. */
  ledgerEntry: (userId: string, createdAt: string, id: string): Key => ({
    pk: userPk(userId),
    sk: `LEDGER#${createdAt}#${id}`,
  }),
  ledgerPrefix: 'LEDGER#',

  // ---- knowledge vault ----------------------------------------------------------------------
  /** A presigned upload (K28/K30) and what became of it; `fileId` is a ULID minted by the API. */
  upload: (userId: string, fileId: string): Key => ({
    pk: userPk(userId),
    sk: `UPLOAD#${fileId}`,
  }),
  /**
   * The S3 object key of an upload: under the user's own prefix, so a key can only name the
   * user's files (`kind` is `inbox` or `documents`; `fileName` is already sanitised).
   */
  uploadObject: (userId: string, kind: string, fileId: string, fileName: string): string =>
    `${keys.uploadPrefix(userId)}${kind}/${fileId}/${fileName}`,
  /** The S3 prefix of every upload object of the user (emptied when the account is deleted). */
  uploadPrefix: (userId: string): string => `users/${userId}/`,

  // ---- preferences ------------------------------------------------------------------------
  /** The user's provider/model choice for one AI feature (X10–X12); absent = the default. */
  featureConfig: (userId: string, feature: string): Key => ({
    pk: userPk(userId),
    sk: `FEATURECONFIG#${feature}`,
  }),
  featureConfigPrefix: 'FEATURECONFIG#',

  // ---- cross-cutting ----------------------------------------------------------------------
  /** The mark a deleted account leaves for a day (`services/auth/deleted-mark.ts`). */
  deletedMark: (userId: string): Key => ({ pk: userPk(userId), sk: 'DELETED' }),
  /** The user's task-dependency graph version (`services/tasks/dependencies.ts`). */
  dependencyGraph: (userId: string): Key => ({ pk: userPk(userId), sk: 'DEPGRAPH' }),
  /** A stored response for an `Idempotency-Key` (expires through `ttl`). */
  idempotency: (userId: string, key: string): Key => ({
    pk: userPk(userId),
    sk: `IDEMPOTENCY#${key}`,
  }),
} as const;
