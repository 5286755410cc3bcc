/**
 * The benchmark's shared harness: what a scenario file declares ({@link defineSuite}), the API
 * server under load ({@link startServer}), a signed-in API client over HTTP or in-process
 * ({@link signUp}), the load generator ({@link measure}, autocannon) and the table printer.
 */
import { fork } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { quantileSorted } from 'simple-statistics';
import type { Router } from '../src/api/route.js';
import type { Table } from '../src/db/table.js';

/** One HTTP request a scenario repeats, unchanged, for the whole run. */
export interface BenchRequest {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Path and query, e.g. `/tasks?status=Done`. */
  path: string;
  /** JSON body. */
  body?: unknown;
}

/** One measured route: a row of the printed table. */
export interface Scenario<S> {
  /** Row label, e.g. `GET /tasks (1,000)`. */
  name: string;
  /** The request, built from what the suite's `seed` returned. */
  request(state: S): BenchRequest;
  /** The status every response must have (default 200). */
  status?: number;
  /** Throws when a response's `data` (the first of each phase) is not what the row claims to measure. */
  check?(data: unknown, state: S): void;
}

/** What a file of `bench/scenarios/` exports as default. */
export interface Suite<S> {
  /** Short name, shown while the bench runs. */
  name: string;
  /**
   * Loads a new user's data and returns what the requests need, e.g. ids. Runs once, before any
   * scenario; the same data is measured on SQLite and counted on DynamoDB. Through the API
   * (`user`) where that is quick enough; bulk data (thousands of items) may be written straight
   * into the server's store (`store`, its SQLite file), as the items the services' own item
   * mappings build, so they are exactly what the API would have written.
   */
  seed(user: User, store: Table): Promise<S>;
  /** Measured in this order: put writes that change what later reads see at the end. */
  scenarios: Scenario<S>[];
}

/** Identity helper that types a scenario file's suite. */
export function defineSuite<S>(suite: Suite<S>): Suite<S> {
  return suite;
}

/** Sends one request to an app: over HTTP ({@link httpSend}) or in-process ({@link appSend}). */
export type Send = (path: string, init: RequestInit) => Promise<Response>;

/** Requests to the server at `url` over HTTP. */
export const httpSend =
  (url: string): Send =>
  (path, init) =>
    fetch(url + path, init);

/** Requests handled by `app` in this process, without a socket. */
export const appSend =
  (app: Router): Send =>
  async (path, init) =>
    app.request(path, init);

/** A user's view of the API (anonymous when the token is empty). */
export interface Client {
  /** The user's bearer access token, or ''. */
  token: string;
  /** Sends `request` with the token; `data` is the envelope's `data`. */
  call<T = unknown>(request: BenchRequest): Promise<{ status: number; data: T }>;
}

/** A signed-up user's client. */
export interface User extends Client {
  /** The user's id (`sub`), which keys their items. */
  userId: string;
}

/** `Authorization` and, with a body, `Content-Type` headers of a request. */
function headersOf(token: string, request: BenchRequest): Record<string, string> {
  return {
    ...(token ? { authorization: `Bearer ${token}` } : {}),
    ...(request.body !== undefined ? { 'content-type': 'application/json' } : {}),
  };
}

/** `token`'s user (anonymous when empty) talking through `send`. */
export function clientOf(send: Send, token: string): Client {
  return {
    token,
    async call<T>(request: BenchRequest) {
      const res = await send(request.path, {
        method: request.method,
        headers: headersOf(token, request),
        ...(request.body !== undefined ? { body: JSON.stringify(request.body) } : {}),
      });
      const text = await res.text();
      const envelope = (text ? JSON.parse(text) : null) as { data: T } | null;
      return { status: res.status, data: envelope?.data as T };
    },
  };
}

let users = 0;

/**
 * Signs up a new user (local sign-in) and logs in.
 *
 * @throws Error when either step does not answer 201 / 200.
 */
export async function signUp(send: Send): Promise<User> {
  const anonymous = clientOf(send, '');
  users += 1;
  const body = {
    email: `bench-${process.pid}-${users}@example.com`,
    password: 'Correct-horse-9',
  };
  const signed = await anonymous.call({ method: 'POST', path: '/auth/signup', body });
  if (signed.status !== 201) throw new Error(`sign-up answered ${signed.status}`);
  const login = await anonymous.call<{ accessToken: string; user: { id: string } }>({
    method: 'POST',
    path: '/auth/login',
    body,
  });
  if (login.status !== 200) throw new Error(`login answered ${login.status}`);
  return { ...clientOf(send, login.data.accessToken), userId: login.data.user.id };
}

