/**
 * `make bench` (`npm run bench`, then `bench/cold-start.ts`): runs every suite of
 * `bench/scenarios/*.ts` and prints one table.
 *
 * 1. The API starts in its own process (`bench/server.ts`: a fresh SQLite file, 127.0.0.1) and
 *    each suite seeds a new user's data through it (bulk data straight into its SQLite file).
 * 2. DynamoDB requests per route: the seeded items are copied into a table in moto's emulator,
 *    and the app over `DynamoTable` (in this process, trusting the same sign-in key) answers each
 *    route's request ONCE; the count is `DynamoTable.requestCount` (an SDK middleware) after
 *    minus before. The emulator is then stopped, so it takes no CPU from the load.
 * 3. Throughput and latency: autocannon drives each route after a warm-up, the bare route
 *    `GET /bench/constant` first, as the baseline every ratio divides by.
 *
 * Why copy instead of seeding the emulator through the API: moto copies the whole table on every
 * transaction, so writing 1,000 tasks one transaction at a time takes over a minute, and every
 * suite added would make it slower. Both adapters store the very same items (DESIGN.md §3).
 *
 * Settings (environment): `BENCH_DURATION` seconds of measured load per route (default 5),
 * `BENCH_WARMUP` seconds of unmeasured load before it (default 1), `BENCH_CONNECTIONS`
 * concurrent connections (default 10).
 */
import { readdirSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { z } from 'zod';
import { loadSettings } from '../src/core/config.js';
import { DynamoTable, createDynamoClient, createTable } from '../src/db/dynamodb/index.js';
import { SqliteTable } from '../src/db/sqlite.js';
import { buildDeps } from '../src/runtime.js';
import { startMoto } from '../tests/helpers/moto.js';
import { BARE_PATH, benchApp } from './app.js';
import {
  appSend,
  clientOf,
  httpSend,
  measure,
  printTable,
  progress,
  signUp,
  startServer,
  type BenchRequest,
  type BenchServer,
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

/** Rows that share a user and a seeded state. */
interface Group {
  /** The user's access token ('' for none). */
  token: string;
  state: unknown;
  rows: Row[];
}

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
 * The bare row, then each suite's rows with a new user of its own and its seed (through the
 * API of `server` and, for bulk data, straight into its SQLite file).
 *
 * @throws Error when two rows share a name.
 */
async function seedAll(suites: Suite<unknown>[], server: BenchServer): Promise<Group[]> {
  const groups: Group[] = [{ token: '', state: undefined, rows: [bare] }];
  const store = SqliteTable.open(server.sqlitePath);
  try {
    for (const suite of suites) {
      const user = await signUp(httpSend(server.url));
      progress(`${suite.name}: seeding`);
      const state = await suite.seed(user, store);
      const rows = suite.scenarios.map((s) => ({ ...s, status: s.status ?? 200 }));
      groups.push({ token: user.token, state, rows });
    }
  } finally {
    await store.close();
  }
  const names = groups.flatMap((g) => g.rows.map((r) => r.name));
  const twice = names.find((name, i) => names.indexOf(name) !== i);
  if (twice) throw new Error(`two rows are named ${twice}`);
  return groups;
}

/**
 * Visits every row in order, through `send` as the row's user. `call` sends the row's request
 * once and throws unless the answer has the row's status and passes the row's check. Returns
 * `visit`'s results by row name.
 */
async function forEachRow<T>(
  groups: Group[],
  send: Send,
  visit: (row: Row, request: BenchRequest, token: string, call: () => Promise<void>) => Promise<T>,
): Promise<Map<string, T>> {
  const results = new Map<string, T>();
  for (const { token, state, rows } of groups) {
    const user = clientOf(send, token);
    for (const row of rows) {
      const request = row.request(state);
      const call = async () => {
        const res = await user.call(request);
        if (res.status !== row.status) {
          throw new Error(`${row.name} answered ${res.status}, expected ${row.status}`);
        }
        row.check?.(res.data, state);
      };
      progress(row.name);
      results.set(row.name, await visit(row, request, token, call));
    }
  }
  return results;
}

/** DynamoDB requests one call of each row makes, over a copy of `server`'s store in moto. */
async function countDynamoRequests(
  groups: Group[],
  server: BenchServer,
  endpoint: string,
): Promise<Map<string, number>> {
  const tableName = `bench-${Date.now().toString(36)}`;
  const admin = createDynamoClient({ region: 'us-east-1', endpoint });
  await createTable(admin, tableName);
  admin.destroy();
  const settings = loadSettings({
    STORE: 'dynamodb',
    TABLE_NAME: tableName,
    DYNAMODB_ENDPOINT_URL: endpoint,
    DATA_DIR: server.dataDir, // the server's sign-in key, so the users' tokens hold here too
  });
  const deps = await buildDeps(settings);
  const table = deps.db;
  if (!(table instanceof DynamoTable)) throw new Error('expected the DynamoDB store');
  try {
    const source = SqliteTable.open(server.sqlitePath);
    const items = await source.allItems();
    await source.close();
    progress(`copying ${items.length} items into DynamoDB (moto)`);
    await table.batchWrite({ put: items });
    return await forEachRow(
      groups,
      appSend(benchApp(deps)),
      async (_row, _request, _token, call) => {
        const before = table.requestCount;
        await call();
        return table.requestCount - before;
      },
    );
  } finally {
    await table.close();
  }
}

const suites = await loadSuites();
const [server, moto] = await Promise.all([startServer(), startMoto()]);
let counts: Map<string, number>;
let figures: Map<string, Figures>;
try {
  const groups = await seedAll(suites, server);
  try {
    counts = await countDynamoRequests(groups, server, moto.url);
  } finally {
    await moto.stop();
  }
  progress(`load: ${load.connections} connections, ${load.warmup} + ${load.duration} s a route`);
  figures = await forEachRow(groups, httpSend(server.url), async (row, request, token, call) => {
    await call();
    return measure(server.url, token, request, row.status, load);
  });
} finally {
  await Promise.all([moto.stop(), server.stop()]);
}

const base = figures.get(bare.name) as Figures;
const rows = [...figures].map(([name, f]) => [
  name,
  f.rps.toFixed(f.rps < 10 ? 1 : 0),
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
    '\nDynamoDB requests: sent by one call of the route, over a copy of the same data in moto.',
);
