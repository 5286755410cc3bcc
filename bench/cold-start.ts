/**
 * Cold-start benchmark of the Lambda bundles: for each function with a handler file, the size of
 * its bundle (raw and gzip, as in the zip) and its module initialisation time — `import()` of the
 * bundle in a fresh Node process, the part of a cold start the code controls — median of
 * {@link RUNS} runs. Bundles are built with the deployment's esbuild options (`scripts/bundles.ts`).
 *
 *   npx tsx bench/cold-start.ts
 *
 * Figures come from this machine, not Lambda's arm64 CPUs; compare bundles with each other and
 * runs with each other, not with AWS's numbers.
 */
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { buildBundles, loadBundle } from '../scripts/bundles.js';

/** Fresh processes per bundle. */
const RUNS = 5;

const median = (xs: number[]) => {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
};

const bundles = await buildBundles();
const rows: string[][] = [
  ['function', 'bundle KiB', 'gzip KiB', 'init ms (median)', 'init ms (min)'],
];
for (const bundle of bundles) {
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) times.push((await loadBundle(bundle.file)).initMs);
  const gzip = gzipSync(readFileSync(bundle.file)).length;
  rows.push([
    bundle.name,
    (bundle.bytes / 1024).toFixed(0),
    (gzip / 1024).toFixed(0),
    median(times).toFixed(1),
    Math.min(...times).toFixed(1),
  ]);
}
const widths = (rows[0] ?? []).map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
console.log(
  `Lambda bundles: size and module initialisation in a fresh Node ${process.version} process (${RUNS} runs)`,
);
for (const row of rows) console.log(row.map((cell, i) => cell.padStart(widths[i] ?? 0)).join('  '));
