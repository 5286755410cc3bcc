/**
 * `createApp(routers, deps)`: the one app factory. The local server mounts every domain router;
 * each Lambda handler mounts only its own (`handlers/<domain>.ts`); tests build apps with it too.
 *
 * Cross-cutting behaviour lives here: request ids, CORS from settings, body-size limits (413),
 * the OpenAPI document (`/openapi.json`) and its viewer (`/docs`), 404 for unknown routes and 405
 * for known paths with another method, and the one error renderer (`onError`; a write the store
 * refuses as larger than one item holds is a 413 too).
 */
import { swaggerUI } from '@hono/swagger-ui';
import { OpenAPIHono } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { cors } from 'hono/cors';
import { HTTPException } from 'hono/http-exception';
import { requestId } from 'hono/request-id';
import pkg from '../package.json' with { type: 'json' };
import { AppError, errorBody, renderError, type ErrorCode } from './core/errors.js';
import { ItemTooLargeError, MAX_ITEM_BYTES } from './db/table.js';
import type { AppEnv, Deps } from './api/deps.js';
import { validationError, type Router } from './api/route.js';

/** Largest request body: 1 MiB (the import route allows {@link IMPORT_BODY_LIMIT}). */
export const BODY_LIMIT = 1024 * 1024;
/** Largest body of `POST /import/*`: a browser's whole localStorage dump (6 MiB, Lambda's payload cap). */
export const IMPORT_BODY_LIMIT = 6 * 1024 * 1024;

const fail = (c: Context<AppEnv>, code: ErrorCode, message: string, status: 404 | 405 | 413) =>
  c.json(errorBody(code, message), status);

/** Turns an OpenAPI path template (`/tasks/:id`) into a matcher of concrete paths. */
function pathMatcher(template: string): RegExp {
  const pattern = template
    .split('/')
    .map((part) => (part.startsWith(':') ? '[^/]+' : part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
    .join('/');
  return new RegExp(`^${pattern}/?$`);
}

/** Builds the app serving `routers` with `deps`. */
export function createApp(routers: Router[], deps: Deps): Router {
  const app = new OpenAPIHono<AppEnv>({
    strict: false,
    defaultHook: (result) => {
      if (!result.success) throw validationError(result.target, result.error);
    },
  });

  app.use('*', requestId());
  const origins = deps.settings.CORS_ORIGINS;
  app.use(
    '*',
    cors({
      origin: origins.includes('*') ? '*' : origins,
      allowHeaders: ['Authorization', 'Content-Type', 'Idempotency-Key'],
      allowMethods: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'],
      exposeHeaders: ['X-Request-Id'],
      maxAge: 600,
    }),
  );
  const tooLarge = (c: Context<AppEnv>) =>
    fail(c, 'PAYLOAD_TOO_LARGE', 'Request body is too large', 413);
  const defaultLimit = bodyLimit({ maxSize: BODY_LIMIT, onError: tooLarge });
  const importLimit = bodyLimit({ maxSize: IMPORT_BODY_LIMIT, onError: tooLarge });
  app.use('*', (c, next) =>
    c.req.path.startsWith('/import/') ? importLimit(c, next) : defaultLimit(c, next),
  );
  app.use('*', async (c, next) => {
    c.set('deps', deps);
    await next();
  });

  for (const router of routers) app.route('/', router);

  app.openAPIRegistry.registerComponent('securitySchemes', 'bearerAuth', {
    type: 'http',
    scheme: 'bearer',
    bearerFormat: 'JWT',
    description: 'A Cognito access token (or, in local mode, one issued by /auth/login).',
  });
  app.doc31('/openapi.json', {
    openapi: '3.1.0',
    info: {
      title: 'Personal OS API',
      version: pkg.version,
      description:
        'The backend of Personal OS. Every response is `{success, data, error}`; see API_CONTRACT.md for the wire rules.',
    },
  });
  app.get('/docs', swaggerUI({ url: '/openapi.json' }));

  const matchers = () =>
    app.routes
      .filter((r) => r.method !== 'ALL')
      .map((r) => ({ method: r.method, match: pathMatcher(r.path) }));
  let known: ReturnType<typeof matchers> | null = null;
  app.notFound((c) => {
    known ??= matchers();
    const allowed = [
      ...new Set(known.filter((r) => r.match.test(c.req.path)).map((r) => r.method)),
    ];
    if (allowed.length > 0) {
      c.header('Allow', allowed.join(', '));
      return fail(
        c,
        'METHOD_NOT_ALLOWED',
        `Method ${c.req.method} is not allowed on ${c.req.path}`,
        405,
      );
    }
    return fail(c, 'NOT_FOUND', `No route for ${c.req.method} ${c.req.path}`, 404);
  });

  app.onError((err, c) => {
    if (err instanceof HTTPException && err.status < 500) {
      // Raised by Hono itself, e.g. for a body that is not valid JSON.
      return c.json(errorBody('VALIDATION_ERROR', err.message || 'Invalid request'), 400);
    }
    const { status, body } = renderError(
      // A write the store refuses for its size is the request's doing, not a fault of ours.
      err instanceof ItemTooLargeError
        ? new AppError(
            'PAYLOAD_TOO_LARGE',
            `This would store more than ${MAX_ITEM_BYTES / 1024} KB in one item; send less text`,
          )
        : err,
    );
    if (status >= 500) {
      // A deliberate 5xx (e.g. STORAGE_NOT_CONFIGURED) is one line; an unexpected error keeps its stack.
      const known = err instanceof AppError;
      console.error(
        JSON.stringify({
          level: known ? 'warn' : 'error',
          requestId: c.var.requestId,
          method: c.req.method,
          path: c.req.path,
          error:
            err instanceof Error
              ? { name: err.name, message: err.message, ...(known ? {} : { stack: err.stack }) }
              : String(err),
        }),
      );
    }
    return c.json(body, status);
  });

  return app;
}
