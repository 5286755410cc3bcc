/**
 * Goal progress kept current on writes (API_CONTRACT.md §e.7–e.8).
 *
 * Other domains call {@link onGoalInputsChanged} after a write that changes an input of a goal's
 * progress (a linked task completed or reopened, a link added or removed, a metric or habit
 * logged). It recomputes `cachedProgress`, moves `lastActivityAt` and records the goal activity.
 * Reads never recompute.
 */
import type { UserCtx } from '../api/deps.js';

/** What changed, for the goals' activity timeline. */
export interface GoalInputEvent {
  kind:
    | 'task_completed'
    | 'task_reopened'
    | 'linked'
    | 'unlinked'
    | 'deleted'
    | 'metric_logged'
    | 'habit_logged';
  /** The entity that changed. */
  entityType: 'task' | 'metric' | 'habit' | 'project';
  entityId: string;
  /** Its title or name, for activity entries. */
  title: string;
}

/**
 * Recomputes and stores the progress of `goalIds` after `event`.
 * (Progress computation arrives with the goals domain; until then this records nothing.)
 */
export async function onGoalInputsChanged(
  _ctx: UserCtx,
  _goalIds: string[],
  _event: GoalInputEvent,
): Promise<void> {
  // Filled in by the goals domain.
}
