/**
 * Import (issue 7): a ~5 MB localStorage dump — the front end's real dump
 * (`tests/fixtures/frontend-localstorage.json`) copied until it weighs 5 MB, ids suffixed per
 * copy, relations kept, logbook dates moved so each copy's entries keep their own days — imported
 * through `POST /import/local-storage` on the embedded store (a fresh SQLite file, the app
 * in-process, so the copy of the bench server's store into moto stays small), then once more
 * (every record unchanged). Prints both durations and the records per second; the target is
 * under a minute for the first import.
 *
 * Not an autocannon row: an import is one long request, measured once. `make bench` runs it
 * while seeding; `npx tsx bench/scenarios/import.ts` runs it alone.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { loadSettings } from '../../src/core/config.js';
import { buildDeps } from '../../src/runtime.js';
import { addDays } from '../../src/utils/dates.js';
import { benchApp } from '../app.js';
import { appSend, defineSuite, progress, signUp } from '../harness.js';

/** Size of the benchmark's dump as the browser holds it (compact JSON), in bytes. */
export const TARGET_BYTES = 5 * 1024 * 1024;

const FIXTURE = join(import.meta.dirname, '../../tests/fixtures/frontend-localstorage.json');

type Dump = Record<string, Record<string, Record<string, unknown>>>;

/** `value` with every id of `ids` suffixed by `suffix`, recursively. */
function renamed(value: unknown, ids: Set<string>, suffix: string): unknown {
  if (typeof value === 'string') return ids.has(value) ? `${value}${suffix}` : value;
  if (Array.isArray(value)) return value.map((v) => renamed(v, ids, suffix));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, renamed(v, ids, suffix)]));
  }
  return value;
}

/**
 * The fixture copied `copies` times: copy `k` suffixes every id with `-c{k}`, keys its relation
 * records `undefined-c{k}` (so none overwrites another), and moves its logbook entries `10 k`
 * days back (one entry per date).
 */
export function scaledDump(copies: number): Dump {
  const fixture = JSON.parse(readFileSync(FIXTURE, 'utf8')) as Dump;
  const ids = new Set<string>();
  const collect = (value: unknown): void => {
    if (Array.isArray(value)) value.forEach(collect);
    else if (value && typeof value === 'object') {
      const record = value as Record<string, unknown>;
      if (typeof record.id === 'string') ids.add(record.id);
      Object.values(record).forEach(collect);
    }
  };
  collect(fixture);
  const dump: Dump = {};
  for (let k = 0; k < copies; k++) {
    const suffix = `-c${k}`;
    for (const [key, records] of Object.entries(fixture)) {
      if (typeof records !== 'object') continue;
      const map = (dump[key] ??= {});
      for (const [recordKey, record] of Object.entries(records)) {
        const copy = renamed(record, ids, suffix) as Record<string, unknown>;
        if (key === 'gs_logbookEntries') copy.date = addDays(String(copy.date), -10 * k);
        map[`${recordKey}${suffix}`] = copy;
      }
    }
  }
  return dump;
}

/** What one run of the benchmark measured. */
export interface ImportFigures {
  bytes: number;
  records: number;
  /** Milliseconds of the first import (everything created) and of the second (all unchanged). */
  first: number;
  second: number;
}

/**
 * Imports a ~{@link TARGET_BYTES} dump twice into a new user on a fresh SQLite file, through the
 * app in this process.
 * @throws Error when an import does not answer 200, a record fails, or the second run creates any.
 */
export async function benchImport(): Promise<ImportFigures> {
  const one = JSON.stringify(scaledDump(1)).length;
  const copies = Math.max(1, Math.floor(TARGET_BYTES / one));
  const body = JSON.stringify(scaledDump(copies));
  const dir = mkdtempSync(join(tmpdir(), 'personal-os-import-bench-'));
  const deps = await buildDeps(
    loadSettings({ STORE: 'sqlite', SQLITE_PATH: join(dir, 'bench.db'), DATA_DIR: dir }),
  );
  try {
    const send = appSend(benchApp(deps));
    const user = await signUp(send);
    const run = async () => {
      const started = performance.now();
      const res = await send('/import/local-storage', {
        method: 'POST',
        headers: { authorization: `Bearer ${user.token}`, 'content-type': 'application/json' },
        body,
      });
      const ms = performance.now() - started;
      const report = (await res.json()) as {
        data?: { totals: { created: number; unchanged: number; failed: number } };
      };
      const totals = report.data?.totals;
      if (res.status !== 200 || !totals || totals.failed > 0) {
        throw new Error(`import answered ${res.status}: ${JSON.stringify(report).slice(0, 500)}`);
      }
      return { ms, totals };
    };
    progress(`import: ${copies} copies of the fixture, ${(body.length / 1e6).toFixed(1)} MB`);
    const first = await run();
    const second = await run();
    if (second.totals.created > 0) throw new Error('the second import created records');
    return {
      bytes: body.length,
      records: first.totals.created,
      first: first.ms,
      second: second.ms,
    };
  } finally {
    await deps.db.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** One line per import: size, records, duration, records per second. */
export function describeImport(f: ImportFigures): string {
  const rate = (ms: number) => Math.round(f.records / (ms / 1000)).toLocaleString('en');
  return [
    `Import of a ${(f.bytes / 1e6).toFixed(1)} MB dump (${f.records.toLocaleString('en')} records) on SQLite:`,
    `  first run (all created)    ${(f.first / 1000).toFixed(1)} s, ${rate(f.first)} records/s`,
    `  second run (all unchanged) ${(f.second / 1000).toFixed(1)} s, ${rate(f.second)} records/s`,
  ].join('\n');
}

/** `make bench`: the import runs while the suites are seeded; it adds no autocannon row. */
export default defineSuite({
  name: 'import',
  async seed() {
    console.log(describeImport(await benchImport()));
    return null;
  },
  scenarios: [],
});

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  console.log(describeImport(await benchImport()));
}
