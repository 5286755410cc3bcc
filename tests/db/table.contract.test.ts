/**
 * The `Table` port's contract, run against both adapters: the embedded SQLite store and
 * DynamoDB (moto's server over HTTP). A behaviour that differs between them is a bug.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ConditionFailedError,
  InvalidCursorError,
  InvalidRequestError,
  ItemTooLargeError,
  TransactionCanceledError,
  cond,
  encodeCursor,
  queryAll,
  queryPage,
  type Item,
  type Page,
  type QueryInput,
  type Table,
} from '../../src/db/table.js';
import { STORES, freshTable } from '../helpers/stores.js';

const pad = (n: number) => String(n).padStart(3, '0');

async function collectPages(
  table: Table,
  input: QueryInput,
): Promise<{ items: Item[]; pages: Page[] }> {
  const pages: Page[] = [];
  let cursor: string | null = null;
  do {
    const page: Page = await table.query({ ...input, cursor });
    pages.push(page);
    cursor = page.cursor;
  } while (cursor && pages.length < 100);
  return { items: pages.flatMap((p) => p.items), pages };
}

describe.each(STORES)('Table contract on %s', (kind) => {
  let table: Table;

  beforeAll(async () => {
    table = (await freshTable(kind)).table;
  });
  afterAll(async () => {
    await table.close();
  });

  it('puts and gets an item with nested values, and returns null for a missing key', async () => {
    const item = {
      pk: 'P#get',
      sk: 'A',
      title: 'Hello — ünïcode',
      count: 3,
      ratio: 0.25,
      flag: false,
      nothing: null,
      tags: ['a', 'b'],
      nested: { x: 1, list: [{ y: 'z' }] },
    };
    await table.put(item);
    expect(await table.get({ pk: 'P#get', sk: 'A' })).toEqual(item);
    expect(await table.get({ pk: 'P#get', sk: 'missing' })).toBeNull();
  });

  it('drops undefined attributes', async () => {
    await table.put({ pk: 'P#undef', sk: 'A', keep: 1, drop: undefined });
    expect(await table.get({ pk: 'P#undef', sk: 'A' })).toEqual({
      pk: 'P#undef',
      sk: 'A',
      keep: 1,
    });
  });

  it('refuses a conditional put whose condition fails and keeps the stored item', async () => {
    await table.put({ pk: 'P#cond', sk: 'A', v: 1 }, cond.notExists('pk'));
    await expect(
      table.put({ pk: 'P#cond', sk: 'A', v: 2 }, cond.notExists('pk')),
    ).rejects.toBeInstanceOf(ConditionFailedError);
    expect(await table.get({ pk: 'P#cond', sk: 'A' })).toMatchObject({ v: 1 });
  });

  it('updates only when the version matches, increments, removes and returns the new item', async () => {
    await table.put({ pk: 'P#ver', sk: 'A', version: 1, name: 'a', counter: 5, temp: 'x' });
    const updated = await table.update(
      { pk: 'P#ver', sk: 'A' },
      {
        set: { name: 'b', version: 2 },
        add: { counter: 3 },
        remove: ['temp'],
        condition: cond.eq('version', 1),
      },
    );
    expect(updated).toEqual({ pk: 'P#ver', sk: 'A', version: 2, name: 'b', counter: 8 });
    await expect(
      table.update(
        { pk: 'P#ver', sk: 'A' },
        { set: { name: 'stale', version: 2 }, condition: cond.eq('version', 1) },
      ),
    ).rejects.toBeInstanceOf(ConditionFailedError);
    expect(await table.get({ pk: 'P#ver', sk: 'A' })).toMatchObject({ name: 'b', version: 2 });
  });

  it('creates the item on an unconditional update of a missing key, and refuses a guarded one', async () => {
    const created = await table.update(
      { pk: 'P#upsert', sk: 'A' },
      { add: { n: 2 }, set: { s: 'x' } },
    );
    expect(created).toEqual({ pk: 'P#upsert', sk: 'A', n: 2, s: 'x' });
    await expect(
      table.update({ pk: 'P#upsert', sk: 'B' }, { set: { s: 'y' }, condition: cond.exists('pk') }),
    ).rejects.toBeInstanceOf(ConditionFailedError);
    expect(await table.get({ pk: 'P#upsert', sk: 'B' })).toBeNull();
  });

  it('evaluates comparisons, begins_with, contains, and/or/not like DynamoDB', async () => {
    await table.put({ pk: 'P#expr', sk: 'A', n: 10, s: 'hello', list: ['x', 'y'] });
    const key = { pk: 'P#expr', sk: 'A' };
    const holds = async (c: Parameters<typeof cond.and>[0]) =>
      table.update(key, { set: { touched: true }, condition: c }).then(
        () => true,
        (e: unknown) => {
          if (e instanceof ConditionFailedError) return false;
          throw e;
        },
      );
    expect(await holds(cond.gte('n', 10))).toBe(true);
    expect(await holds(cond.gt('n', 10))).toBe(false);
    expect(await holds(cond.lt('s', 'help'))).toBe(true);
    expect(await holds(cond.beginsWith('s', 'he'))).toBe(true);
    expect(await holds(cond.contains('list', 'y'))).toBe(true);
    expect(await holds(cond.contains('s', 'ell'))).toBe(true);
    expect(await holds(cond.and(cond.eq('n', 10), cond.eq('s', 'nope')))).toBe(false);
    expect(await holds(cond.or(cond.eq('n', 11), cond.eq('s', 'hello')))).toBe(true);
    expect(await holds(cond.not(cond.exists('missing')))).toBe(true);
    expect(await holds(cond.ne('missing', 1))).toBe(true);
    expect(await holds(cond.eq('missing', 1))).toBe(false);
  });

  it('deletes, returning the old item, and honours a delete condition', async () => {
    await table.put({ pk: 'P#del', sk: 'A', v: 1 });
    await expect(table.delete({ pk: 'P#del', sk: 'A' }, cond.eq('v', 2))).rejects.toBeInstanceOf(
      ConditionFailedError,
    );
    expect(await table.delete({ pk: 'P#del', sk: 'A' })).toMatchObject({ v: 1 });
    expect(await table.get({ pk: 'P#del', sk: 'A' })).toBeNull();
    expect(await table.delete({ pk: 'P#del', sk: 'A' })).toBeNull();
  });

  describe('queries', () => {
    beforeAll(async () => {
      const items: Item[] = [];
      for (let i = 0; i < 55; i++) {
        items.push({
          pk: 'P#q',
          sk: `LOG#${pad(i)}`,
          i,
          even: i % 2 === 0,
          gsi1pk: 'U#1#TASK',
          gsi1sk: `${i % 3 === 0 ? 'Done' : 'Open'}#${pad(i)}`,
          ...(i < 10 ? { gsi2pk: 'U#1#AREA#Health', gsi2sk: `TASK#${pad(i)}` } : {}),
        });
      }
      items.push({ pk: 'P#q', sk: 'OTHER#1', i: -1 });
      items.push({ pk: 'P#q2', sk: 'LOG#000', i: 1000, gsi1pk: 'U#2#TASK', gsi1sk: 'Open#000' });
      await table.batchWrite({ put: items });
    });

    it('reads a partition by prefix, in both directions', async () => {
      const asc = await queryAll(table, { pk: 'P#q', sk: { beginsWith: 'LOG#' } });
      expect(asc.map((x) => x.i)).toEqual(Array.from({ length: 55 }, (_, i) => i));
      const desc = await queryAll(table, { pk: 'P#q', sk: { beginsWith: 'LOG#' }, forward: false });
      expect(desc.map((x) => x.i)).toEqual(Array.from({ length: 55 }, (_, i) => 54 - i));
    });

    it('reads by range: between and comparisons, both directions', async () => {
      const between = await queryAll(table, { pk: 'P#q', sk: { between: ['LOG#010', 'LOG#014'] } });
      expect(between.map((x) => x.i)).toEqual([10, 11, 12, 13, 14]);
      const before = await queryAll(table, {
        pk: 'P#q',
        sk: { op: '<', value: 'LOG#003' },
        forward: false,
      });
      expect(before.map((x) => x.i)).toEqual([2, 1, 0]);
      const from = await queryAll(table, { pk: 'P#q', sk: { op: '>=', value: 'LOG#053' } });
      expect(from.map((x) => x.i)).toEqual([53, 54, -1]);
    });

    it('refuses a between whose lower bound sorts after its upper one, as DynamoDB does', async () => {
      // DynamoDB: "The BETWEEN operator requires upper bound to be greater than or equal to lower
      // bound" (a ValidationException; the emulator answers an empty page instead).
      await expect(
        table.query({ pk: 'P#q', sk: { between: ['LOG#014', 'LOG#010'] } }),
      ).rejects.toBeInstanceOf(InvalidRequestError);
      // Strings compare by their UTF-8 bytes: "~" (0x7E) sorts before "é" (0xC3 0xA9).
      await expect(
        table.query({ pk: 'P#q', sk: { between: ['LOG#é', 'LOG#~'] } }),
      ).rejects.toBeInstanceOf(InvalidRequestError);
      const same = await table.query({ pk: 'P#q', sk: { between: ['LOG#012', 'LOG#012'] } });
      expect(same.items.map((x) => x.i)).toEqual([12]);
    });

    it('pages with a cursor across many pages, forward and backward', async () => {
      const fwd = await collectPages(table, { pk: 'P#q', sk: { beginsWith: 'LOG#' }, limit: 7 });
      expect(fwd.items.map((x) => x.i)).toEqual(Array.from({ length: 55 }, (_, i) => i));
      expect(fwd.pages.length).toBeGreaterThanOrEqual(8);
      expect(fwd.pages.every((p) => p.items.length <= 7)).toBe(true);
      const back = await collectPages(table, {
        pk: 'P#q',
        sk: { beginsWith: 'LOG#' },
        limit: 10,
        forward: false,
      });
      expect(back.items.map((x) => x.i)).toEqual(Array.from({ length: 55 }, (_, i) => 54 - i));
    });

    it('counts the limit before the filter, so pages may be empty but none is lost', async () => {
      const { items, pages } = await collectPages(table, {
        pk: 'P#q',
        sk: { beginsWith: 'LOG#' },
        limit: 5,
        filter: cond.or(cond.eq('i', 3), cond.eq('i', 31), cond.eq('i', 52)),
      });
      expect(items.map((x) => x.i)).toEqual([3, 31, 52]);
      expect(pages.some((p) => p.items.length === 0 && p.cursor !== null)).toBe(true);
    });

    it('queries GSI1 by status prefix, in order, with paging, scoped to its partition', async () => {
      const done = await collectPages(table, {
        index: 'GSI1',
        pk: 'U#1#TASK',
        sk: { beginsWith: 'Done#' },
        limit: 4,
      });
      expect(done.items.map((x) => x.i)).toEqual([
        0, 3, 6, 9, 12, 15, 18, 21, 24, 27, 30, 33, 36, 39, 42, 45, 48, 51, 54,
      ]);
      const other = await queryAll(table, { index: 'GSI1', pk: 'U#2#TASK' });
      expect(other.map((x) => x.i)).toEqual([1000]);
    });

    it('queries GSI2; items without the index keys are absent from it', async () => {
      const health = await queryAll(table, {
        index: 'GSI2',
        pk: 'U#1#AREA#Health',
        forward: false,
      });
      expect(health.map((x) => x.i)).toEqual([9, 8, 7, 6, 5, 4, 3, 2, 1, 0]);
    });

    it('rejects a cursor of another partition or a forged one', async () => {
      const page = await table.query({ pk: 'P#q', limit: 2 });
      expect(page.cursor).not.toBeNull();
      await expect(table.query({ pk: 'P#q2', cursor: page.cursor })).rejects.toBeInstanceOf(
        InvalidCursorError,
      );
      await expect(table.query({ pk: 'P#q', cursor: 'not-a-cursor' })).rejects.toBeInstanceOf(
        InvalidCursorError,
      );
      await expect(
        table.query({ index: 'GSI1', pk: 'U#1#TASK', cursor: page.cursor }),
      ).rejects.toBeInstanceOf(InvalidCursorError);
    });

    it('rejects a cursor whose sort key lies outside the query’s key condition', async () => {
      // DynamoDB: "The provided starting key is outside query boundaries based on provided
      // conditions" (a ValidationException).
      const at = (sk: string) => encodeCursor({ pk: 'P#q', sk });
      const cases: QueryInput[] = [
        { pk: 'P#q', sk: { beginsWith: 'LOG#' }, cursor: at('OTHER#1') },
        { pk: 'P#q', sk: { between: ['LOG#010', 'LOG#014'] }, cursor: at('LOG#015') },
        { pk: 'P#q', sk: { op: '<', value: 'LOG#003' }, cursor: at('LOG#003') },
        // Longer than any sort key DynamoDB stores (1,024 bytes): it would refuse it with a 500.
        { pk: 'P#q', sk: { beginsWith: 'LOG#' }, cursor: at(`LOG#${'é'.repeat(511)}`) },
      ];
      for (const input of cases) {
        await expect(table.query(input)).rejects.toBeInstanceOf(InvalidCursorError);
      }
      // A cursor inside the range continues it.
      const next = await table.query({
        pk: 'P#q',
        sk: { beginsWith: 'LOG#' },
        cursor: at('LOG#053'),
      });
      expect(next.items.map((x) => x.i)).toEqual([54]);
    });
  });

  it('applies a transaction completely', async () => {
    await table.put({ pk: 'P#tx', sk: 'BAL', total: 100 });
    await table.put({ pk: 'P#tx', sk: 'PROFILE', version: 1 });
    await table.transactWrite([
      {
        update: { pk: 'P#tx', sk: 'BAL' },
        spec: { add: { total: -40 }, condition: cond.gte('total', 40) },
      },
      { put: { pk: 'P#tx', sk: 'LEDGER#1', amount: 40 }, condition: cond.notExists('pk') },
      { check: { pk: 'P#tx', sk: 'PROFILE' }, condition: cond.eq('version', 1) },
    ]);
    expect(await table.get({ pk: 'P#tx', sk: 'BAL' })).toMatchObject({ total: 60 });
    expect(await table.get({ pk: 'P#tx', sk: 'LEDGER#1' })).toMatchObject({ amount: 40 });
  });

  it('rolls a transaction back completely when one condition fails, with a reason per operation', async () => {
    await table.put({ pk: 'P#rb', sk: 'BAL', total: 30 });
    await table.put({ pk: 'P#rb', sk: 'GONE', x: 1 });
    const attempt = table.transactWrite([
      { put: { pk: 'P#rb', sk: 'LEDGER#1', amount: 40 } },
      { delete: { pk: 'P#rb', sk: 'GONE' } },
      {
        update: { pk: 'P#rb', sk: 'BAL' },
        spec: { add: { total: -40 }, condition: cond.gte('total', 40) },
      },
    ]);
    const error = await attempt.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TransactionCanceledError);
    expect((error as TransactionCanceledError).reasons).toEqual([
      'None',
      'None',
      'ConditionalCheckFailed',
    ]);
    expect((error as TransactionCanceledError).failedAt(2)).toBe(true);
    expect(await table.get({ pk: 'P#rb', sk: 'LEDGER#1' })).toBeNull();
    expect(await table.get({ pk: 'P#rb', sk: 'GONE' })).toMatchObject({ x: 1 });
    expect(await table.get({ pk: 'P#rb', sk: 'BAL' })).toMatchObject({ total: 30 });
  });

  it('refuses a transaction that touches one item twice', async () => {
    await expect(
      table.transactWrite([
        { put: { pk: 'P#dup', sk: 'A' } },
        { delete: { pk: 'P#dup', sk: 'A' } },
      ]),
    ).rejects.toBeInstanceOf(InvalidRequestError);
  });

  it('batch-gets many keys across chunks, skipping missing ones', async () => {
    const items = Array.from({ length: 130 }, (_, i) => ({ pk: 'P#bg', sk: pad(i), i }));
    await table.batchWrite({ put: items });
    const keys = [...items.map(({ pk, sk }) => ({ pk, sk })), { pk: 'P#bg', sk: 'missing' }];
    const got = await table.batchGet(keys);
    expect(got.map((x) => x.i).sort((a, b) => Number(a) - Number(b))).toEqual(
      items.map((x) => x.i),
    );
    await table.batchWrite({ delete: keys });
    expect(await table.batchGet(keys)).toEqual([]);
  });

  it('takes a key twice in a batch (DynamoDB itself refuses that): once read, the last write wins', async () => {
    const key = { pk: 'P#dup', sk: 'A' };
    await table.batchWrite({
      put: [
        { ...key, v: 1 },
        { ...key, v: 2 },
        { pk: 'P#dup', sk: 'B' },
      ],
    });
    expect(await table.batchGet([key, key, { ...key }])).toEqual([{ ...key, v: 2 }]);
    await table.batchWrite({
      put: [{ ...key, v: 3 }],
      delete: [key, { pk: 'P#dup', sk: 'B' }, key],
    });
    expect(await queryAll(table, { pk: 'P#dup' })).toEqual([]);
  });

  it('scans every partition page by page, filtered, each item exactly once', async () => {
    const items = Array.from({ length: 23 }, (_, i) => ({
      pk: `P#scan${i % 5}`,
      sk: pad(i),
      scanTag: i % 2 === 0 ? 'even' : 'odd',
    }));
    await table.batchWrite({ put: items });
    const seen: Item[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page: Page = await table.scan({ limit: 4, cursor, filter: cond.eq('scanTag', 'even') });
      seen.push(...page.items);
      cursor = page.cursor;
      pages += 1;
    } while (cursor && pages < 500);
    // 0, 2, …, 22: twelve even items among whatever else the table holds.
    expect(seen.map((x) => x.sk).sort()).toEqual(
      items.filter((x) => x.scanTag === 'even').map((x) => x.sk),
    );
    await expect(table.scan({ cursor: 'bm90LWEtY3Vyc29y' })).rejects.toBeInstanceOf(
      InvalidCursorError,
    );
  });

  it('pages a query with an exact cursor (queryPage): null exactly when nothing follows', async () => {
    await table.batchWrite({ put: [1, 2, 3, 4].map((i) => ({ pk: 'P#qp', sk: pad(i) })) });
    const first = await queryPage(table, { pk: 'P#qp', limit: 2, forward: false });
    expect(first.items.map((x) => x.sk)).toEqual(['004', '003']);
    const second = await queryPage(table, {
      pk: 'P#qp',
      limit: 2,
      forward: false,
      cursor: first.cursor,
    });
    expect(second).toEqual({
      items: [expect.objectContaining({ sk: '002' }), expect.objectContaining({ sk: '001' })],
      cursor: null,
    });
  });

  it('stores the numbers DynamoDB stores and refuses the others on every write', async () => {
    // Magnitudes from 1e-130 (DynamoDB's smallest) to 2^53 − 1 (the SDK's largest exact
    // JavaScript number), and 0; nested values too.
    const big = Number.MAX_SAFE_INTEGER;
    const fine = { pk: 'P#num', sk: 'OK', zero: 0, tiny: -1e-130, big, list: [1.5] };
    await table.put(fine);
    expect(await table.get({ pk: 'P#num', sk: 'OK' })).toEqual(fine);
    for (const bad of [5e-324, 1e-131, 2 ** 53 + 2, -1e200]) {
      const writes = [
        () => table.put({ pk: 'P#num', sk: 'NO', n: bad }),
        () => table.put({ pk: 'P#num', sk: 'NO', nested: { list: [1, bad] } }),
        () => table.update({ pk: 'P#num', sk: 'OK' }, { set: { n: bad } }),
        () => table.transactWrite([{ put: { pk: 'P#num', sk: 'TX', n: bad } }]),
        () => table.batchWrite({ put: [{ pk: 'P#num', sk: 'BW', n: bad }] }),
      ];
      for (const write of writes) await expect(write()).rejects.toBeInstanceOf(InvalidRequestError);
    }
    expect((await queryAll(table, { pk: 'P#num' })).map((x) => x.sk)).toEqual(['OK']);
  });

  it('enforces the 400 KB item size limit on put, update and transactions', async () => {
    await table.put({ pk: 'P#big', sk: 'OK', body: 'x'.repeat(300 * 1024) });
    expect(((await table.get({ pk: 'P#big', sk: 'OK' }))?.body as string).length).toBe(300 * 1024);
    const huge = 'x'.repeat(401 * 1024);
    await expect(table.put({ pk: 'P#big', sk: 'NO', body: huge })).rejects.toBeInstanceOf(
      ItemTooLargeError,
    );
    await expect(
      table.update({ pk: 'P#big', sk: 'OK' }, { set: { more: 'y'.repeat(150 * 1024) } }),
    ).rejects.toBeInstanceOf(ItemTooLargeError);
    await expect(
      table.transactWrite([{ put: { pk: 'P#big', sk: 'TX', body: huge } }]),
    ).rejects.toBeInstanceOf(ItemTooLargeError);
    expect(await table.get({ pk: 'P#big', sk: 'NO' })).toBeNull();
    expect(await table.get({ pk: 'P#big', sk: 'TX' })).toBeNull();
  });
});
