/**
 * How a route is declared: {@link defineRoute} takes the method, path, Zod schemas for the
 * input and the response `data`, the error codes it can answer, and a handler that makes one
 * service call. {@link createRouter} registers routes on an `OpenAPIHono` router, so the same
 * schemas validate requests, shape responses and generate `/openapi.json`.
 *
 * Every success body is `{success: true, data, error: null}` with `data` parsed through its
 * declared schema before it is sent (storage attributes such as `pk` or `version` are stripped
 * by it). Every documented error response comes from the code → status table in
 * `core/errors.ts`, so the spec cannot drift from the server.
 *
 * Every authenticated POST route honours an `Idempotency-Key` header ({@link idempotency}).
 */
import { OpenAPIHono, createRoute, z, type RouteConfig } from '@hono/zod-openapi';
import type { Context, MiddlewareHandler } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { ZodError } from 'zod';
import { ERROR_STATUS, ValidationError, type ErrorCode, type FieldIssue } from '../core/errors.js';
import {
  claimIdempotencyKey,
  releaseIdempotencyKey,
  requestHash,
  saveIdempotentResponse,
} from '../services/idempotency.js';
import {
  refuseDeletedAccount,
  requireAuth,
  userCtx,
  type AppEnv,
  type Deps,
  type UserCtx,
} from './deps.js';

/** HTTP methods routes use. */
export type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';

type Schema = z.ZodType;
type Out<S> = S extends z.ZodType ? z.output<S> : undefined;

/** What a handler receives: validated input and the service context. */
export interface HandlerInput<P, Q, B, H, Authed extends boolean> {
  c: Context<AppEnv>;
  deps: Deps;
  /** The verified user's service context (authenticated routes only). */
  ctx: Authed extends true ? UserCtx : undefined;
  params: Out<P>;
  query: Out<Q>;
  body: Out<B>;
  headers: Out<H>;
}

/** What a handler returns: the response's `data` (anything for routes whose `data` is null). */
export type HandlerResult<R> = R extends Schema ? z.input<R> : unknown;

/** A route declaration. */
export interface RouteDef<P, Q, B, H, R extends Schema | null, Authed extends boolean> {
  method: Method;
  /** OpenAPI-style path, e.g. `/tasks/{id}`. */
  path: string;
  tags: string[];
  summary: string;
  description?: string;
  /** Requires a bearer access token (default true). */
  auth?: Authed;
  params?: P;
  query?: Q;
  body?: B;
  /** A body may be omitted entirely (e.g. `POST /tasks/{id}/complete` with no body). */
  bodyOptional?: boolean;
  /** Only `DELETE /auth/me`: also runs for an account already deleted, so a deletion cut short can be repeated. */
  deletingAccount?: boolean;
  headers?: H;
  /** Schema of the response's `data`; null for routes whose `data` is null. */
  response: R;
  /** Success status (default 200). */
  status?: 200 | 201;
  /** Error codes the route answers besides the defaults (400 with input, 401 when authenticated, 500). */
  errors?: ErrorCode[];
  /** Route-specific middleware, run after authentication and before validation. */
  middleware?: MiddlewareHandler<AppEnv>[];
  handler: (
    input: HandlerInput<P, Q, B, H, Authed>,
  ) => Promise<HandlerResult<R>> | HandlerResult<R>;
}

/** A declared route, ready for {@link createRouter}. */
export interface AppRoute {
  config: RouteConfig;
  dataSchema: Schema;
  status: 200 | 201;
  run: (c: Context<AppEnv>) => Promise<unknown>;
}

/** The success envelope schema around `data`. */
export function envelope<T extends Schema>(data: T) {
  return z.object({ success: z.literal(true), data, error: z.null() });
}

