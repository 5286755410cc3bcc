/** Worked examples of the storage helpers every domain shares. */
import { describe, expect, it } from 'vitest';
import { hasExpired } from '../../src/db/models.js';

describe('hasExpired', () => {
  // ttl 1,796,400,000 s = 2026-12-04T16:00:00Z.
  const item = { pk: 'P', sk: 'S', ttl: 1_796_400_000 };
  it('is false before the ttl, true at it and after (DynamoDB: expired once ttl ≤ now)', () => {
    expect(hasExpired(item, 1_796_399_999)).toBe(false);
    expect(hasExpired(item, 1_796_400_000)).toBe(true);
    expect(hasExpired(item, 1_796_400_001)).toBe(true);
  });
  it('never expires an item without ttl', () => {
    expect(hasExpired({ pk: 'P', sk: 'S' }, Number.MAX_SAFE_INTEGER)).toBe(false);
  });
});
