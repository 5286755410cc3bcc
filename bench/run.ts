/**
 * `make bench` (`npm run bench`): runs every suite of `bench/scenarios/*.ts` and prints one table.
 *
 * 1. DynamoDB requests per route: the app over `DynamoTable` in moto's emulator, each suite seeded
 *    the same way, each scenario's request sent ONCE; the count is `DynamoTable.requestCount`
 *    (an SDK middleware) after minus before.
 * 2. Throughput and latency: the app in its own process (`bench/server.ts`, a fresh SQLite file,
 *    127.0.0.1), each suite seeded, each route driven by autocannon after a warm-up; the bare
 *    route `GET /bench/constant` first, as the baseline every ratio divides by.
 *
 * Settings (environment): `BENCH_DURATION` seconds of measured load per route (default 5),
 * `BENCH_WARMUP` seconds of unmeasured load before it (default 1), `BENCH_CONNECTIONS`
 * concurrent connections (default 10).
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { z } from 'zod';
import { loadSettings } from '../src/core/config.js';
import { DynamoTable, createDynamoClient, createTable } from '../src/db/dynamodb.js';
import { buildDeps } from '../src/runtime.js';
import { startMoto } from '../tests/helpers/moto.js';
import { BARE_PATH, benchApp } from './app.js';
import {
  appSend,
  httpSend,
  measure,
  printTable,
  progress,
  signUp,
  startServer,
  type BenchRequest,
  type Client,
  type Figures,
  type Load,
  type Scenario,
  type Send,
  type Suite,
} from './harness.js';

const env = z
  .object({
    BENCH_DURATION: z.coerce.number().positive().default(5),
    BENCH_WARMUP: z.coerce.number().min(0).default(1),
    BENCH_CONNECTIONS: z.coerce.number().int().min(1).max(1000).default(10),
  })
  .parse(process.env);
const load: Load = {
  duration: env.BENCH_DURATION,
  warmup: env.BENCH_WARMUP,
  connections: env.BENCH_CONNECTIONS,
};

/** A row of the table: the bare route or a suite's scenario, with its status settled. */
type Row = Scenario<unknown> & { status: number };

const bare: Row = {
  name: `GET ${BARE_PATH} (bare)`,
  status: 200,
  request: () => ({ method: 'GET', path: BARE_PATH }),
};

async function loadSuites(): Promise<Suite<unknown>[]> {
  const dir = join(import.meta.dirname, 'scenarios');
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.ts'))
    .sort();
  return Promise.all(
    files.map(async (file) => {
      const mod = (await import(pathToFileURL(join(dir, file)).href)) as {
        default?: Suite<unknown>;
      };
      if (!mod.default?.scenarios) throw new Error(`bench/scenarios/${file} exports no suite`);
      return mod.default;
    }),
  );
}

/**
 * Visits the bare row, then each suite's rows in order, each suite with a new user of its own
 * (signed up through `send`) and its seed; each row's first response is checked before the
 * visit. Returns `visit`'s results by row name.
 *
 * @throws Error when a first response has another status, fails the row's check, or two rows
 *   share a name.
 */
async function forEachRow<T>(
  suites: Suite<unknown>[],
  send: Send,
  visit: (row: Row, request: BenchRequest, client: Client) => Promise<T>,
): Promise<Map<string, T>> {
  const results = new Map<string, T>();
  const run = async (row: Row, state: unknown, client: Client) => {
    if (results.has(row.name)) throw new Error(`two rows are named ${row.name}`);
    const request = row.request(state);
    const first = await client.call(request);
    if (first.status !== row.status) {
      throw new Error(`${row.name} answered ${first.status}, expected ${row.status}`);
    }
    row.check?.(first.data, state);
    results.set(row.name, await visit(row, request, client));
  };
  await run(bare, undefined, await signUp(send));
  for (const suite of suites) {
    const client = await signUp(send);
    progress(`${suite.name}: seeding`);
    const state = await suite.seed(client);
    for (const scenario of suite.scenarios) {
      progress(`${suite.name}: ${scenario.name}`);
      await run({ ...scenario, status: scenario.status ?? 200 }, state, client);
    }
  }
  return results;
}

/** DynamoDB requests one call of each row makes, against moto's server. */
async function countDynamoRequests(suites: Suite<unknown>[]): Promise<Map<string, number>> {
  progress('DynamoDB request counts, against moto');
  const moto = await startMoto();
  const dir = mkdtempSync(join(tmpdir(), 'personal-os-bench-'));
  try {
    const tableName = `bench-${Date.now().toString(36)}`;
    const admin = createDynamoClient({ region: 'us-east-1', endpoint: moto.url });
    await createTable(admin, tableName);
    admin.destroy();
    const settings = loadSettings({
      STORE: 'dynamodb',
      TABLE_NAME: tableName,
      DYNAMODB_ENDPOINT_URL: moto.url,
      DATA_DIR: dir,
    });
    const deps = await buildDeps(settings);
    const table = deps.db;
    if (!(table instanceof DynamoTable)) throw new Error('expected the DynamoDB store');
    const counts = await forEachRow(
      suites,
      appSend(benchApp(deps)),
      async (row, request, client) => {
        const before = table.requestCount;
        const res = await client.call(request);
        if (res.status !== row.status) throw new Error(`${row.name} answered ${res.status}`);
        return table.requestCount - before;
      },
    );
    await table.close();
    progress('stopping moto');
    return counts;
  } finally {
    await moto.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Throughput and latency of each row, against the SQLite app in its own process. */
async function measureAll(suites: Suite<unknown>[]): Promise<Map<string, Figures>> {
  progress(
    `load on SQLite: ${load.connections} connections, ${load.warmup} + ${load.duration} s a route`,
  );
  const server = await startServer();
  try {
    return await forEachRow(suites, httpSend(server.url), (row, request, client) =>
      measure(server.url, client.token, request, row.status, load),
    );
  } finally {
    await server.stop();
  }
}

const suites = await loadSuites();
// The emulator goes first and is stopped before any load, so it takes no CPU from the figures.
const counts = await countDynamoRequests(suites);
const figures = await measureAll(suites);

const base = figures.get(bare.name) as Figures;
const rows = [...figures].map(([name, f]) => [
  name,
  f.rps.toFixed(0),
  f.p50.toFixed(2),
  f.p95.toFixed(2),
  (f.rps / base.rps).toFixed(2),
  (f.p50 / base.p50).toFixed(1),
  (f.p95 / base.p95).toFixed(1),
  String(counts.get(name) ?? '?'),
]);
const cpu = cpus();
console.log(
  `\nNode ${process.version}, ${cpu.length} × ${cpu[0]?.model.trim() ?? 'CPU'}; autocannon with ` +
    `${load.connections} connections, ${load.duration} s per route after ${load.warmup} s warm-up; ` +
    'SQLite store, server in its own process on 127.0.0.1.\n',
);
printTable(
  [
    'route',
    'req/s',
    'p50 ms',
    'p95 ms',
    'req/s ÷ bare',
    'p50 ÷ bare',
    'p95 ÷ bare',
    'DynamoDB requests',
  ],
  rows,
);
console.log(
  '\n÷ bare: the route’s figure divided by the bare route’s (a constant through the same app).' +
    '\nDynamoDB requests: SDK calls one request makes against the emulator (one call, same data).',
);
