/**
 * SQLite adapter of the {@link Table} port: the embedded store of local mode.
 *
 * One SQL table holds the items (key columns + the whole item as JSON), with indexes standing in
 * for GSI1 and GSI2. better-sqlite3 is synchronous, the database runs in WAL mode, and every
 * write that reads before it writes (conditions, updates, transactions) runs inside
 * `BEGIN IMMEDIATE`, so concurrent writers — other connections or other processes — are
 * serialised and a condition is always checked against the latest committed state.
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { applyUpdate, evaluate, stripUndefined } from './conditions.js';
import {
  ConditionFailedError,
  ItemTooLargeError,
  MAX_ITEM_BYTES,
  TransactionCanceledError,
  assertStorableNumbers,
  assertValidQuery,
  assertValidTransaction,
  cursorAfter,
  decodeCursor,
  indexKeys,
  itemSize,
  opKey,
  type Condition,
  type Item,
  type Key,
  type Page,
  type QueryInput,
  type ScanInput,
  type Table,
  type TransactOp,
  type UpdateSpec,
} from './table.js';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS items (
  pk TEXT NOT NULL,
  sk TEXT NOT NULL,
  gsi1pk TEXT, gsi1sk TEXT,
  gsi2pk TEXT, gsi2sk TEXT,
  doc TEXT NOT NULL,
  PRIMARY KEY (pk, sk)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS items_gsi1 ON items (gsi1pk, gsi1sk, pk, sk) WHERE gsi1pk IS NOT NULL;
CREATE INDEX IF NOT EXISTS items_gsi2 ON items (gsi2pk, gsi2sk, pk, sk) WHERE gsi2pk IS NOT NULL;
`;

interface Row {
  doc: string;
}

/** Options of {@link SqliteTable.open}. */
export interface SqliteOptions {
  /** Milliseconds a connection waits for another writer's lock before failing (default 10 s). */
  busyTimeoutMs?: number;
}

/** The embedded store. Open several on one file for several connections. */
export class SqliteTable implements Table {
  readonly kind = 'sqlite' as const;
  private readonly statements = new Map<string, Database.Statement>();

  private constructor(private readonly db: Database.Database) {}

  /** Opens (and creates when missing) the database file at `path`, with its directory. */
  static open(path: string, options: SqliteOptions = {}): SqliteTable {
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    const db = new Database(path, { timeout: options.busyTimeoutMs ?? 10_000 });
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = OFF');
    db.exec(SCHEMA);
    return new SqliteTable(db);
  }

  async get(key: Key): Promise<Item | null> {
    return this.read(key);
  }

  async batchGet(keys: Key[]): Promise<Item[]> {
    const items: Item[] = [];
    for (let i = 0; i < keys.length; i += 100) {
      const chunk = keys.slice(i, i + 100);
      const sql = `SELECT doc FROM items WHERE (pk, sk) IN (VALUES ${chunk.map(() => '(?, ?)').join(', ')})`;
      const rows = this.db.prepare<unknown[], Row>(sql).all(...chunk.flatMap((k) => [k.pk, k.sk]));
      for (const row of rows) items.push(JSON.parse(row.doc) as Item);
    }
    return items;
  }

  async put(item: Item, condition?: Condition): Promise<void> {
    this.immediate(() => {
      if (condition && !evaluate(condition, this.read(item))) throw new ConditionFailedError();
      this.write(item);
    });
  }

  async update(key: Key, spec: UpdateSpec): Promise<Item> {
    return this.immediate(() => {
      const current = this.read(key);
      if (spec.condition && !evaluate(spec.condition, current)) throw new ConditionFailedError();
      const next = applyUpdate(current, key, spec);
      this.write(next);
      return next;
    });
  }

  async delete(key: Key, condition?: Condition): Promise<Item | null> {
    return this.immediate(() => {
      const current = this.read(key);
      if (condition && !evaluate(condition, current)) throw new ConditionFailedError();
      if (current) this.statement('DELETE FROM items WHERE pk = ? AND sk = ?').run(key.pk, key.sk);
      return current;
    });
  }

