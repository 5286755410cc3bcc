/**
 * A `Table` wrapper that records every storage call made through it, for tests that check a
 * request makes a bounded number of round trips.
 */
import type { Table } from '../../src/db/table.js';

/** `db` wrapped so that each method call is recorded by name in `calls`. */
export function countingTable(db: Table): { db: Table; calls: string[] } {
  const calls: string[] = [];
  const wrapped = new Proxy(db, {
    get(target, name, receiver) {
      const value = Reflect.get(target, name, receiver) as unknown;
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        calls.push(String(name));
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
  return { db: wrapped, calls };
}
