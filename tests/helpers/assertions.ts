/** Assertions shared by the HTTP suites. */
import { expect } from 'vitest';
import type { Reply } from './api.js';

/**
 * Asserts a 400 `VALIDATION_ERROR` whose `details` name a problem at `loc` (e.g.
 * `['body', 'title']`); `label` (usually the request body) identifies the case in a failure.
 */
export function expectInvalid(res: Reply, loc: (string | number)[], label?: unknown): void {
  expect({ label, status: res.status, code: res.body.error?.code }).toEqual({
    label,
    status: 400,
    code: 'VALIDATION_ERROR',
  });
  expect(res.body.error?.details).toEqual(
    expect.arrayContaining([expect.objectContaining({ loc })]),
  );
}
