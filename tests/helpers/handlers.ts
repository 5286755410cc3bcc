/**
 * The Lambda handlers under test and HTTP API (payload v2) events to invoke them with, shaped like
 * the public samples of API Gateway's Lambda proxy events (aws-powertools' test events): claims of
 * the JWT authorizer arrive as strings under `requestContext.authorizer.jwt.claims`.
 */

import type { APIGatewayProxyResult, LambdaEvent } from 'hono/aws-lambda';

/** A handler's answer (HTTP API v2 proxy result). */
export type LambdaResult = APIGatewayProxyResult;

/** A Lambda handler module. */
export interface HandlerModule {
  handler: (event: LambdaEvent) => Promise<LambdaResult>;
}

/** One request a handler must answer. */
export interface SampleRequest {
  method: string;
  path: string;
  body?: unknown;
}

/**
 * One function: its handler module, a route of each path prefix it serves (each answered 2xx) and
 * another function's route — a near miss where there is one — that it must answer 404.
 */
export interface HandlerCase {
  name: string;
  load: () => Promise<HandlerModule>;
  own: SampleRequest[];
  /** A route of another function's domain: this handler must answer it 404. */
  foreign: SampleRequest;
}

const upload = { filename: 'a.txt', mimeType: 'text/plain', fileSizeBytes: 3 };
const get = (path: string): SampleRequest => ({ method: 'GET', path });

/** Every handler file, one line each (a test checks the list against `handlers/`). */
// prettier-ignore
export const HANDLERS: HandlerCase[] = [
  { name: 'ai', load: () => import('../../handlers/ai.js'), own: [get('/preferences/feature-configs')], foreign: get('/preferences/time-zone') },
  { name: 'auth', load: () => import('../../handlers/auth.js'), own: [get('/health'), get('/preferences/time-zone'), get('/preferences/mode'), get('/export')], foreign: get('/preferences/feature-configs') },
  { name: 'goals', load: () => import('../../handlers/goals.js'), own: [get('/goals')], foreign: get('/projects') },
  { name: 'habits', load: () => import('../../handlers/habits.js'), own: [get('/habits'), get('/habits/today')], foreign: get('/metrics') },
  { name: 'knowledge', load: () => import('../../handlers/knowledge.js'), own: [{ method: 'POST', path: '/knowledge/inbox/upload-url', body: upload }], foreign: get('/health') },
  { name: 'logbook', load: () => import('../../handlers/logbook.js'), own: [get('/logbook'), get('/growth-system/dashboard'), get('/dashboard/summary')], foreign: get('/tasks') },
  { name: 'metrics', load: () => import('../../handlers/metrics.js'), own: [get('/metrics'), get('/metrics/correlations'), get('/metricLogs'), get('/metricMilestones'), get('/metricInsights')], foreign: get('/habits') },
  { name: 'projects', load: () => import('../../handlers/projects.js'), own: [get('/projects')], foreign: get('/goals') },
  { name: 'rewards', load: () => import('../../handlers/rewards.js'), own: [get('/rewards'), get('/wallet'), get('/wallet/transactions')], foreign: get('/logbook') },
  { name: 'tasks', load: () => import('../../handlers/tasks.js'), own: [get('/tasks')], foreign: { method: 'POST', path: '/knowledge/inbox/upload-url', body: upload } },
];

/** Options of {@link httpApiEvent}. */
export interface EventOptions {
  method: string;
  /** `rawPath`, e.g. `/tasks/01J…`. */
  path: string;
  /** `rawQueryString`, without `?`. */
  query?: string;
  headers?: Record<string, string>;
  /** A JSON body (serialised), or a string sent as it is. */
  body?: unknown;
  /** Send the body base64-encoded with `isBase64Encoded: true`, as API Gateway does for binary media. */
  base64?: boolean;
  /** The authorizer's verified claims (strings); none on public routes. */
  claims?: Record<string, string>;
  /** `requestContext.stage` (default `$default`). */
  stage?: string;
}

/** Claims the HTTP API JWT authorizer passes for a Cognito access token of `sub`: all strings. */
export function accessClaims(sub: string, clientId = 'test-client'): Record<string, string> {
  const now = Math.floor(Date.now() / 1000);
  return {
    sub,
    iss: 'https://cognito-idp.us-east-1.amazonaws.com/us-east-1_example',
    client_id: clientId,
    origin_jti: crypto.randomUUID(),
    event_id: crypto.randomUUID(),
    token_use: 'access',
    scope: 'aws.cognito.signin.user.admin',
    auth_time: String(now),
    exp: String(now + 900),
    iat: String(now),
    jti: crypto.randomUUID(),
    username: sub,
  };
}

/** An HTTP API payload-v2 event for `options`. */
export function httpApiEvent(options: EventOptions): LambdaEvent {
  const text =
    options.body === undefined
      ? undefined
      : typeof options.body === 'string'
        ? options.body
        : JSON.stringify(options.body);
  const query = options.query ?? '';
  const queryStringParameters: Record<string, string> = {};
  for (const [key, value] of new URLSearchParams(query)) {
    queryStringParameters[key] =
      key in queryStringParameters ? `${queryStringParameters[key]},${value}` : value;
  }
  const now = Date.now();
  const event = {
    version: '2.0',
    routeKey: `${options.method} ${options.path}`,
    rawPath: options.path,
    rawQueryString: query,
    cookies: ['cookie1=value1'],
    headers: {
      accept: 'application/json',
      'content-length': String(text === undefined ? 0 : Buffer.byteLength(text)),
      host: 'abcdef1234.execute-api.us-east-1.amazonaws.com',
      'user-agent': 'vitest',
      'x-amzn-trace-id': 'Root=1-5e6722a7-cc56xmpl46db7ae02d4da47e',
      'x-forwarded-for': '192.0.2.1',
      'x-forwarded-port': '443',
      'x-forwarded-proto': 'https',
      ...(text === undefined ? {} : { 'content-type': 'application/json' }),
      ...options.headers,
    },
    ...(query ? { queryStringParameters } : {}),
    requestContext: {
      accountId: '123456789012',
      apiId: 'abcdef1234',
      authentication: null,
      ...(options.claims
        ? {
            authorizer: {
              jwt: { claims: options.claims, scopes: ['aws.cognito.signin.user.admin'] },
            },
          }
        : {}),
      domainName: 'abcdef1234.execute-api.us-east-1.amazonaws.com',
      domainPrefix: 'abcdef1234',
      http: {
        method: options.method,
        path: options.path,
        protocol: 'HTTP/1.1',
        sourceIp: '192.0.2.1',
        userAgent: 'vitest',
      },
      requestId: `req-${now}`,
      routeKey: `${options.method} ${options.path}`,
      stage: options.stage ?? '$default',
      time: new Date(now).toUTCString(),
      timeEpoch: now,
    },
    ...(text === undefined
      ? {}
      : {
          body: options.base64 ? Buffer.from(text).toString('base64') : text,
          isBase64Encoded: Boolean(options.base64),
        }),
    ...(text === undefined ? { isBase64Encoded: false } : {}),
  };
  return event as LambdaEvent;
}

/** The parsed envelope of a handler's answer. */
export function envelopeOf<T = unknown>(
  result: LambdaResult,
): { success: boolean; data: T; error: { code: string; message: string } | null } {
  const text = result.isBase64Encoded
    ? Buffer.from(result.body, 'base64').toString('utf8')
    : result.body;
  return JSON.parse(text);
}
