/**
 * The `AppError` family and the one table from error code to HTTP status.
 *
 * Everything below the routes throws an {@link AppError}; `createApp`'s `onError` renders it with
 * {@link renderError} into the contract's envelope (API_CONTRACT.md §a.2). The same
 * {@link ERROR_STATUS} table produces the documented error responses of every route
 * (`api/openapi.ts`), so the OpenAPI document cannot drift from what the server answers.
 */
import type { ContentfulStatusCode } from 'hono/utils/http-status';

/** Error code → HTTP status. The single source of truth for both the server and the docs. */
export const ERROR_STATUS = {
  VALIDATION_ERROR: 400,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  USER_NOT_CONFIRMED: 403,
  NOT_FOUND: 404,
  METHOD_NOT_ALLOWED: 405,
  CONFLICT: 409,
  INSUFFICIENT_POINTS: 409,
  PAYLOAD_TOO_LARGE: 413,
  RATE_LIMITED: 429,
  INTERNAL_ERROR: 500,
  LLM_ERROR: 502,
  LLM_NOT_CONFIGURED: 503,
  STORAGE_NOT_CONFIGURED: 503,
} as const satisfies Record<string, ContentfulStatusCode>;

/** One of the API's error codes (`error.code` in the envelope). */
export type ErrorCode = keyof typeof ERROR_STATUS;

/** One field problem in a `VALIDATION_ERROR`, Pydantic-style, as the client formats it (§a.2). */
export interface FieldIssue {
  /** Where the problem is: `["body", "title"]`, `["query", "pageSize"]`, `["path", "id"]`. */
  loc: (string | number)[];
  /** Human-readable message. */
  msg: string;
  /** Machine-readable kind, e.g. `invalid_type`, `too_big`, `invalid_value`. */
  type: string;
}

/** Base of every error the API renders on purpose. `status` comes from {@link ERROR_STATUS}. */
export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = new.target.name;
  }

  /** The HTTP status for this error's code. */
  get status(): ContentfulStatusCode {
    return ERROR_STATUS[this.code];
  }
}

/** 400: the request is malformed; `details` lists each field problem. */
export class ValidationError extends AppError {
  constructor(message: string, details: FieldIssue[] = []) {
    super('VALIDATION_ERROR', message, details);
  }
}

/** 401: missing, malformed, expired or untrusted credentials. Never 403: the client refreshes on 401. */
export class UnauthorizedError extends AppError {
  constructor(message = 'Authentication required') {
    super('UNAUTHORIZED', message);
  }
}

/** 404: the entity does not exist for this user (another user's entity is indistinguishable). */
export class NotFoundError extends AppError {
  constructor(entity: string, id?: string) {
    super('NOT_FOUND', id === undefined ? `${entity} not found` : `${entity} ${id} not found`);
  }
}

/** 409: the request conflicts with the current state (duplicate, cycle, concurrent change). */
export class ConflictError extends AppError {
  constructor(message: string, details?: unknown) {
    super('CONFLICT', message, details);
  }
}

/** The error envelope body of API_CONTRACT.md §a.2. */
export interface ErrorBody {
  success: false;
  data: null;
  error: { code: ErrorCode; message: string; details?: unknown };
}

/** Builds the error envelope for `code` with `message` (and `details` when given). */
export function errorBody(code: ErrorCode, message: string, details?: unknown): ErrorBody {
  return {
    success: false,
    data: null,
    error: details === undefined ? { code, message } : { code, message, details },
  };
}

/**
 * Turns anything thrown while serving a request into `{status, body}`.
 * Unknown errors become 500 `INTERNAL_ERROR` with a generic message: no stack trace leaks.
 */
export function renderError(err: unknown): { status: ContentfulStatusCode; body: ErrorBody } {
  if (err instanceof AppError) {
    return { status: err.status, body: errorBody(err.code, err.message, err.details) };
  }
  return {
    status: 500,
    body: errorBody('INTERNAL_ERROR', 'Something went wrong on our side; please try again.'),
  };
}