const ErrorEnvelope = z
  .object({
    success: z.literal(false),
    data: z.null(),
    error: z.object({
      code: z.enum(Object.keys(ERROR_STATUS) as [ErrorCode, ...ErrorCode[]]),
      message: z.string(),
      details: z
        .union([
          z.array(
            z.object({
              loc: z.array(z.union([z.string(), z.number()])),
              msg: z.string(),
              type: z.string(),
            }),
          ),
          z.record(z.string(), z.unknown()),
        ])
        .optional()
        .openapi({
          description:
            'For VALIDATION_ERROR: one item per field problem; for other codes an object, e.g. `{pointCost, balance}` of INSUFFICIENT_POINTS or `{reason}` of a refused redemption',
        }),
    }),
  })
  .openapi('ErrorEnvelope');

/** Documented error responses for `codes`, grouped by status from the error table. */
function errorResponses(codes: ErrorCode[]): RouteConfig['responses'] {
  const byStatus = new Map<number, ErrorCode[]>();
  for (const code of new Set(codes)) {
    const status = ERROR_STATUS[code];
    byStatus.set(status, [...(byStatus.get(status) ?? []), code]);
  }
  return Object.fromEntries(
    [...byStatus].map(([status, list]) => [
      status,
      {
        description: list.join(' or '),
        content: { 'application/json': { schema: ErrorEnvelope } },
      },
    ]),
  );
}

/** The optional `Idempotency-Key` request header of authenticated POST routes. */
const IdempotencyHeaders = z.object({
  'idempotency-key': z
    .string()
    .regex(/^[\x21-\x7e]{1,255}$/, 'must be 1–255 visible ASCII characters')
    .optional()
    .openapi({
      description:
        'Makes the request safe to repeat for 24 h: a repeat with the same key and body returns the first response without doing the work again; the same key with another body → 409',
      example: '5f1c2b9e-3d4a-4e8b-9c1f-2a7d6e0b4c3a',
    }),
});

/**
 * Middleware of authenticated POST routes: with an `Idempotency-Key` header, claims the key for
 * this request (method, path, body) before the work, and stores the response after it; a repeat
 * gets the stored response back, marked `Idempotent-Replayed: true`. A 400 is not stored (the
 * request was malformed and nothing was done): the key is released for the corrected request.
 * See `services/idempotency.ts` for the rules. Throws 400 for a malformed key and 409
 * `CONFLICT` for a key of another request or one still in progress.
 */
export const idempotency: MiddlewareHandler<AppEnv> = async (c, next) => {
  const key = c.req.header('idempotency-key');
  if (key === undefined) return next();
  const parsed = IdempotencyHeaders.safeParse({ 'idempotency-key': key });
  if (!parsed.success) throw validationError('header', parsed.error);
  const ctx = userCtx(c.var.deps, c.var.userId);
  const url = new URL(c.req.url);
  const hash = requestHash(c.req.method, url.pathname + url.search, await c.req.text());
  const claim = await claimIdempotencyKey(ctx, key, hash);
  if (claim.kind === 'replay') {
    return c.body(claim.body, claim.status as ContentfulStatusCode, {
      'content-type': 'application/json',
      'idempotent-replayed': 'true',
    });
  }
  try {
    await next();
  } catch (err) {
    await releaseIdempotencyKey(ctx, key, hash);
    throw err;
  }
  if (c.res.status === 400) await releaseIdempotencyKey(ctx, key, hash);
  else {
    await saveIdempotentResponse(ctx, key, hash, {
      status: c.res.status,
      body: await c.res.clone().text(),
    });
  }
};

/** Declares a route; see {@link RouteDef}. */
export function defineRoute<
  P extends Schema | undefined = undefined,
  Q extends Schema | undefined = undefined,
  B extends Schema | undefined = undefined,
  H extends Schema | undefined = undefined,
  R extends Schema | null = null,
  Authed extends boolean = true,
