/**
 * The Lambda handlers (`handlers/<domain>.ts`) invoked as Lambda does, with HTTP API payload-v2
 * events, over DynamoDB, Cognito and S3 in the emulator: every handler answers its own domain's
 * routes and 404s another domain's; claims of the gateway's authorizer (strings) are trusted only
 * inside Lambda; query strings, JSON and base64 bodies, stage-like path prefixes and trailing
 * slashes reach the app intact.
 */
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { handlerNames } from '../../scripts/bundles.js';
import { createCognitoPool } from '../helpers/cognito.js';
import {
  HANDLERS,
  accessClaims,
  envelopeOf,
  httpApiEvent,
  type EventOptions,
  type HandlerModule,
} from '../helpers/handlers.js';
import { freshTable, motoEndpoint } from '../helpers/stores.js';

type Task = { id: string; title: string; userId: string };
type TaskPage = { tasks: Task[]; total: number };

const saved = { ...process.env };
const modules = new Map<string, HandlerModule>();
const user = crypto.randomUUID();
const other = crypto.randomUUID();
let bucket: string;

/** Invokes handler `name` with the event for `options` and returns status and envelope. */
async function invoke<T = unknown>(name: string, options: EventOptions) {
  const mod = modules.get(name);
  if (!mod) throw new Error(`handler ${name} not loaded`);
  const result = await mod.handler(httpApiEvent(options));
  return { status: result.statusCode, headers: result.headers ?? {}, body: envelopeOf<T>(result) };
}

beforeAll(async () => {
  const { table, tableName } = await freshTable('dynamodb');
  await table.close();
  const pool = await createCognitoPool();
  bucket = `uploads-${process.pid}-${Date.now().toString(36)}`;
  const s3 = new S3Client({ region: 'us-east-1', endpoint: motoEndpoint(), forcePathStyle: true });
  await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  s3.destroy();
  // What serverless.yml sets, pointed at the emulator; AWS_LAMBDA_FUNCTION_NAME is set by Lambda.
  Object.assign(process.env, {
    AWS_LAMBDA_FUNCTION_NAME: 'personal-os-test',
    STAGE: 'dev',
    TABLE_NAME: tableName,
    DYNAMODB_ENDPOINT_URL: motoEndpoint(),
    COGNITO_USER_POOL_ID: pool.userPoolId,
    COGNITO_CLIENT_ID: pool.clientId,
    COGNITO_ENDPOINT_URL: motoEndpoint(),
    COGNITO_JWKS_URL: pool.jwksUrl,
    UPLOADS_BUCKET: bucket,
    S3_ENDPOINT_URL: motoEndpoint(),
    CORS_ORIGINS: 'https://app.example.com',
  });
  for (const h of HANDLERS) modules.set(h.name, await h.load());
});

afterAll(() => {
  for (const key of Object.keys(process.env))
    if (!(key in saved)) Reflect.deleteProperty(process.env, key);
  Object.assign(process.env, saved);
});

describe('every handler', () => {
  it('is listed once in the test list', () => {
    expect(HANDLERS.map((h) => h.name).sort()).toEqual(handlerNames());
  });

  it.each(HANDLERS)('$name answers its own routes and 404s another domain’s', async (h) => {
    for (const request of h.own) {
      const own = await invoke(h.name, { ...request, claims: accessClaims(user) });
      expect({ request, status: own.status, success: own.body.success }).toEqual({
        request,
        status: expect.toSatisfy((s: number) => s >= 200 && s < 300),
        success: true,
      });
    }
    const foreign = await invoke(h.name, { ...h.foreign, claims: accessClaims(user) });
    expect({ handler: h.name, status: foreign.status, code: foreign.body.error?.code }).toEqual({
      handler: h.name,
      status: 404,
      code: 'NOT_FOUND',
    });
  });
});

