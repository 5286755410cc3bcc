/**
 * Forged and broken access tokens for the 401 cases of DESIGN.md §5: expired, wrong issuer,
 * wrong client, ID token, `alg: none`, HS256 keyed with the public key, unknown `kid`, tampered.
 */
import { SignJWT, exportJWK, generateKeyPair, importJWK, type JWK, type JWTPayload } from 'jose';

/** What a valid token of the API under test looks like. */
export interface TokenShape {
  /** Private signing key (with `kid`) the API trusts. */
  key: JWK;
  issuer: string;
  clientId: string;
  sub: string;
}

const b64 = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');

/** Signs `claims` (over valid defaults) with `key`, RS256 unless told otherwise. */
export async function sign(
  shape: TokenShape,
  claims: JWTPayload = {},
  key: JWK = shape.key,
): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  const payload: JWTPayload = {
    sub: shape.sub,
    iss: shape.issuer,
    token_use: 'access',
    client_id: shape.clientId,
    scope: 'aws.cognito.signin.user.admin',
    iat: now,
    exp: now + 600,
    jti: crypto.randomUUID(),
    ...claims,
  };
  return new SignJWT(payload)
    .setProtectedHeader({ alg: 'RS256', kid: key.kid as string, typ: 'JWT' })
    .sign(await importJWK(key, 'RS256'));
}

/** Every kind of bad token, by name; each must get 401 on an authenticated route. */
export async function badTokens(shape: TokenShape): Promise<Record<string, string>> {
  const now = Math.floor(Date.now() / 1000);
  const valid = await sign(shape);
  const [header, payload, signature] = valid.split('.') as [string, string, string];
  const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as JWTPayload;
  const { privateKey: otherKey } = await generateKeyPair('RS256', { extractable: true });
  const unknownKid = { ...(await exportJWK(otherKey)), kid: 'unknown-kid', alg: 'RS256' };
  const { d: _d, p: _p, q: _q, dp: _dp, dq: _dq, qi: _qi, ...publicJwk } = shape.key;
  return {
    expired: await sign(shape, { iat: now - 7200, exp: now - 3600 }),
    wrongIssuer: await sign(shape, {
      iss: 'https://cognito-idp.us-east-1.amazonaws.com/us-east-1_Other',
    }),
    wrongClientId: await sign(shape, { client_id: 'some-other-client' }),
    idToken: await sign(shape, { token_use: 'id', aud: shape.clientId, client_id: undefined }),
    algNone: `${b64({ alg: 'none', typ: 'JWT' })}.${payload}.`,
    hs256WithPublicKey: await new SignJWT(claims)
      .setProtectedHeader({ alg: 'HS256', kid: shape.key.kid as string })
      .sign(new TextEncoder().encode(JSON.stringify(publicJwk))),
    unknownKid: await sign(shape, {}, unknownKid),
    tamperedPayload: `${header}.${b64({ ...claims, sub: 'someone-else' })}.${signature}`,
    garbage: 'not-a-jwt',
  };
}
