/**
 * Cold-start benchmark of the Lambda bundles, the last part of `make bench` (`npm run bench`
 * runs it after `bench/run.ts`, so the two never share the CPU): for each function, the size of
 * its bundle (raw and gzip, as in the zip) and its module initialisation time — `import()` of the
 * bundle in a fresh Node process, the part of a cold start the code controls — median and minimum
 * of {@link RUNS} runs. Bundles are built with the deployment's esbuild options
 * (`scripts/bundles.ts`).
 *
 *   npx tsx bench/cold-start.ts   # this part alone
 *
 * Figures come from this machine, not Lambda's arm64 CPUs; compare bundles with each other and
 * runs with each other, not with AWS's numbers.
 */
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { quantileSorted } from 'simple-statistics';
import { buildBundles, loadBundle } from '../scripts/bundles.js';
import { printTable, progress } from './harness.js';

/** Fresh processes per bundle. */
const RUNS = 5;

progress('cold start: building the Lambda bundles');
const bundles = await buildBundles();
const rows: string[][] = [];
for (const bundle of bundles) {
  progress(`cold start: ${bundle.name}`);
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) times.push((await loadBundle(bundle.file)).initMs);
  times.sort((a, b) => a - b);
  const gzip = gzipSync(readFileSync(bundle.file)).length;
  rows.push([
    bundle.name,
    (bundle.bytes / 1024).toFixed(0),
    (gzip / 1024).toFixed(0),
    quantileSorted(times, 0.5).toFixed(1),
    (times[0] as number).toFixed(1),
  ]);
}
console.log(
  `\nLambda bundles: size and module initialisation in a fresh Node ${process.version} process (${RUNS} runs each).\n`,
);
printTable(['function', 'bundle KiB', 'gzip KiB', 'init ms (median)', 'init ms (min)'], rows);