describe('the tasks handler', () => {
  it('takes the user from the authorizer’s string claims and reads a JSON body', async () => {
    const created = await invoke<Task>('tasks', {
      method: 'POST',
      path: '/tasks',
      body: { title: 'From Lambda', area: 'Health' },
      claims: accessClaims(user),
    });
    expect(created.status).toBe(201);
    expect(created.body.data).toMatchObject({ title: 'From Lambda', userId: user });
    // Another user's claims see nothing of it.
    const intruder = await invoke('tasks', {
      method: 'GET',
      path: `/tasks/${created.body.data.id}`,
      claims: accessClaims(other),
    });
    expect(intruder.status).toBe(404);
  });

  it('decodes a base64 body', async () => {
    const res = await invoke<Task>('tasks', {
      method: 'POST',
      path: '/tasks',
      body: { title: 'Encoded ✓', area: 'Love' },
      base64: true,
      claims: accessClaims(user),
    });
    expect(res.status).toBe(201);
    expect(res.body.data.title).toBe('Encoded ✓');
  });

  it('passes the query string through', async () => {
    const res = await invoke<TaskPage>('tasks', {
      method: 'GET',
      path: '/tasks',
      query: 'search=encoded&sortBy=title',
      claims: accessClaims(user),
    });
    expect(res.status).toBe(200);
    expect(res.body.data.tasks.map((t) => t.title)).toEqual(['Encoded ✓']);
  });

  it('answers /tasks/ like /tasks', async () => {
    const plain = await invoke<TaskPage>('tasks', {
      method: 'GET',
      path: '/tasks',
      claims: accessClaims(user),
    });
    const slash = await invoke<TaskPage>('tasks', {
      method: 'GET',
      path: '/tasks/',
      claims: accessClaims(user),
    });
    expect(slash.status).toBe(200);
    expect(plain.body.data.total).toBe(2); // the two tasks created above
    expect(slash.body.data).toEqual(plain.body.data);
  });

  it('never strips a stage-like prefix from the path', async () => {
    const devices = await invoke('tasks', {
      method: 'GET',
      path: '/devices',
      stage: 'dev',
      claims: accessClaims(user),
    });
    expect(devices.status).toBe(404);
    expect(devices.body.error?.message).toBe('No route for GET /devices');
    const tasks = await invoke<TaskPage>('tasks', {
      method: 'GET',
      path: '/tasks',
      stage: 'dev',
      claims: accessClaims(user),
    });
    expect(tasks.status).toBe(200);
  });

  it('answers 401 without claims or token, and trusts claims only inside Lambda', async () => {
    const none = await invoke('tasks', { method: 'GET', path: '/tasks' });
    expect(none.status).toBe(401);
    delete process.env.AWS_LAMBDA_FUNCTION_NAME;
    try {
      const outside = await invoke('tasks', {
        method: 'GET',
        path: '/tasks',
        claims: accessClaims(user),
      });
      expect(outside.status).toBe(401);
    } finally {
      process.env.AWS_LAMBDA_FUNCTION_NAME = 'personal-os-test';
    }
  });
});

describe('the auth handler', () => {
  it('signs up and in through Cognito and verifies the bearer token on /auth/me itself', async () => {
    const email = `lambda-${process.pid}-${Date.now().toString(36)}@example.com`;
    const password = 'Correct-horse-9';
    const signUp = await invoke<{ confirmed: boolean }>('auth', {
      method: 'POST',
      path: '/auth/signup',
      body: { email, password },
    });
    expect(signUp.status).toBe(201);
    if (!signUp.body.data.confirmed) {
      await invoke('auth', { method: 'POST', path: '/auth/confirm', body: { email, code: '1' } });
    }
    const login = await invoke<{ accessToken: string; user: { id: string } }>('auth', {
      method: 'POST',
      path: '/auth/login',
      body: { email, password },
    });
    expect(login.status).toBe(200);
    // /auth/* is public at the gateway, so no claims arrive: the app checks the token.
    const me = await invoke<{ id: string; email: string }>('auth', {
      method: 'GET',
      path: '/auth/me',
      headers: { authorization: `Bearer ${login.body.data.accessToken}` },
    });
    expect(me.status).toBe(200);
    expect(me.body.data).toMatchObject({ id: login.body.data.user.id, email });
    const forged = await invoke('auth', {
      method: 'GET',
      path: '/auth/me',
      headers: { authorization: `Bearer ${login.body.data.accessToken}x` },
    });
    expect(forged.status).toBe(401);
  });

  it('reports the store and sign-in it runs with on /health', async () => {
    const health = await invoke('auth', { method: 'GET', path: '/health' });
    expect(health.body.data).toMatchObject({
      status: 'ok',
      stage: 'dev',
      store: 'dynamodb',
      authMode: 'cognito',
    });
  });
});

