/**
 * The `Table` port: single-table storage with DynamoDB semantics (DESIGN.md §3).
 *
 * Two adapters implement it — `sqlite.ts` (embedded, local default) and `dynamodb/` (AWS) —
 * and one contract test suite (`tests/db/table.contract.test.ts`) runs against both, so a
 * behaviour that differs between them is a bug. Services never know which one runs.
 *
 * Semantics (those of DynamoDB, which the SQLite adapter reproduces):
 * - items are keyed by `pk`/`sk`; `gsi1pk`/`gsi1sk` and `gsi2pk`/`gsi2sk` project an item into
 *   the two global secondary indexes (an item without them is absent from that index);
 * - attribute values are JSON values (string, number, boolean, null, list, map); `undefined`
 *   attributes are dropped;
 * - an item is at most {@link MAX_ITEM_BYTES} by DynamoDB's size rules, and holds only numbers
 *   DynamoDB can store ({@link isStorableNumber});
 * - `query` returns one page; `limit` counts items *read*, before `filter`, so a page may be
 *   empty and still carry a `cursor`;
 * - `transactWrite` applies every operation or none, with at most {@link MAX_TRANSACT_ITEMS}
 *   operations on distinct items;
 * - a `between` sort-key condition needs its lower bound not to sort after its upper one.
 */

/** Primary key of an item. */
export interface Key {
  pk: string;
  sk: string;
}

/** A stored item: its key plus any attributes (JSON values). */
export type Item = Key & Record<string, unknown>;

/** The two global secondary indexes (partition `gsiNpk`, sort `gsiNsk`). */
export type IndexName = 'GSI1' | 'GSI2';

/** A scalar that conditions compare against. */
export type Scalar = string | number | boolean | null;

/** Comparison operators of DynamoDB condition expressions. */
export type Comparator = '=' | '<>' | '<' | '<=' | '>' | '>=';

/**
 * A condition on one item, the subset of DynamoDB condition expressions the project uses.
 * Paths are top-level attribute names. Comparisons follow DynamoDB: `<`, `>`… only hold between
 * two numbers or two strings; comparing with a missing attribute is false (but `<>` is true).
 */
export type Condition =
  | { exists: string }
  | { notExists: string }
  | { path: string; op: Comparator; value: Scalar }
  | { path: string; beginsWith: string }
  | { path: string; contains: Scalar }
  | { and: Condition[] }
  | { or: Condition[] }
  | { not: Condition };

/** Builders for {@link Condition}s, e.g. `cond.and(cond.exists('pk'), cond.eq('version', 3))`. */
export const cond = {
  exists: (path: string): Condition => ({ exists: path }),
  notExists: (path: string): Condition => ({ notExists: path }),
  eq: (path: string, value: Scalar): Condition => ({ path, op: '=', value }),
  ne: (path: string, value: Scalar): Condition => ({ path, op: '<>', value }),
  lt: (path: string, value: Scalar): Condition => ({ path, op: '<', value }),
  lte: (path: string, value: Scalar): Condition => ({ path, op: '<=', value }),
  gt: (path: string, value: Scalar): Condition => ({ path, op: '>', value }),
  gte: (path: string, value: Scalar): Condition => ({ path, op: '>=', value }),
  beginsWith: (path: string, prefix: string): Condition => ({ path, beginsWith: prefix }),
  contains: (path: string, value: Scalar): Condition => ({ path, contains: value }),
  and: (...conditions: Condition[]): Condition => ({ and: conditions }),
  or: (...conditions: Condition[]): Condition => ({ or: conditions }),
  not: (condition: Condition): Condition => ({ not: condition }),
};

/**
 * An update of top-level attributes: `set` replaces, `remove` deletes, `add` increments numbers
 * (a missing attribute counts as 0). Applied only when `condition` holds on the current item.
 * Like DynamoDB's UpdateItem, an update of a missing item creates it (guard with a condition).
 */
export interface UpdateSpec {
  set?: Record<string, unknown>;
  remove?: string[];
  add?: Record<string, number>;
  condition?: Condition;
}

/** Sort-key condition of a query. */
export type SortKeyCondition =
  | { beginsWith: string }
  | { between: [string, string] }
  | { op: Exclude<Comparator, '<>'>; value: string };

