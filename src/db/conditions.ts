/**
 * Evaluation of {@link Condition}s and {@link UpdateSpec}s on an in-memory item, with DynamoDB's
 * semantics (Developer Guide, "Comparison operator and function reference"). The SQLite adapter
 * uses these inside its transactions; the DynamoDB adapter renders the same trees as expressions.
 */
import {
  InvalidRequestError,
  type Condition,
  type Item,
  type Key,
  type Scalar,
  type UpdateSpec,
} from './table.js';

/** Whether `condition` holds for `item` (null when the item does not exist). */
export function evaluate(condition: Condition, item: Record<string, unknown> | null): boolean {
  if ('and' in condition) return condition.and.every((c) => evaluate(c, item));
  if ('or' in condition) return condition.or.some((c) => evaluate(c, item));
  if ('not' in condition) return !evaluate(condition.not, item);
  if ('exists' in condition) return item !== null && item[condition.exists] !== undefined;
  if ('notExists' in condition) return item === null || item[condition.notExists] === undefined;
  const actual = item?.[condition.path];
  if ('beginsWith' in condition) {
    return typeof actual === 'string' && actual.startsWith(condition.beginsWith);
  }
  if ('contains' in condition) {
    if (typeof actual === 'string' && typeof condition.contains === 'string') {
      return actual.includes(condition.contains);
    }
    return Array.isArray(actual) && actual.some((v) => scalarEquals(v, condition.contains));
  }
  if (actual === undefined) return condition.op === '<>';
  switch (condition.op) {
    case '=':
      return scalarEquals(actual, condition.value);
    case '<>':
      return !scalarEquals(actual, condition.value);
    default: {
      const order = compareScalars(actual, condition.value);
      if (order === null) return false;
      if (condition.op === '<') return order < 0;
      if (condition.op === '<=') return order <= 0;
      if (condition.op === '>') return order > 0;
      return order >= 0;
    }
  }
}

function scalarEquals(a: unknown, b: Scalar): boolean {
  return a === b;
}

/** Orders two numbers numerically or two strings by UTF-8 bytes; null for other pairs. */
function compareScalars(a: unknown, b: Scalar): number | null {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'string' && typeof b === 'string') {
    return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
  }
  return null;
}

/**
 * The item after applying `spec` to `current` (or to a new item with `key` when it is missing).
 * @throws InvalidRequestError when the update touches a key attribute or adds to a non-number.
 */
export function applyUpdate(current: Item | null, key: Key, spec: UpdateSpec): Item {
  const next: Item = { ...(current ?? {}), pk: key.pk, sk: key.sk };
  for (const [name, value] of Object.entries(spec.set ?? {})) {
    assertNotKey(name);
    if (value === undefined) Reflect.deleteProperty(next, name);
    else next[name] = value;
  }
  for (const name of spec.remove ?? []) {
    assertNotKey(name);
    Reflect.deleteProperty(next, name);
  }
  for (const [name, delta] of Object.entries(spec.add ?? {})) {
    assertNotKey(name);
    const before = next[name] ?? 0;
    if (typeof before !== 'number') {
      throw new InvalidRequestError(
        `An operand in the update expression has an incorrect data type: ${name}`,
      );
    }
    next[name] = before + delta;
  }
  return next;
}

function assertNotKey(name: string): void {
  if (name === 'pk' || name === 'sk') {
    throw new InvalidRequestError(
      `Cannot update attribute ${name}. This attribute is part of the key`,
    );
  }
}

/** Drops `undefined` attributes (recursively), as the DynamoDB marshaller does. */
export function stripUndefined<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}