describe('the auth and habits handlers', () => {
  it('share the user’s time zone: set through auth, it defines “today” for habits', async () => {
    // UTC+14 all year: from 10:00 UTC on, its date is already UTC's tomorrow (14 hours of 24).
    const claims = accessClaims(crypto.randomUUID());
    const timeZone = 'Pacific/Kiritimati';
    const set = await invoke('auth', {
      method: 'PUT',
      path: '/preferences/time-zone',
      body: { timeZone },
      claims,
    });
    expect(set.status).toBe(200);
    const habit = await invoke<{ id: string }>('habits', {
      method: 'POST',
      path: '/habits',
      body: { name: 'Stretch', area: 'Health', habitType: 'Build', frequency: 'Daily' },
      claims,
    });
    expect(habit.status).toBe(201);
    const today = await invoke<{ data: unknown[] }>('habits', {
      method: 'GET',
      path: '/habits/today',
      claims,
    });
    // `en-CA` formats a date as YYYY-MM-DD.
    const localToday = new Intl.DateTimeFormat('en-CA', { timeZone }).format(new Date());
    expect(today.body.data.data).toEqual([
      { habitId: habit.body.data.id, name: 'Stretch', completed: false, date: localToday },
    ]);
  });
});

describe('the knowledge handler', () => {
  it('signs an upload URL, accepts the PUT file and completes it into an inbox item', async () => {
    const claims = accessClaims(user);
    const signed = await invoke<{ uploadUrl: string; fileId: string; s3Key: string }>('knowledge', {
      method: 'POST',
      path: '/knowledge/inbox/upload-url',
      body: { filename: 'note.txt', mimeType: 'text/plain', fileSizeBytes: 5 },
      claims,
    });
    expect(signed.status).toBe(200);
    expect(signed.body.data.s3Key.startsWith(`users/${user}/inbox/`)).toBe(true);
    const put = await fetch(signed.body.data.uploadUrl, {
      method: 'PUT',
      headers: { 'content-type': 'text/plain' },
      body: 'hello',
    });
    expect(put.status).toBe(200);
    const done = await invoke<{ inboxItemId: string; fileId: string }>('knowledge', {
      method: 'POST',
      path: '/knowledge/inbox/upload-complete',
      body: { fileId: signed.body.data.fileId },
      claims,
    });
    expect(done.status).toBe(200);
    expect(done.body.data.fileId).toBe(signed.body.data.fileId);
  });
});

describe('the ai handler', () => {
  it('stores a feature’s provider and model per user', async () => {
    const set = await invoke('ai', {
      method: 'POST',
      path: '/preferences/feature-configs/parseTask',
      body: { provider: 'openai', model: 'gpt-4o-mini' },
      claims: accessClaims(user),
    });
    expect(set.status).toBe(200);
    const mine = await invoke<Record<string, unknown>>('ai', {
      method: 'GET',
      path: '/preferences/feature-configs',
      claims: accessClaims(user),
    });
    expect(mine.body.data.parseTask).toEqual({ provider: 'openai', model: 'gpt-4o-mini' });
    const theirs = await invoke<Record<string, unknown>>('ai', {
      method: 'GET',
      path: '/preferences/feature-configs',
      claims: accessClaims(other),
    });
    expect(theirs.body.data.parseTask).toEqual({
      provider: 'anthropic',
      model: 'claude-3-5-haiku-20241022',
    });
  });
});