const started = performance.now();

/** Prints `message` to stderr with the seconds since the bench started (stdout holds the table). */
export function progress(message: string): void {
  console.error(`[${((performance.now() - started) / 1000).toFixed(1).padStart(5)} s] ${message}`);
}

/** The API under load, in its own process. */
export interface BenchServer {
  url: string;
  /** The server's temporary directory: its local sign-in key lives here. */
  dataDir: string;
  /** Its SQLite file. */
  sqlitePath: string;
  stop(): Promise<void>;
}

/**
 * Forks `bench/server.ts`: the app over a fresh SQLite file in a new temporary directory, on
 * 127.0.0.1. `stop()` ends the process and removes the directory.
 */
export async function startServer(): Promise<BenchServer> {
  const dataDir = mkdtempSync(join(tmpdir(), 'personal-os-bench-'));
  const sqlitePath = join(dataDir, 'bench.db');
  const child = fork(join(import.meta.dirname, 'server.ts'), [dataDir, sqlitePath], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const stop = async () => {
    if (child.connected) child.disconnect();
    if (child.exitCode === null && child.signalCode === null) await exited;
    rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    const url = await new Promise<string>((resolve, reject) => {
      child.once('message', (message) => resolve((message as { url: string }).url));
      child.once('exit', (code) => reject(new Error(`bench server exited with code ${code}`)));
    });
    return { url, dataDir, sqlitePath, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}

/** Throughput and latency of one route under load. */
export interface Figures {
  /** Responses with the expected status per second, over the whole run. */
  rps: number;
  /** Median latency, milliseconds. */
  p50: number;
  /** 95th-percentile latency, milliseconds. */
  p95: number;
}

/** How hard and how long {@link measure} drives a route. */
export interface Load {
  /** Seconds of measured load. */
  duration: number;
  /** Seconds of unmeasured load first, so the JIT and caches are warm. */
  warmup: number;
  /** Concurrent keep-alive connections. */
  connections: number;
}

function run(options: autocannon.Options, onLatency?: (ms: number) => void) {
  return new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(options, (err: unknown, result) =>
      err ? reject(err instanceof Error ? err : new Error(String(err))) : resolve(result),
    );
    if (onLatency) instance.on('response', (_client, _status, _bytes, ms) => onLatency(ms));
  });
}

/**
 * Drives `request` against `url` with autocannon (after a warm-up) and returns its figures.
 * Latencies come from every response's own timing (autocannon's summary has p97.5 but no
 * p95), as simple-statistics' linearly interpolated quantiles (R type 7, numpy's default).
 *
 * @throws Error when any response is not `status` or a connection fails: figures of failing
 *   requests would measure the error path.
 */
export async function measure(
  url: string,
  token: string,
  request: BenchRequest,
  status: number,
  load: Load,
): Promise<Figures> {
  const options: autocannon.Options = {
    url: url + request.path,
    method: request.method,
    headers: headersOf(token, request),
    ...(request.body !== undefined ? { body: JSON.stringify(request.body) } : {}),
    connections: load.connections,
  };
  if (load.warmup > 0) await run({ ...options, duration: load.warmup });
  const latencies: number[] = [];
  const result = await run({ ...options, duration: load.duration }, (ms) => latencies.push(ms));
  const ok = result.statusCodeStats?.[`${status}`]?.count ?? 0;
  if (result.errors > 0 || ok !== latencies.length || ok === 0) {
    throw new Error(
      `${request.method} ${request.path}: ${ok} of ${latencies.length} responses were ${status}, ${result.errors} connection errors`,
    );
  }
  latencies.sort((a, b) => a - b);
  return {
    rps: ok / result.duration,
    p50: quantileSorted(latencies, 0.5),
    p95: quantileSorted(latencies, 0.95),
  };
}

/** Prints `rows` under `headers` to stdout: the first column left-aligned, the others right. */
export function printTable(headers: string[], rows: string[][]): void {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) =>
    cells
      .map((cell, i) => (i === 0 ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0)))
      .join('  ');
  console.log(line(headers));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const row of rows) console.log(line(row));
}