  async query(input: QueryInput): Promise<Page> {
    assertValidQuery(input);
    const names = indexKeys(input.index);
    const forward = input.forward ?? true;
    const order = forward ? 'ASC' : 'DESC';
    const where: string[] = [`${names.pk} = ?`];
    const params: unknown[] = [input.pk];
    const sk = input.sk;
    if (sk && 'beginsWith' in sk) {
      where.push(`${names.sk} >= ?`);
      params.push(sk.beginsWith);
      const upper = prefixUpperBound(sk.beginsWith);
      if (upper !== null) {
        where.push(`${names.sk} < ?`);
        params.push(upper);
      }
    } else if (sk && 'between' in sk) {
      where.push(`${names.sk} BETWEEN ? AND ?`);
      params.push(sk.between[0], sk.between[1]);
    } else if (sk) {
      where.push(`${names.sk} ${sk.op} ?`);
      params.push(sk.value);
    }
    // Rows are ordered by the sort key, then by the primary key to break ties in an index.
    const orderCols = input.index ? [names.sk, 'pk', 'sk'] : ['sk'];
    if (input.cursor) {
      const last = decodeCursor(input.cursor, input.index, input.pk, input.sk);
      const cmp = forward ? '>' : '<';
      where.push(`(${orderCols.join(', ')}) ${cmp} (${orderCols.map(() => '?').join(', ')})`);
      params.push(...orderCols.map((c) => last[c]));
    }
    let sql = `SELECT doc FROM items WHERE ${where.join(' AND ')} ORDER BY ${orderCols
      .map((c) => `${c} ${order}`)
      .join(', ')}`;
    if (input.limit !== undefined) {
      sql += ' LIMIT ?';
      params.push(input.limit + 1);
    }
    const rows = this.statement(sql).all(...params) as Row[];
    const read = rows.slice(0, input.limit ?? rows.length).map((r) => JSON.parse(r.doc) as Item);
    const more = input.limit !== undefined && rows.length > input.limit;
    const lastItem = read[read.length - 1];
    const cursor = more && lastItem ? cursorAfter(lastItem, input.index) : null;
    const items = input.filter ? read.filter((i) => evaluate(input.filter as Condition, i)) : read;
    return { items, cursor };
  }

  async scan(input: ScanInput): Promise<Page> {
    const params: unknown[] = [];
    let sql = 'SELECT doc FROM items';
    if (input.cursor) {
      const last = decodeCursor(input.cursor, undefined, null);
      sql += ' WHERE (pk, sk) > (?, ?)';
      params.push(last.pk, last.sk);
    }
    sql += ' ORDER BY pk, sk';
    if (input.limit !== undefined) {
      sql += ' LIMIT ?';
      params.push(input.limit + 1);
    }
    const rows = this.statement(sql).all(...params) as Row[];
    const read = rows.slice(0, input.limit ?? rows.length).map((r) => JSON.parse(r.doc) as Item);
    const lastItem = read[read.length - 1];
    const more = input.limit !== undefined && rows.length > input.limit;
    const items = input.filter ? read.filter((i) => evaluate(input.filter as Condition, i)) : read;
    return { items, cursor: more && lastItem ? cursorAfter(lastItem) : null };
  }

