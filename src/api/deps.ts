/**
 * The typed Hono environment shared by every router (`AppEnv`), the dependencies a request can
 * use (`Deps`), the per-user service context (`UserCtx`), and the authentication middleware.
 */
import type { MiddlewareHandler } from 'hono';
import type { Settings } from '../core/config.js';
import { UnauthorizedError } from '../core/errors.js';
import { bearerToken } from '../core/security.js';
import type { Table } from '../db/table.js';
import { isAccountDeleted } from '../services/auth/deleted-mark.js';
import type { IdentityProvider } from '../services/auth/provider.js';
import type { Clock } from '../utils/dates.js';

/** Everything the services need, built once per process (see `src/runtime.ts`). */
export interface Deps {
  settings: Settings;
  /** The store (SQLite locally, DynamoDB on AWS). */
  db: Table;
  clock: Clock;
  /** Sign-up, sign-in, token verification. */
  identity: IdentityProvider;
}

/**
 * What a service receives first: the dependencies plus the **verified** user id. The id comes
 * only from the access token (or the API Gateway authorizer's verified claims), never from a
 * path or body, and every key a service builds starts from it.
 */
export interface UserCtx extends Deps {
  userId: string;
}

/** Claims the HTTP API JWT authorizer passes to Lambda (all values are strings). */
export interface GatewayJwtClaims {
  sub?: string;
  [claim: string]: string | undefined;
}

/** The Lambda event fields the app reads (HTTP API payload v2). */
export interface LambdaEventLike {
  requestContext?: { authorizer?: { jwt?: { claims?: GatewayJwtClaims } } };
}

/** The one Hono environment type of the app. */
export interface AppEnv {
  Bindings: { event?: LambdaEventLike };
  Variables: {
    deps: Deps;
    requestId: string;
    /** Set by {@link requireAuth} on authenticated routes. */
    userId: string;
    /** The raw bearer token of the request (for sign-out and account deletion). */
    accessToken: string;
    /** When the request's access token was issued, epoch seconds (0 when unknown). */
    tokenIssuedAt: number;
  };
}

/** Whether this process runs inside AWS Lambda (where API Gateway has verified the token). */
export const runningInLambda = (): boolean => Boolean(process.env.AWS_LAMBDA_FUNCTION_NAME);

/**
 * Authenticates the request: inside Lambda, trusts the HTTP API authorizer's verified claims
 * (`requestContext.authorizer.jwt.claims.sub`); elsewhere verifies the bearer token. Sets
 * `userId` and `tokenIssuedAt` (the `iat` claim). Answers 401 `UNAUTHORIZED` (never 403) for a missing or bad token.
 */
export const requireAuth: MiddlewareHandler<AppEnv> = async (c, next) => {
  const token = bearerToken(c.req.header('authorization'));
  const claims = runningInLambda()
    ? c.env?.event?.requestContext?.authorizer?.jwt?.claims
    : undefined;
  if (claims?.sub) {
    c.set('userId', claims.sub);
    c.set('tokenIssuedAt', Number(claims.iat) || 0);
  } else {
    if (!token) throw new UnauthorizedError('Missing bearer token');
    const verified = await c.var.deps.identity.verifier.verify(token);
    c.set('userId', verified.sub);
    c.set('tokenIssuedAt', verified.iat);
  }
  c.set('accessToken', token ?? '');
  await next();
};

const READS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * After {@link requireAuth}, on every authenticated route but `DELETE /auth/me`: a request that
 * can write (any method but GET, HEAD, OPTIONS) with the token of an account deleted since the
 * token was issued answers 401 `UNAUTHORIZED` (one read; see `services/auth/deleted-mark.ts`).
 */
export const refuseDeletedAccount: MiddlewareHandler<AppEnv> = async (c, next) => {
  const { db, clock } = c.var.deps;
  if (!READS.has(c.req.method) && (await isAccountDeleted(db, c.var.userId, clock))) {
    throw new UnauthorizedError('This account no longer exists');
  }
  await next();
};

/** The service context of an authenticated request. */
export function userCtx(deps: Deps, userId: string): UserCtx {
  return { ...deps, userId };
}
