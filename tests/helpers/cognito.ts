/**
 * A fresh Cognito user pool and app client in moto's cognito-idp (same emulator server as
 * DynamoDB), configured like `serverless.yml`'s: email as username, no client secret,
 * USER_PASSWORD_AUTH + REFRESH_TOKEN_AUTH.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import {
  CognitoIdentityProviderClient,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import type { JWK } from 'jose';
import { motoEndpoint } from './stores.js';

/** A pool in the emulator. */
export interface CognitoPool {
  userPoolId: string;
  clientId: string;
  jwksUrl: string;
  /** The issuer Cognito (and the emulator) put in tokens. */
  issuer: string;
}

let pools = 0;

/** Creates a pool and an app client. */
export async function createCognitoPool(): Promise<CognitoPool> {
  pools += 1;
  const client = new CognitoIdentityProviderClient({
    region: 'us-east-1',
    endpoint: motoEndpoint(),
  });
  const pool = await client.send(
    new CreateUserPoolCommand({
      PoolName: `test-pool-${process.pid}-${pools}`,
      UsernameAttributes: ['email'],
      AutoVerifiedAttributes: ['email'],
      Policies: {
        PasswordPolicy: {
          MinimumLength: 8,
          RequireLowercase: true,
          RequireUppercase: true,
          RequireNumbers: true,
        },
      },
    }),
  );
  const userPoolId = pool.UserPool?.Id as string;
  const app = await client.send(
    new CreateUserPoolClientCommand({
      UserPoolId: userPoolId,
      ClientName: 'spa',
      GenerateSecret: false,
      ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
    }),
  );
  client.destroy();
  return {
    userPoolId,
    clientId: app.UserPoolClient?.ClientId as string,
    jwksUrl: `${motoEndpoint()}/${userPoolId}/.well-known/jwks.json`,
    issuer: `https://cognito-idp.us-east-1.amazonaws.com/${userPoolId}`,
  };
}

/** The emulator's token-signing private key (shipped in moto's package), to forge test tokens. */
export function emulatorSigningKey(): JWK {
  const lib = '.tools/venv/lib';
  const file = readdirSync(lib)
    .map((python) =>
      join(lib, python, 'site-packages/moto/cognitoidp/resources/jwks-private.json.gz'),
    )
    .find((path) => existsSync(path));
  if (!file) throw new Error('moto is not installed in .tools/venv');
  const key = JSON.parse(gunzipSync(readFileSync(file)).toString('utf8')) as JWK;
  return withCrtParameters({ ...key, kid: 'dummy' }); // the kid the emulator puts in its tokens and JWKS
}

const toBig = (b64: string) => BigInt(`0x${Buffer.from(b64, 'base64url').toString('hex') || '0'}`);
const toB64 = (n: bigint) => {
  const hex = n.toString(16);
  return Buffer.from(hex.length % 2 ? `0${hex}` : hex, 'hex').toString('base64url');
};
const modPow = (base: bigint, exp: bigint, mod: bigint) => {
  let result = 1n;
  let b = base % mod;
  for (let e = exp; e > 0n; e >>= 1n) {
    if (e & 1n) result = (result * b) % mod;
    b = (b * b) % mod;
  }
  return result;
};
const gcd = (a: bigint, b: bigint): bigint => (b === 0n ? a : gcd(b, a % b));
const modInverse = (a: bigint, m: bigint) => {
  let [oldR, r, oldS, s] = [a % m, m, 1n, 0n];
  while (r !== 0n) {
    const q = oldR / r;
    [oldR, r] = [r, oldR - q * r];
    [oldS, s] = [s, oldS - q * s];
  }
  return ((oldS % m) + m) % m;
};

/**
 * Adds the CRT parameters (p, q, dp, dq, qi) that Node's JWK import needs to an RSA key given
 * only as (n, e, d), by the standard factoring of n from d (Boneh, "Twenty years of attacks on
 * the RSA cryptosystem", 1999, fact 1).
 */
function withCrtParameters(jwk: JWK): JWK {
  const [n, e, d] = [toBig(jwk.n as string), toBig(jwk.e as string), toBig(jwk.d as string)];
  const k = d * e - 1n;
  let t = k;
  while (t % 2n === 0n) t /= 2n;
  for (let g = 2n; g < 1000n; g++) {
    for (let s = t; s < k; s *= 2n) {
      const x = modPow(g, s, n);
      const p = gcd(x - 1n, n);
      if (x !== 1n && x !== n - 1n && p > 1n && p < n) {
        const q = n / p;
        return {
          ...jwk,
          p: toB64(p),
          q: toB64(q),
          dp: toB64(d % (p - 1n)),
          dq: toB64(d % (q - 1n)),
          qi: toB64(modInverse(q, p)),
        };
      }
    }
  }
  throw new Error('could not factor the emulator key');
}
