/**
 * Tasks (issue 3): one user with {@link TASK_COUNT} tasks; reading one, listing all of them (the
 * client never sends `pageSize`, so the list is the whole collection), and creating one.
 */
import { AREAS } from '../../src/api/schemas/common.js';
import { defineSuite, progress } from '../harness.js';

/** Tasks the user has while the reads are measured. */
export const TASK_COUNT = 1_000;

const PRIORITIES = ['P1', 'P2', 'P3', 'P4'] as const;
const SIZES = [1, 2, 3, 5, 8, 13, 21] as const;
const STATUSES = ['Not Started', 'In Progress', 'Blocked', 'On Hold'] as const;

/** The `i`-th seeded task: every area, priority, size and open status in turn, 2 in 5 due. */
function seedTask(i: number) {
  const pick = <T>(list: readonly T[]) => list[i % list.length] as T;
  return {
    title: `Task ${String(i + 1).padStart(4, '0')}: follow up on the quarterly plan`,
    description: 'A realistic sentence or two of description, so the list carries real bytes.',
    area: pick(AREAS),
    priority: pick(PRIORITIES),
    size: pick(SIZES),
    status: pick(STATUSES),
    ...(i % 5 < 2 ? { dueDate: `2025-${String((i % 12) + 1).padStart(2, '0')}-15` } : {}),
  };
}

/** Seeds {@link TASK_COUNT} tasks; measures reading one, listing all, creating one. */
export default defineSuite({
  name: 'tasks',
  async seed(client) {
    let middle = '';
    for (let i = 0; i < TASK_COUNT; i++) {
      const res = await client.call<{ id: string }>({
        method: 'POST',
        path: '/tasks',
        body: seedTask(i),
      });
      if (res.status !== 201) throw new Error(`seeding task ${i + 1} answered ${res.status}`);
      if (i === TASK_COUNT / 2) middle = res.data.id;
      if ((i + 1) % 250 === 0) progress(`tasks: ${i + 1} of ${TASK_COUNT} seeded`);
    }
    return { id: middle };
  },
  scenarios: [
    {
      name: 'GET /tasks/{id}',
      request: ({ id }) => ({ method: 'GET', path: `/tasks/${id}` }),
    },
    {
      name: `GET /tasks (all ${TASK_COUNT.toLocaleString('en')})`,
      request: () => ({ method: 'GET', path: '/tasks' }),
      check(data) {
        const { total } = data as { total: number };
        if (total !== TASK_COUNT) throw new Error(`the list holds ${total} tasks`);
      },
    },
    {
      // Last: every request adds a task.
      name: 'POST /tasks',
      request: () => ({ method: 'POST', path: '/tasks', body: seedTask(0) }),
      status: 201,
    },
  ],
});