  async transactWrite(ops: TransactOp[]): Promise<void> {
    assertValidTransaction(ops);
    this.immediate(() => {
      const current = ops.map((op) => this.read(opKey(op)));
      const reasons = ops.map((op, i) => {
        const condition = 'update' in op ? op.spec.condition : op.condition;
        return condition && !evaluate(condition, current[i] ?? null)
          ? 'ConditionalCheckFailed'
          : 'None';
      });
      if (reasons.includes('ConditionalCheckFailed')) throw new TransactionCanceledError(reasons);
      const writes = ops.map((op, i) => {
        if ('put' in op) return op.put;
        if ('update' in op) return applyUpdate(current[i] ?? null, op.update, op.spec);
        return null;
      });
      for (const item of writes) if (item) assertWritable(item);
      ops.forEach((op, i) => {
        const item = writes[i];
        if (item) this.write(item);
        else if ('delete' in op) {
          this.statement('DELETE FROM items WHERE pk = ? AND sk = ?').run(
            op.delete.pk,
            op.delete.sk,
          );
        }
      });
    });
  }

  async batchWrite(input: { put?: Item[]; delete?: Key[] }): Promise<void> {
    for (const item of input.put ?? []) assertWritable(item);
    this.immediate(() => {
      for (const item of input.put ?? []) this.write(item);
      for (const key of input.delete ?? []) {
        this.statement('DELETE FROM items WHERE pk = ? AND sk = ?').run(key.pk, key.sk);
      }
    });
  }

  /**
   * Every item of the store, in key order. Not part of the {@link Table} port and never for a
   * request path (it reads the whole file): it copies a store elsewhere, e.g. the benchmark
   * loads the DynamoDB emulator with what the API wrote here.
   */
  async allItems(): Promise<Item[]> {
    const rows = this.statement('SELECT doc FROM items ORDER BY pk, sk').all() as Row[];
    return rows.map((row) => JSON.parse(row.doc) as Item);
  }

  async close(): Promise<void> {
    this.db.close();
  }

  private read(key: Key): Item | null {
    const row = this.statement('SELECT doc FROM items WHERE pk = ? AND sk = ?').get(
      key.pk,
      key.sk,
    ) as Row | undefined;
    return row ? (JSON.parse(row.doc) as Item) : null;
  }

  private write(raw: Item): void {
    const item = stripUndefined(raw);
    assertWritable(item);
    // An item appears in an index only when it carries both of the index's key attributes.
    const indexed = (pkName: string, skName: string): [string | null, string | null] => {
      const [p, s] = [item[pkName], item[skName]];
      return typeof p === 'string' && typeof s === 'string' ? [p, s] : [null, null];
    };
    this.statement(
      `INSERT INTO items (pk, sk, gsi1pk, gsi1sk, gsi2pk, gsi2sk, doc) VALUES (?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (pk, sk) DO UPDATE SET gsi1pk = excluded.gsi1pk, gsi1sk = excluded.gsi1sk,
         gsi2pk = excluded.gsi2pk, gsi2sk = excluded.gsi2sk, doc = excluded.doc`,
    ).run(
      item.pk,
      item.sk,
      ...indexed('gsi1pk', 'gsi1sk'),
      ...indexed('gsi2pk', 'gsi2sk'),
      JSON.stringify(item),
    );
  }

  private immediate<T>(fn: () => T): T {
    return this.db.transaction(fn).immediate();
  }

  private statement(sql: string): Database.Statement {
    let stmt = this.statements.get(sql);
    if (!stmt) {
      stmt = this.db.prepare(sql);
      this.statements.set(sql, stmt);
    }
    return stmt;
  }
}

/** DynamoDB's limits on an item written: its size, and numbers it can store. */
function assertWritable(item: Item): void {
  if (itemSize(item) > MAX_ITEM_BYTES) throw new ItemTooLargeError();
  assertStorableNumbers(item);
}

/** Smallest string greater than every string that starts with `prefix` (null if none). */
function prefixUpperBound(prefix: string): string | null {
  const chars = Array.from(prefix);
  while (chars.length > 0) {
    const last = chars.pop() as string;
    const code = last.codePointAt(0) as number;
    if (code < 0x10ffff) {
      const next = code + 1 >= 0xd800 && code + 1 <= 0xdfff ? 0xe000 : code + 1;
      return chars.join('') + String.fromCodePoint(next);
    }
  }
  return null;
}