/** One query: every item of partition `pk` (of the base table or an index), in sort-key order. */
export interface QueryInput {
  /** Query this index instead of the base table; `pk` is then the index's partition key. */
  index?: IndexName;
  pk: string;
  sk?: SortKeyCondition;
  /** Ascending sort-key order (default) or descending. */
  forward?: boolean;
  /** Items to read (before `filter`) in this page; default: as many as one page holds. */
  limit?: number;
  /** The `cursor` of the previous page. */
  cursor?: string | null;
  /** Applied after reading: items that fail it are dropped but still count against `limit`. */
  filter?: Condition;
}

/** One page of a scan of the whole base table; `limit` and `filter` work as in {@link QueryInput}. */
export interface ScanInput {
  limit?: number;
  cursor?: string | null;
  filter?: Condition;
}

/** One page of a query; `cursor` is null on the last page. */
export interface Page {
  items: Item[];
  cursor: string | null;
}

/** One operation of an atomic {@link Table.transactWrite}. */
export type TransactOp =
  | { put: Item; condition?: Condition }
  | { update: Key; spec: UpdateSpec }
  | { delete: Key; condition?: Condition }
  | { check: Key; condition: Condition };

/** The storage port. Every method may throw the `TableError` subclasses below. */
export interface Table {
  /** `sqlite` or `dynamodb`, for `/health` and benchmarks. */
  readonly kind: 'sqlite' | 'dynamodb';
  /** The item at `key`, or null. Reads are strongly consistent. */
  get(key: Key): Promise<Item | null>;
  /** The items at `keys` that exist, each once, in any order. Any number of keys, repeats too. */
  batchGet(keys: Key[]): Promise<Item[]>;
  /** Writes `item` whole. @throws ConditionFailedError when `condition` does not hold. */
  put(item: Item, condition?: Condition): Promise<void>;
  /** Applies `spec`; returns the item after the update. @throws ConditionFailedError */
  update(key: Key, spec: UpdateSpec): Promise<Item>;
  /** Deletes `key`; returns the deleted item or null. @throws ConditionFailedError */
  delete(key: Key, condition?: Condition): Promise<Item | null>;
  /**
   * One page of a query. @throws InvalidCursorError for a cursor of another query;
   * InvalidRequestError for a `between` with reversed bounds ({@link assertValidQuery})
   */
  query(input: QueryInput): Promise<Page>;
  /**
   * One page of a scan of the whole table, every user's items (in key order on SQLite, in no
   * particular order on DynamoDB). For administration only (`wallet-audit --all`), never on a
   * request path. @throws InvalidCursorError for a cursor that is not one of a scan
   */
  scan(input: ScanInput): Promise<Page>;
  /** All operations or none. @throws TransactionCanceledError with one reason per operation */
  transactWrite(ops: TransactOp[]): Promise<void>;
  /**
   * Unconditional puts, then deletes, in batches (not atomic as a whole). Any number of items;
   * when a key comes twice, the later request wins.
   */
  batchWrite(input: { put?: Item[]; delete?: Key[] }): Promise<void>;
  /** Releases connections. */
  close(): Promise<void>;
}

/** Largest item DynamoDB stores: 400 KB, counted as attribute-name plus value bytes. */
export const MAX_ITEM_BYTES = 400 * 1024;
/** Most operations in one transaction (DynamoDB TransactWriteItems limit). */
export const MAX_TRANSACT_ITEMS = 100;

/**
 * Whether the store keeps number `n` exactly: 0, or a magnitude from 10^−130 (the smallest
 * DynamoDB stores, Developer Guide "Data types: Number": a subnormal double is a
 * ValidationException) to 2^53 − 1 (the largest the SDK's marshaller takes as a JavaScript
 * number: beyond it `@aws-sdk/util-dynamodb` throws rather than lose precision).
 */
export function isStorableNumber(n: number): boolean {
  const magnitude = Math.abs(n);
  return n === 0 || (magnitude >= 1e-130 && magnitude <= Number.MAX_SAFE_INTEGER);
}

/** Base of the storage errors; services turn them into domain errors. */
export class TableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** A write's condition did not hold; nothing was written. */
export class ConditionFailedError extends TableError {
  constructor() {
    super('The conditional request failed');
  }
}

/**
 * A transaction was cancelled; nothing was written. `reasons[i]` explains operation `i`:
 * `ConditionalCheckFailed` or `None`.
 */
export class TransactionCanceledError extends TableError {
  constructor(readonly reasons: string[]) {
    super(`Transaction cancelled: [${reasons.join(', ')}]`);
  }

