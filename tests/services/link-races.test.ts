/**
 * Links and dependencies written while another writer changes the same items, driven deterministically: a `Table`
 * wrapper makes the other writer's change right before each transaction of the service under
 * test. Whatever happens in between, the answer is a 404 or a 409 — never a raw storage error
 * (a 500) — and nothing is half-written.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { UserCtx } from '../../src/api/deps.js';
import { ConflictError, NotFoundError } from '../../src/core/errors.js';
import { keys } from '../../src/db/keys.js';
import type { Table, TransactOp } from '../../src/db/table.js';
import { createGoal } from '../../src/services/goals/index.js';
import { setGoalLink } from '../../src/services/goals/links.js';
import { createHabit, updateHabit } from '../../src/services/habits/index.js';
import { addDependency, listDependencies } from '../../src/services/tasks/dependencies.js';
import { createTask, getTask, updateTask } from '../../src/services/tasks/index.js';
import { serviceCtx } from '../helpers/ctx.js';
import { STORES, freshTable } from '../helpers/stores.js';

/** `db` whose every `transactWrite` first runs `before` (the other writer) against `db`. */
function interfered(db: Table, before: (db: Table) => Promise<void>): Table {
  return new Proxy(db, {
    get(target, name, receiver) {
      if (name !== 'transactWrite') return Reflect.get(target, name, receiver) as unknown;
      return async (ops: TransactOp[]) => {
        await before(target);
        return target.transactWrite(ops);
      };
    },
  });
}

describe.each(STORES)('links under concurrent writers on %s', (store) => {
  let db: Table;
  let ctx: UserCtx;
  const goal = (title: string) =>
    createGoal(ctx, { title, area: 'Health', timeHorizon: 'Yearly' } as never);

  beforeAll(async () => {
    db = (await freshTable(store)).table;
    ctx = serviceCtx(db, `races-${store}`);
  });
  afterAll(() => db.close());

  it('refuses a dependency whose reverse was added while it searched for cycles (409), leaving no cycle', async () => {
    const x = await createTask(ctx, { title: 'X', area: 'Health' } as never);
    const y = await createTask(ctx, { title: 'Y', area: 'Health' } as never);
    // Another request adds Y → X after this one found no path from Y to X, before it writes X → Y.
    let raced = false;
    const racing = interfered(db, async () => {
      if (raced) return;
      raced = true;
      await addDependency(ctx, y.id, x.id);
    });
    const attempt = addDependency({ ...ctx, db: racing }, x.id, y.id);
    await expect(attempt).rejects.toBeInstanceOf(ConflictError);
    await expect(attempt).rejects.toThrow(/would create a cycle/);
    expect(raced).toBe(true);
    expect((await listDependencies(ctx, x.id)).map((d) => d.dependsOnTaskId)).toEqual([]);
    expect((await listDependencies(ctx, y.id)).map((d) => d.dependsOnTaskId)).toEqual([x.id]);
  });

  it('answers 409 when the child changes before every attempt to link it from the goal', async () => {
    const g = await goal('Busy');
    const task = await createTask(ctx, { title: 'Contended', area: 'Health' } as never);
    // Another writer edits the task right before each of the link's transactions.
    const busy = interfered(db, async (raw) => {
      await raw.update(keys.entity(ctx.userId, 'TASK', task.id), { add: { version: 1 } });
    });
    await expect(
      setGoalLink({ ...ctx, db: busy }, g.id, 'TASK', task.id, true),
    ).rejects.toBeInstanceOf(ConflictError);
    expect((await getTask(ctx, task.id)).goalIds).toEqual([]);
  });

  it('answers 404 when a goal being linked is deleted just before the write', async () => {
    const doomed = [await goal('Doomed 1'), await goal('Doomed 2'), await goal('Doomed 3')];
    const task = await createTask(ctx, { title: 'Linker', area: 'Health' } as never);
    const habit = await createHabit(ctx, {
      name: 'Linker',
      area: 'Health',
      habitType: 'Build',
      frequency: 'Daily',
    } as never);
    const writes: [string, (c: UserCtx, goalId: string) => Promise<unknown>][] = [
      [
        'create a task',
        (c, goalId) => createTask(c, { title: 't', area: 'Health', goalIds: [goalId] } as never),
      ],
      ['update a task', (c, goalId) => updateTask(c, task.id, { goalIds: [goalId] } as never)],
      [
        'create a habit',
        (c, goalId) =>
          createHabit(c, {
            name: 'h',
            area: 'Health',
            habitType: 'Build',
            frequency: 'Daily',
            goalIds: [goalId],
          } as never),
      ],
      ['update a habit', (c, goalId) => updateHabit(c, habit.id, { goalIds: [goalId] } as never)],
    ];
    for (const [what, write] of writes) {
      const target = doomed.shift() ?? (await goal('Doomed'));
      // The goal is deleted between the write's read of it and its transaction.
      const deleting = interfered(db, async (raw) => {
        await raw.delete(keys.entity(ctx.userId, 'GOAL', target.id));
      });
      const outcome = await write({ ...ctx, db: deleting }, target.id).then(
        () => 'written',
        (err: unknown) => (err instanceof NotFoundError ? 'NOT_FOUND' : String(err)),
      );
      expect({ what, outcome }).toEqual({ what, outcome: 'NOT_FOUND' });
    }
    expect((await getTask(ctx, task.id)).goalIds).toEqual([]);
  });
});
