/**
 * Idempotency keys (issue 6 item 4): the first response to an authenticated POST that carries an
 * `Idempotency-Key` header is stored under `keys.idempotency(user, key)` for 24 hours; a repeat
 * with the same key and the same request gets that response back without the work being done
 * again. The design follows Stripe's (stripe.com/docs/api/idempotent_requests): every response is
 * stored, errors included — except a 400, whose request was malformed and did nothing, so its key
 * is released for the corrected request — and a key is bound to one request (method, path, body).
 *
 * Concurrency: the key is claimed with a conditional put *before* the work runs, so of two
 * concurrent requests with one key exactly one does the work; the other gets 409 `CONFLICT`
 * ("in progress"). A request that dies between claim and store (a crash, a Lambda timeout)
 * leaves its key "in progress" until it expires: the server cannot know whether the work
 * committed, so it never runs it a second time under that key — the client sends a new key.
 *
 * Expiry: records carry `ttl` (epoch seconds, now + 24 h) for DynamoDB's TTL, which deletes
 * lazily (and the emulator never does), so expired records are treated as absent here.
 */
import { createHash } from 'node:crypto';
import canonicalize from 'canonicalize';
import type { UserCtx } from '../api/deps.js';
import { ConflictError } from '../core/errors.js';
import { keys } from '../db/keys.js';
import { hasExpired } from '../db/models.js';
import { ConditionFailedError, ItemTooLargeError, cond } from '../db/table.js';
import { epochSeconds, nowInstant } from '../utils/dates.js';

/** How long a key is remembered, in seconds (24 h). */
export const IDEMPOTENCY_TTL_SECONDS = 24 * 60 * 60;

/** The outcome of {@link claimIdempotencyKey}. */
export type Claim =
  | { kind: 'claimed' }
  /** The stored first response: HTTP status and JSON body text. */
  | { kind: 'replay'; status: number; body: string };

/**
 * SHA-256 (hex) of a request: method, path with query, and the body — a JSON body in its RFC 8785
 * canonical form (`canonicalize`), so the same parameters in another key order or spacing are
 * the same request (Stripe's rule compares parameters, not bytes); any other body as its text.
 */
export function requestHash(method: string, path: string, body: string): string {
  let canonical = body;
  try {
    canonical = canonicalize(JSON.parse(body)) ?? body;
  } catch {
    // Not JSON: the text itself (the route's validation answers 400 anyway).
  }
  return createHash('sha256').update(`${method.toUpperCase()} ${path}\n${canonical}`).digest('hex');
}

/**
 * Claims `key` for the request whose hash is `hash`, or finds the response stored for it.
 *
 * @returns `claimed` (do the work, then {@link saveIdempotentResponse}) or `replay`.
 * @throws ConflictError (409) when the key belongs to a different request, or when the request
 *   that claimed it has not finished.
 */
export async function claimIdempotencyKey(ctx: UserCtx, key: string, hash: string): Promise<Claim> {
  const itemKey = keys.idempotency(ctx.userId, key);
  for (let attempt = 0; attempt < 3; attempt++) {
    const now = epochSeconds(ctx.clock);
    try {
      await ctx.db.put(
        {
          ...itemKey,
          entityType: 'IDEMPOTENCY',
          userId: ctx.userId,
          requestHash: hash,
          state: 'pending',
          createdAt: nowInstant(ctx.clock),
          ttl: now + IDEMPOTENCY_TTL_SECONDS,
        },
        // A record whose ttl has passed is expired, even while the store still holds it.
        cond.or(cond.notExists('pk'), cond.lte('ttl', now)),
      );
      return { kind: 'claimed' };
    } catch (err) {
      if (!(err instanceof ConditionFailedError)) throw err;
    }
    const existing = await ctx.db.get(itemKey);
    if (!existing || hasExpired(existing, epochSeconds(ctx.clock))) continue; // expired meanwhile
    if (existing.requestHash !== hash) {
      throw new ConflictError(
        'This Idempotency-Key was already used for a different request; send a new key',
        { idempotencyKey: key },
      );
    }
    if (existing.state !== 'done') {
      throw new ConflictError('A request with this Idempotency-Key is still in progress', {
        idempotencyKey: key,
      });
    }
    return {
      kind: 'replay',
      status: Number(existing.responseStatus),
      body: String(existing.responseBody),
    };
  }
  throw new ConflictError('This Idempotency-Key is being reused concurrently; try again');
}

/**
 * Stores the response of the request that claimed `key`. A body too large to store releases the
 * key instead (a repeat then runs again, as without a key).
 */
export async function saveIdempotentResponse(
  ctx: UserCtx,
  key: string,
  hash: string,
  response: { status: number; body: string },
): Promise<void> {
  const itemKey = keys.idempotency(ctx.userId, key);
  try {
    await ctx.db.update(itemKey, {
      set: {
        state: 'done',
        responseStatus: response.status,
        responseBody: response.body,
        updatedAt: nowInstant(ctx.clock),
      },
      condition: cond.and(cond.eq('requestHash', hash), cond.eq('state', 'pending')),
    });
  } catch (err) {
    if (err instanceof ItemTooLargeError) await releaseIdempotencyKey(ctx, key, hash);
    else if (!(err instanceof ConditionFailedError)) throw err;
  }
}

/** Forgets the claim on `key` (when the request failed before producing a response). */
export async function releaseIdempotencyKey(
  ctx: UserCtx,
  key: string,
  hash: string,
): Promise<void> {
  try {
    await ctx.db.delete(keys.idempotency(ctx.userId, key), cond.eq('requestHash', hash));
  } catch (err) {
    if (!(err instanceof ConditionFailedError)) throw err;
  }
}