  /** Whether operation `index` failed its condition. */
  failedAt(index: number): boolean {
    return this.reasons[index] === 'ConditionalCheckFailed';
  }
}

/**
 * Throws InvalidRequestError when `value` (an item or attribute value, walked deeply) holds a
 * number DynamoDB cannot store ({@link isStorableNumber}), as DynamoDB itself refuses it.
 */
export function assertStorableNumbers(value: unknown): void {
  if (typeof value === 'number') {
    if (!isStorableNumber(value)) {
      throw new InvalidRequestError(`The number ${value} is outside the range the store keeps`);
    }
  } else if (Array.isArray(value)) {
    for (const v of value) assertStorableNumbers(v);
  } else if (typeof value === 'object' && value !== null) {
    for (const v of Object.values(value)) assertStorableNumbers(v);
  }
}

/** An item exceeds {@link MAX_ITEM_BYTES}. */
export class ItemTooLargeError extends TableError {
  constructor() {
    super('Item size has exceeded the maximum allowed size');
  }
}

/** A cursor that is not one this query returned. */
export class InvalidCursorError extends TableError {
  constructor() {
    super('Invalid cursor');
  }
}

/** A request the store rejects as malformed (e.g. two operations on one item in a transaction). */
export class InvalidRequestError extends TableError {}

/**
 * Size of `item` in bytes by DynamoDB's rules: UTF-8 bytes of each attribute name plus its value;
 * strings count their UTF-8 bytes, numbers about one byte per two significant digits plus one,
 * booleans and null one byte, lists and maps 3 bytes plus one per element plus their contents.
 * Source: DynamoDB Developer Guide, "Item sizes and formats".
 */
export function itemSize(item: Record<string, unknown>): number {
  let size = 0;
  for (const [name, value] of Object.entries(item)) {
    if (value === undefined) continue;
    size += Buffer.byteLength(name, 'utf8') + valueSize(value);
  }
  return size;
}

function valueSize(value: unknown): number {
  if (typeof value === 'string') return Buffer.byteLength(value, 'utf8');
  if (typeof value === 'number') {
    const digits = String(Math.abs(value))
      .replace(/[.e+-]/gi, '')
      .replace(/^0+/, '');
    return Math.ceil(Math.max(digits.length, 1) / 2) + 1;
  }
  if (typeof value === 'boolean' || value === null) return 1;
  if (Array.isArray(value)) return 3 + value.reduce((s: number, v) => s + 1 + valueSize(v), 0);
  if (typeof value === 'object') {
    return (
      3 +
      Object.entries(value as Record<string, unknown>).reduce(
        (s, [k, v]) => (v === undefined ? s : s + 1 + Buffer.byteLength(k, 'utf8') + valueSize(v)),
        0,
      )
    );
  }
  return 0;
}

/** Key attributes of `index` (or the base table). */
export function indexKeys(index?: IndexName): { pk: string; sk: string } {
  if (index === 'GSI1') return { pk: 'gsi1pk', sk: 'gsi1sk' };
  if (index === 'GSI2') return { pk: 'gsi2pk', sk: 'gsi2sk' };
  return { pk: 'pk', sk: 'sk' };
}

/** Encodes a last-evaluated key as an opaque, URL-safe cursor. */
export function encodeCursor(lastKey: Record<string, string>): string {
  return Buffer.from(JSON.stringify(lastKey), 'utf8').toString('base64url');
}

/**
 * The cursor that continues a query of the base table (or of `index`) right after `item`: the
 * same cursor the store returns when a page ends at `item`.
 */
export function cursorAfter(item: Item, index?: IndexName): string {
  const names = [...new Set(['pk', 'sk', ...Object.values(indexKeys(index))])];
  return encodeCursor(Object.fromEntries(names.map((n) => [n, String(item[n])])));
}

/** Byte order of two strings' UTF-8 forms (the order of sort keys in both stores). */
const compareKeys = (a: string, b: string): number =>
  Buffer.compare(Buffer.from(a), Buffer.from(b));

/** Whether sort key `value` satisfies the sort-key condition `sk`. */
function satisfies(value: string, sk: SortKeyCondition): boolean {
  if ('beginsWith' in sk) return value.startsWith(sk.beginsWith);
  if ('between' in sk)
    return compareKeys(value, sk.between[0]) >= 0 && compareKeys(value, sk.between[1]) <= 0;
  const order = compareKeys(value, sk.value);
  return { '=': order === 0, '<': order < 0, '<=': order <= 0, '>': order > 0, '>=': order >= 0 }[
    sk.op
  ];
}

