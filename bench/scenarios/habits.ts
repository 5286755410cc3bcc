/**
 * Habits (issue 5): one user with a daily habit of {@link HABIT_LOGS} logs over the
 * {@link DAYS} days before today; its heatmap as the client asks for it (no parameters: the 365
 * days ending today), which reads and counts every one of those logs — also when the run crosses
 * midnight, as the window then still starts on or before the oldest of them.
 *
 * The habit is created through the API; its logs are written straight into the store as the
 * service's own items (`habitLogItem`, each in the habit's partition and the user's habit-log
 * index), and the habit item's `version` grows by one per log, as `POST /habits/{id}/logs` leaves
 * them. The new user's zone is UTC (the default), so a log's local date is its UTC date.
 */
import { keys } from '../../src/db/keys.js';
import { habitLogItem, type StoredHabitLog } from '../../src/services/habits/logs.js';
import { newId } from '../../src/utils/ids.js';
import { defineSuite, progress } from '../harness.js';

/** Logs of the measured habit. */
export const HABIT_LOGS = 10_000;
/** The days before today that hold them (the default heatmap window is today and 364 before). */
const DAYS = 363;

const DAY_MS = 24 * 60 * 60 * 1000;

/** Seeds the habit and its logs; measures its heatmap. */
export default defineSuite({
  name: 'habits',
  async seed(user, store) {
    const created = await user.call<{ id: string }>({
      method: 'POST',
      path: '/habits',
      body: {
        name: 'Drink a glass of water',
        area: 'Health',
        habitType: 'Build',
        frequency: 'Daily',
        dailyTarget: 8,
      },
    });
    if (created.status !== 201) throw new Error(`creating the habit answered ${created.status}`);
    const habitId = created.data.id;
    const now = new Date();
    const midnight = new Date(now).setUTCHours(0, 0, 0, 0);
    const logs: StoredHabitLog[] = [];
    // Log k: on the ((k mod 363) + 1)-th day before today, at 06:00 plus 30 minutes for each
    // earlier log of that day (at most 27 earlier: 06:00 … 19:30).
    for (let k = 0; k < HABIT_LOGS; k++) {
      const day = midnight - ((k % DAYS) + 1) * DAY_MS;
      const completedAt = new Date(day + (6 * 60 + 30 * Math.floor(k / DAYS)) * 60_000);
      logs.push({
        id: newId(),
        habitId,
        userId: user.userId,
        completedAt: completedAt.toISOString(),
        localDate: completedAt.toISOString().slice(0, 10),
        amount: null,
        notes: null,
        createdAt: now.toISOString(),
      });
    }
    await store.batchWrite({ put: logs.map(habitLogItem) });
    await store.update(keys.entity(user.userId, 'HABIT', habitId), {
      add: { version: logs.length },
    });
    progress(`habits: one habit with ${HABIT_LOGS} logs`);
    return { habitId };
  },
  scenarios: [
    {
      name: `GET /habits/{id}/heatmap (${HABIT_LOGS.toLocaleString('en')} logs)`,
      request: ({ habitId }) => ({ method: 'GET', path: `/habits/${habitId}/heatmap` }),
      check(data) {
        // 10,000 = 27 × 363 + 199: 199 days with 28 logs and 164 with 27, on all 363 days.
        const counts = Object.values(data as Record<string, number>);
        const sum = counts.reduce((a, b) => a + b, 0);
        if (counts.length !== DAYS || sum !== HABIT_LOGS) {
          throw new Error(`the heatmap counts ${sum} logs on ${counts.length} days`);
        }
      },
    },
  ],
});
