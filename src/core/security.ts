/**
 * Access-token verification (DESIGN.md §5): the API accepts exactly what the shipped front end
 * sends — a Cognito **access** token (`token_use = "access"`, `client_id`, no `aud`) — and, in
 * local mode, tokens of the same shape signed by the local key.
 *
 * Rules in both modes: RS256 only; exact `iss`; `token_use === "access"`; `client_id` matches;
 * `exp`, `iat` and `sub` present; the signing key is found by `kid` in a cached JWKS. Any
 * failure is a 401 {@link UnauthorizedError} (never 403: the client refreshes only on 401).
 */
import { CognitoJwtVerifier } from 'aws-jwt-verify';
import { SimpleJwksCache } from 'aws-jwt-verify/jwk';
import { createLocalJWKSet, jwtVerify, type JSONWebKeySet } from 'jose';
import { UnauthorizedError } from './errors.js';
import type { Clock } from '../utils/dates.js';

/** Claims of a verified access token that the API uses. */
export interface AccessClaims {
  /** The user id: every key of the user's data is built from it. */
  sub: string;
  /** Space-separated OAuth scopes. */
  scope?: string;
  /** The app client the token was issued to. */
  client_id?: string;
  /** When the token was issued, epoch seconds (`iat`). */
  iat: number;
}

/** Verifies a bearer access token. */
export interface TokenVerifier {
  /** @throws UnauthorizedError when the token is not a valid access token of this API. */
  verify(token: string): Promise<AccessClaims>;
}

/** Issuer of local-mode tokens. */
export const LOCAL_ISSUER = 'urn:personal-os:local';
/** `client_id` claim of local-mode tokens. */
export const LOCAL_CLIENT_ID = 'personal-os-local';
/** Scope Cognito puts in access tokens; the HTTP API authorizer requires it. */
export const COGNITO_ADMIN_SCOPE = 'aws.cognito.signin.user.admin';

const INVALID = 'Invalid or expired access token';

/** The token of an `Authorization: Bearer <token>` header, or null. */
export function bearerToken(header: string | undefined): string | null {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
  return match?.[1] ?? null;
}

/** Verifies local-mode tokens against the local public key set. */
export class LocalTokenVerifier implements TokenVerifier {
  private readonly keySet: ReturnType<typeof createLocalJWKSet>;

  constructor(
    publicJwks: JSONWebKeySet,
    private readonly clock: Clock,
  ) {
    this.keySet = createLocalJWKSet(publicJwks);
  }

  async verify(token: string): Promise<AccessClaims> {
    try {
      const { payload } = await jwtVerify(token, this.keySet, {
        algorithms: ['RS256'],
        issuer: LOCAL_ISSUER,
        requiredClaims: ['exp', 'iat', 'sub', 'token_use', 'client_id'],
        currentDate: this.clock.now(),
      });
      if (payload.token_use !== 'access' || payload.client_id !== LOCAL_CLIENT_ID || !payload.sub) {
        throw new Error('not an access token of this client');
      }
      return {
        sub: payload.sub,
        scope: String(payload.scope ?? ''),
        client_id: LOCAL_CLIENT_ID,
        iat: Number(payload.iat),
      };
    } catch {
      throw new UnauthorizedError(INVALID);
    }
  }
}

/** Settings of {@link CognitoTokenVerifier}. */
export interface CognitoVerifierOptions {
  userPoolId: string;
  clientId: string;
  /** Fetch the JWKS from here instead of the pool's https URL (an emulator serves it over http). */
  jwksUrl?: string;
}

/**
 * Verifies Cognito access tokens with aws-jwt-verify. Create it once per process (outside
 * handlers): the JWKS is fetched on first use and cached.
 */
export class CognitoTokenVerifier implements TokenVerifier {
  private readonly verifier;

  constructor(options: CognitoVerifierOptions) {
    const override = options.jwksUrl;
    const jwksCache = new SimpleJwksCache({
      fetcher: {
        fetch: async (uri: string) => {
          const res = await fetch(override ?? uri);
          if (!res.ok) throw new Error(`JWKS fetch failed: HTTP ${res.status}`);
          return res.arrayBuffer();
        },
      },
    });
    this.verifier = CognitoJwtVerifier.create(
      { userPoolId: options.userPoolId, tokenUse: 'access', clientId: options.clientId },
      { jwksCache },
    );
  }

  async verify(token: string): Promise<AccessClaims> {
    try {
      const payload = await this.verifier.verify(token);
      if (typeof payload.sub !== 'string' || typeof payload.iat !== 'number')
        throw new Error('claims missing');
      return {
        sub: payload.sub,
        scope: String(payload.scope ?? ''),
        client_id: String(payload.client_id),
        iat: payload.iat,
      };
    } catch {
      throw new UnauthorizedError(INVALID);
    }
  }
}