/** DynamoDB's limit on a sort key, in UTF-8 bytes (partition keys may have 2,048; ours are far shorter). */
export const MAX_KEY_BYTES = 1024;

/**
 * Decodes a cursor of a query on `index` with partition `pk` (of a scan when `pk` is null) and
 * sort-key condition `sk`.
 * @throws InvalidCursorError when it is malformed, belongs to another partition or index, holds
 *   a key longer than DynamoDB's sort-key limit ({@link MAX_KEY_BYTES}), or its sort key lies
 *   outside `sk` (DynamoDB refuses such a starting key).
 */
export function decodeCursor(
  cursor: string,
  index: IndexName | undefined,
  pk: string | null,
  sk?: SortKeyCondition,
): Record<string, string> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw new InvalidCursorError();
  }
  const names = index ? ['pk', 'sk', ...Object.values(indexKeys(index))] : ['pk', 'sk'];
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
    throw new InvalidCursorError();
  const record = parsed as Record<string, unknown>;
  if (Object.keys(record).length !== names.length) throw new InvalidCursorError();
  for (const name of names) {
    const value = record[name];
    if (typeof value !== 'string' || Buffer.byteLength(value) > MAX_KEY_BYTES) {
      throw new InvalidCursorError();
    }
  }
  if (pk !== null && record[indexKeys(index).pk] !== pk) throw new InvalidCursorError();
  if (sk && !satisfies(record[indexKeys(index).sk] as string, sk)) throw new InvalidCursorError();
  return record as Record<string, string>;
}

/**
 * Throws when a query's sort-key condition is one DynamoDB refuses: a `between` whose lower bound
 * sorts after its upper bound (strings compare by their UTF-8 bytes, as in both stores). A caller
 * with a possibly empty range checks it first.
 */
export function assertValidQuery(input: QueryInput): void {
  const sk = input.sk;
  if (sk && 'between' in sk && compareKeys(sk.between[0], sk.between[1]) > 0) {
    throw new InvalidRequestError(
      'The BETWEEN operator requires upper bound to be greater than or equal to lower bound',
    );
  }
}

/** Throws when a transaction is too large or touches one item twice (as DynamoDB does). */
export function assertValidTransaction(ops: TransactOp[]): void {
  if (ops.length === 0) throw new InvalidRequestError('A transaction needs at least one operation');
  if (ops.length > MAX_TRANSACT_ITEMS) {
    throw new InvalidRequestError(`A transaction holds at most ${MAX_TRANSACT_ITEMS} operations`);
  }
  const seen = new Set<string>();
  for (const op of ops) {
    const key = opKey(op);
    const id = `${key.pk}\u0000${key.sk}`;
    if (seen.has(id)) {
      throw new InvalidRequestError(
        'Transaction request cannot include multiple operations on one item',
      );
    }
    seen.add(id);
  }
}

/** The key an operation of a transaction touches. */
export function opKey(op: TransactOp): Key {
  if ('put' in op) return { pk: op.put.pk, sk: op.put.sk };
  if ('update' in op) return op.update;
  if ('delete' in op) return op.delete;
  return op.check;
}

/**
 * Every item of a query, following cursors page after page.
 * Use only where the result is bounded (one user's entities of one kind).
 */
export async function queryAll(table: Table, input: Omit<QueryInput, 'cursor'>): Promise<Item[]> {
  const items: Item[] = [];
  let cursor: string | null = null;
  do {
    const page: Page = await table.query({ ...input, cursor });
    items.push(...page.items);
    cursor = page.cursor;
  } while (cursor);
  return items;
}

/**
 * One page of at most `limit` items of a query, with an exact cursor: null exactly when no item
 * follows (a store's own cursor may lead to an empty page). Reads `limit + 1` items.
 */
export async function queryPage(
  table: Table,
  input: Omit<QueryInput, 'limit' | 'filter'> & { limit: number },
): Promise<Page> {
  const page = await table.query({ ...input, limit: input.limit + 1 });
  const last = page.items[input.limit - 1];
  if (page.items.length > input.limit && last) {
    return { items: page.items.slice(0, input.limit), cursor: cursorAfter(last, input.index) };
  }
  // Fewer items than asked: the store stopped at the end, or early at its page-size cap.
  return page;
}
