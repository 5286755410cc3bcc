/** The object-key rule of vault uploads: `safeFileName`, by worked examples. */
import { describe, expect, it } from 'vitest';
import { safeFileName } from '../../src/services/knowledge/uploads.js';

describe('safeFileName', () => {
  it.each([
    // A run of other characters becomes one underscore: " ", " (", ")" → "_".
    ['Meeting notes (final).txt', 'Meeting_notes_final_.txt'],
    // Only the last path segment is kept, whichever separator the browser used.
    ['../../etc/passwd', 'passwd'],
    ['C:\\Users\\ada\\report.pdf', 'report.pdf'],
    // No hidden names: leading dots and underscores go.
    ['.env', 'env'],
    ['日本語.pdf', 'pdf'], // "日本語" → "_", then the leading "_." is dropped
    // Nothing usable left → "file".
    ['', 'file'],
    ['///', 'file'],
  ])('%j → %j', (input, expected) => {
    expect(safeFileName(input)).toBe(expected);
  });

  it('keeps the last 200 characters, so the extension survives', () => {
    const name = `${'a'.repeat(300)}.txt`;
    expect(safeFileName(name)).toBe(`${'a'.repeat(196)}.txt`); // 196 + 4 = 200
  });
});
