/**
 * Identifiers: ULIDs (26 Crockford base-32 characters, time-sortable; github.com/ulid/spec),
 * from one monotonic factory so ids minted in the same millisecond still sort in creation order.
 */
import { monotonicFactory } from 'ulid';

const next = monotonicFactory();

/** A new ULID, e.g. `01JDZ8M3Q4S6T8V0X2Z4B6D8F0`. */
export function newId(): string {
  return next();
}
