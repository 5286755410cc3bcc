/** What the SQLite adapter offers beyond the `Table` port: `allItems` (copying a store). */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SqliteTable } from '../../src/db/sqlite.js';
import { tempDir } from '../helpers/stores.js';

describe('SqliteTable.allItems', () => {
  it('returns every item of every partition, whole, in (pk, sk) order', async () => {
    const table = SqliteTable.open(join(tempDir(), 'store.db'));
    const b = { pk: 'B', sk: '1', gsi1pk: 'G', gsi1sk: 'x', n: 2 };
    const a2 = { pk: 'A', sk: '2', nested: { list: [1, 'two'] } };
    const a1 = { pk: 'A', sk: '1', ttl: 1_700_000_000 };
    for (const item of [b, a2, a1]) await table.put(item);
    expect(await table.allItems()).toEqual([a1, a2, b]);
    await table.close();
  });

  it('returns nothing for an empty store', async () => {
    const table = SqliteTable.open(join(tempDir(), 'store.db'));
    expect(await table.allItems()).toEqual([]);
    await table.close();
  });
});