>(def: RouteDef<P, Q, B, H, R, Authed>): AppRoute {
  const authed = def.auth ?? true;
  const status = def.status ?? 200;
  const dataSchema: Schema = def.response ?? z.null();
  const idempotent = authed && def.method === 'post';
  const hasInput = Boolean(def.params || def.query || def.body || def.headers || idempotent);
  const codes: ErrorCode[] = [
    ...(hasInput ? (['VALIDATION_ERROR'] as const) : []),
    ...(authed ? (['UNAUTHORIZED'] as const) : []),
    ...(idempotent ? (['CONFLICT'] as const) : []),
    ...(def.errors ?? []),
    'INTERNAL_ERROR',
  ];
  const request: NonNullable<RouteConfig['request']> = {};
  if (def.params) request.params = def.params as z.ZodObject;
  if (def.query) request.query = def.query as z.ZodObject;
  const headers = def.headers as z.ZodObject | undefined;
  if (headers || idempotent) {
    request.headers = idempotent
      ? IdempotencyHeaders.extend(headers?.shape ?? {})
      : (headers as z.ZodObject);
  }
  if (def.body) {
    request.body = {
      required: !def.bodyOptional,
      content: { 'application/json': { schema: def.body } },
    };
  }
  const config = createRoute({
    method: def.method,
    path: def.path,
    tags: def.tags,
    summary: def.summary,
    ...(def.description ? { description: def.description } : {}),
    ...(authed ? { security: [{ bearerAuth: [] }] } : {}),
    middleware: [
      ...(authed ? [requireAuth] : []),
      ...(authed && !def.deletingAccount ? [refuseDeletedAccount] : []),
      ...(idempotent ? [idempotency] : []),
      ...(def.middleware ?? []),
    ],
    request,
    responses: {
      [status]: {
        description: 'Success',
        content: { 'application/json': { schema: envelope(dataSchema) } },
      },
      ...errorResponses(codes),
    },
  });
  const run = async (c: Context<AppEnv>) => {
    // The validators registered by `openapi()` ran before this; `valid()` returns their output.
    const valid = (target: 'param' | 'query' | 'json' | 'header') =>
      c.req.valid(target as never) as never;
    const deps = c.var.deps;
    return def.handler({
      c,
      deps,
      ctx: (authed ? userCtx(deps, c.var.userId) : undefined) as HandlerInput<
        P,
        Q,
        B,
        H,
        Authed
      >['ctx'],
      params: (def.params ? valid('param') : undefined) as Out<P>,
      query: (def.query ? valid('query') : undefined) as Out<Q>,
      body: (def.body ? (valid('json') ?? {}) : undefined) as Out<B>,
      headers: (def.headers ? valid('header') : undefined) as Out<H>,
    });
  };
  return { config, dataSchema, status, run };
}

/** Turns a failed Zod validation of request part `target` into a 400 with field details. */
export function validationError(target: string, error: ZodError): ValidationError {
  const where: Record<string, string> = {
    json: 'body',
    query: 'query',
    param: 'path',
    header: 'header',
  };
  const details: FieldIssue[] = error.issues.map((issue) => ({
    loc: [
      where[target] ?? target,
      ...issue.path.map((p) => (typeof p === 'symbol' ? String(p) : p)),
    ],
    msg: issue.message,
    type: issue.code,
  }));
  const first = details[0];
  const message = first
    ? `Invalid request: ${first.loc.join('.')}: ${first.msg}`
    : 'Invalid request';
  return new ValidationError(message, details);
}

/** The router type of every domain. */
export type Router = OpenAPIHono<AppEnv>;

/** A new router whose validation failures become 400 `VALIDATION_ERROR` envelopes. */
export function newRouter(): Router {
  return new OpenAPIHono<AppEnv>({
    defaultHook: (result) => {
      if (!result.success) throw validationError(result.target, result.error);
    },
  });
}

/** A router serving `routes`. Each response's `data` is parsed through its schema before sending. */
export function createRouter(routes: AppRoute[]): Router {
  const router = newRouter();
  for (const route of routes) {
    const wrapper = async (c: Context<AppEnv>) => {
      const result = await route.run(c);
      const data = route.dataSchema instanceof z.ZodNull ? null : result;
      const body = envelope(route.dataSchema).parse({ success: true, data, error: null });
      return c.json(body, route.status);
    };
    // `openapi()` types handlers against each route's literal config; ours are generic by design.
    router.openapi(route.config, wrapper as never);
  }
  return router;
}
