/**
 * A running API for tests: `createApp` with every router, served by @hono/node-server on
 * 127.0.0.1 on a free port, over the chosen store (a fresh SQLite file or a fresh table in the
 * DynamoDB emulator) and identity provider (local, or Cognito in the emulator). Tests talk to it
 * over real HTTP with `fetch`.
 */
import { serve, type ServerType } from '@hono/node-server';
import type { Deps } from '../../src/api/deps.js';
import { allRouters } from '../../src/api/routes/index.js';
import { loadSettings, type Settings } from '../../src/core/config.js';
import type { Router } from '../../src/api/route.js';
import { createApp } from '../../src/main.js';
import { openIdentity } from '../../src/runtime.js';
import { fixedClock, systemClock, type Clock } from '../../src/utils/dates.js';
import { createCognitoPool, type CognitoPool } from './cognito.js';
import { freshTable, motoEndpoint, tempDir, type StoreKind } from './stores.js';

/** A response as tests see it. */
export interface Reply<T = unknown> {
  status: number;
  headers: Headers;
  /** Parsed JSON body (null for an empty one). */
  body: {
    success: boolean;
    data: T;
    error: { code: string; message: string; details?: unknown } | null;
  };
}

/** Options of a request. */
export interface CallOptions {
  token?: string | null;
  body?: unknown;
  /** Send this string as the body verbatim (with a JSON content type). */
  rawBody?: string;
  headers?: Record<string, string>;
}

/** A signed-in test user. */
export interface TestUser {
  userId: string;
  email: string;
  token: string;
  refreshToken: string;
}

/** A running API and helpers to call it. */
export interface TestApi {
  url: string;
  deps: Deps;
  app: Router;
  /** The Cognito pool when `auth: 'cognito'`. */
  pool?: CognitoPool;
  call<T = unknown>(method: string, path: string, options?: CallOptions): Promise<Reply<T>>;
  /** Signs up and signs in a new user with a unique email. */
  newUser(prefix?: string): Promise<TestUser>;
  close(): Promise<void>;
}

/** Options of {@link startApi}. */
export interface StartOptions {
  store?: StoreKind;
  auth?: 'local' | 'cognito';
  /** A fixed clock (`fixedClock(...)`) for time-dependent tests. */
  clock?: Clock;
  /** Extra environment settings. */
  env?: Record<string, string>;
  /** Routers to serve (default: every router). */
  routers?: Router[];
}

let users = 0;

/** Starts an API; call `close()` in `afterAll`. */
export async function startApi(options: StartOptions = {}): Promise<TestApi> {
  const store = options.store ?? 'sqlite';
  const auth = options.auth ?? 'local';
  const clock = options.clock ?? systemClock;
  const { table, path, tableName } = await freshTable(store);
  const pool = auth === 'cognito' ? await createCognitoPool() : undefined;
  const settings: Settings = loadSettings({
    STORE: store,
    AUTH_MODE: auth,
    DATA_DIR: tempDir(),
    ...(path ? { SQLITE_PATH: path } : {}),
    ...(tableName ? { TABLE_NAME: tableName, DYNAMODB_ENDPOINT_URL: motoEndpoint() } : {}),
    ...(pool
      ? {
          COGNITO_USER_POOL_ID: pool.userPoolId,
          COGNITO_CLIENT_ID: pool.clientId,
          COGNITO_ENDPOINT_URL: motoEndpoint(),
          COGNITO_JWKS_URL: pool.jwksUrl,
        }
      : {}),
    ...options.env,
  });
  const deps: Deps = {
    settings,
    db: table,
    clock,
    identity: await openIdentity(settings, table, clock),
  };
  const app = createApp(options.routers ?? allRouters(), deps);
  const server: ServerType = await new Promise((resolve) => {
    const s = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 }, () => resolve(s));
  });
  const address = server.address();
  const url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;

  const call = async <T>(
    method: string,
    pathname: string,
    opts: CallOptions = {},
  ): Promise<Reply<T>> => {
    const headers: Record<string, string> = { ...opts.headers };
    if (opts.token) headers.authorization = `Bearer ${opts.token}`;
    let body: string | undefined;
    if (opts.rawBody !== undefined) body = opts.rawBody;
    else if (opts.body !== undefined) body = JSON.stringify(opts.body);
    if (body !== undefined) headers['content-type'] ??= 'application/json';
    const res = await fetch(url + pathname, {
      method,
      headers,
      ...(body !== undefined ? { body } : {}),
    });
    const text = await res.text();
    return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : null };
  };

  const newUser = async (prefix = 'user'): Promise<TestUser> => {
    users += 1;
    const email = `${prefix}-${process.pid}-${users}-${Date.now().toString(36)}@example.com`;
    const password = 'Correct-horse-9';
    const signUp = await call<{ userId: string; confirmed: boolean }>('POST', '/auth/signup', {
      body: { email, password },
    });
    if (signUp.status !== 201) throw new Error(`sign-up failed: ${JSON.stringify(signUp.body)}`);
    if (!signUp.body.data.confirmed)
      await call('POST', '/auth/confirm', { body: { email, code: '123456' } });
    const login = await call<{ accessToken: string; refreshToken: string; user: { id: string } }>(
      'POST',
      '/auth/login',
      { body: { email, password } },
    );
    if (login.status !== 200) throw new Error(`login failed: ${JSON.stringify(login.body)}`);
    return {
      userId: login.body.data.user.id,
      email,
      token: login.body.data.accessToken,
      refreshToken: login.body.data.refreshToken,
    };
  };

  return {
    url,
    deps,
    app,
    ...(pool ? { pool } : {}),
    call,
    newUser,
    close: async () => {
      await new Promise((resolve) => server.close(resolve));
      await table.close();
    },
  };
}

export { fixedClock };
