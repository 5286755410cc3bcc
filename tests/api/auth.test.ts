/**
 * Sign-in end to end over HTTP: local mode (argon2id + RS256 tokens in the SQLite store) and
 * Cognito mode (moto's cognito-idp + DynamoDB), and the 401 cases of every bad token.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  CognitoIdentityProviderClient,
  InitiateAuthCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import type { JWK } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allRouters } from '../../src/api/routes/index.js';
import { loadSettings } from '../../src/core/config.js';
import { LOCAL_CLIENT_ID, LOCAL_ISSUER } from '../../src/core/security.js';
import { createApp } from '../../src/main.js';
import { buildDeps } from '../../src/runtime.js';
import { startApi, type TestApi } from '../helpers/api.js';
import { emulatorSigningKey } from '../helpers/cognito.js';
import { motoEndpoint, tempDir } from '../helpers/stores.js';
import { badTokens, sign } from '../helpers/tokens.js';

const password = 'Correct-horse-9';

describe('local sign-in', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startApi({ store: 'sqlite', auth: 'local' });
  });
  afterAll(() => api.close());

  it('signs up, refuses a duplicate email (any case) and a weak password', async () => {
    const ok = await api.call('POST', '/auth/signup', {
      body: { email: 'Grace@Example.com', password, displayName: 'Grace' },
    });
    expect(ok.status).toBe(201);
    expect(ok.body.data).toMatchObject({ email: 'grace@example.com', confirmed: true });
    const dup = await api.call('POST', '/auth/signup', {
      body: { email: 'grace@example.COM', password },
    });
    expect(dup.status).toBe(409);
    expect(dup.body.error?.code).toBe('CONFLICT');
    const weak = await api.call('POST', '/auth/signup', {
      body: { email: 'weak@example.com', password: 'short' },
    });
    expect(weak.status).toBe(400);
    expect(weak.body.error?.details).toEqual([
      expect.objectContaining({ loc: ['body', 'password'] }),
    ]);
    const badEmail = await api.call('POST', '/auth/signup', {
      body: { email: 'not-an-email', password },
    });
    expect(badEmail.status).toBe(400);
    expect(badEmail.body.error?.details).toEqual([
      expect.objectContaining({ loc: ['body', 'email'] }),
    ]);
  });

  it('logs in, reads and updates the profile, and refuses a wrong password', async () => {
    const wrong = await api.call('POST', '/auth/login', {
      body: { email: 'grace@example.com', password: 'Wrong-pass-1' },
    });
    expect(wrong.status).toBe(401);
    const unknown = await api.call('POST', '/auth/login', {
      body: { email: 'nobody@example.com', password },
    });
    expect(unknown.status).toBe(401);
    const login = await api.call<{
      accessToken: string;
      expiresIn: number;
      tokenType: string;
      user: { id: string };
    }>('POST', '/auth/login', { body: { email: 'grace@example.com', password } });
    expect(login.status).toBe(200);
    expect(login.body.data).toMatchObject({
      expiresIn: 900,
      tokenType: 'Bearer',
      user: { email: 'grace@example.com' },
    });
    const token = login.body.data.accessToken;
    const claims = JSON.parse(Buffer.from(token.split('.')[1] as string, 'base64url').toString());
    expect(claims).toMatchObject({
      sub: login.body.data.user.id,
      iss: LOCAL_ISSUER,
      token_use: 'access',
      client_id: LOCAL_CLIENT_ID,
      scope: 'aws.cognito.signin.user.admin',
    });
    expect(claims.exp - claims.iat).toBe(900);
    expect(typeof claims.jti).toBe('string');

    const me = await api.call('GET', '/auth/me', { token });
    expect(me.body.data).toMatchObject({
      email: 'grace@example.com',
      displayName: 'Grace',
      timeZone: 'UTC',
    });
    const patched = await api.call('PATCH', '/auth/me', {
      token,
      body: { timeZone: 'america/los_angeles' },
    });
    expect(patched.status).toBe(200);
    expect(patched.body.data).toMatchObject({
      timeZone: 'America/Los_Angeles',
      displayName: 'Grace',
    });
    const badZone = await api.call('PATCH', '/auth/me', {
      token,
      body: { timeZone: 'Mars/Olympus' },
    });
    expect(badZone.status).toBe(400);
    expect(badZone.body.error?.details).toEqual([
      expect.objectContaining({ loc: ['body', 'timeZone'] }),
    ]);
    expect((await api.call('GET', '/auth/me', { token })).body.data).toMatchObject({
      timeZone: 'America/Los_Angeles',
    });
  });

  it('rotates refresh tokens, refuses a reused one, and revokes all on logout', async () => {
    const user = await api.newUser();
    const first = await api.call<{ accessToken: string; refreshToken: string }>(
      'POST',
      '/auth/refresh',
      {
        body: { refreshToken: user.refreshToken },
      },
    );
    expect(first.status).toBe(200);
    expect(first.body.data.refreshToken).not.toBe(user.refreshToken);
    expect((await api.call('GET', '/auth/me', { token: first.body.data.accessToken })).status).toBe(
      200,
    );
    const reused = await api.call('POST', '/auth/refresh', {
      body: { refreshToken: user.refreshToken },
    });
    expect(reused.status).toBe(401);

    expect((await api.call('POST', '/auth/logout', { token: user.token })).status).toBe(200);
    const afterLogout = await api.call('POST', '/auth/refresh', {
      body: { refreshToken: first.body.data.refreshToken },
    });
    expect(afterLogout.status).toBe(401);
    expect(afterLogout.body.error?.code).toBe('UNAUTHORIZED');
  });

  it('answers 401 for every kind of bad token', async () => {
    const user = await api.newUser();
    const key = JSON.parse(
      readFileSync(join(api.deps.settings.DATA_DIR, 'local-auth-key.json'), 'utf8'),
    ) as {
      privateJwk: JWK;
    };
    const shape = {
      key: key.privateJwk,
      issuer: LOCAL_ISSUER,
      clientId: LOCAL_CLIENT_ID,
      sub: user.userId,
    };
    // The forging helper is right: its valid token is accepted.
    expect((await api.call('GET', '/auth/me', { token: await sign(shape) })).status).toBe(200);
    expect((await api.call('GET', '/auth/me')).status).toBe(401);
    for (const [name, token] of Object.entries(await badTokens(shape))) {
      const res = await api.call('GET', '/auth/me', { token });
      expect({ name, status: res.status, code: res.body.error?.code }).toEqual({
        name,
        status: 401,
        code: 'UNAUTHORIZED',
      });
    }
  });

  it('keeps accounts and the signing key across a restart of the server', async () => {
    const dir = tempDir();
    const env = { STORE: 'sqlite', SQLITE_PATH: join(dir, 'db.sqlite'), DATA_DIR: dir };
    const first = await buildDeps(loadSettings(env));
    const app1 = createApp(allRouters(), first);
    const post = (app: typeof app1, path: string, body: unknown) =>
      app.request(path, {
        method: 'POST',
        body: JSON.stringify(body),
        headers: { 'content-type': 'application/json' },
      });
    expect(
      (await post(app1, '/auth/signup', { email: 'persist@example.com', password })).status,
    ).toBe(201);
    const token = (
      (await (
        await post(app1, '/auth/login', { email: 'persist@example.com', password })
      ).json()) as {
        data: { accessToken: string };
      }
    ).data.accessToken;
    await first.db.close();

    const second = await buildDeps(loadSettings(env));
    const app2 = createApp(allRouters(), second);
    expect(
      (await post(app2, '/auth/login', { email: 'persist@example.com', password })).status,
    ).toBe(200);
    // A token issued before the restart is still valid: the key persisted under DATA_DIR.
    const me = await app2.request('/auth/me', { headers: { authorization: `Bearer ${token}` } });
    expect(me.status).toBe(200);
    await second.db.close();
  });
});

describe('Cognito sign-in against the emulator', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startApi({ store: 'dynamodb', auth: 'cognito' });
  });
  afterAll(() => api.close());

  it('signs up → confirms → logs in → /auth/me → refreshes → logs out → refresh fails', async () => {
    const email = `cognito-${Date.now()}@example.com`;
    const signUp = await api.call<{ userId: string; confirmed: boolean }>('POST', '/auth/signup', {
      body: { email, password, displayName: 'Cog' },
    });
    expect(signUp.status).toBe(201);
    expect(signUp.body.data.confirmed).toBe(false);
    expect((await api.call('POST', '/auth/signup', { body: { email, password } })).status).toBe(
      409,
    );

    expect(
      (await api.call('POST', '/auth/confirm', { body: { email, code: '123456' } })).status,
    ).toBe(200);

    const login = await api.call<{
      accessToken: string;
      refreshToken: string;
      user: { id: string };
    }>('POST', '/auth/login', { body: { email, password } });
    expect(login.status).toBe(200);
    expect(login.body.data.user).toMatchObject({
      id: signUp.body.data.userId,
      email,
      displayName: 'Cog',
    });

    const me = await api.call('GET', '/auth/me', { token: login.body.data.accessToken });
    expect(me.status).toBe(200);
    expect(me.body.data).toMatchObject({ id: signUp.body.data.userId, email });

    const refreshed = await api.call<{ accessToken: string }>('POST', '/auth/refresh', {
      body: { refreshToken: login.body.data.refreshToken },
    });
    expect(refreshed.status).toBe(200);
    expect(
      (await api.call('GET', '/auth/me', { token: refreshed.body.data.accessToken })).status,
    ).toBe(200);

    expect(
      (await api.call('POST', '/auth/logout', { token: refreshed.body.data.accessToken })).status,
    ).toBe(200);
    const after = await api.call('POST', '/auth/refresh', {
      body: { refreshToken: login.body.data.refreshToken },
    });
    expect(after.status).toBe(401);
  });

  it('refuses a wrong password and an unknown user with 401', async () => {
    const user = await api.newUser('cog');
    expect(
      (
        await api.call('POST', '/auth/login', {
          body: { email: user.email, password: 'Wrong-pass-1' },
        })
      ).status,
    ).toBe(401);
    expect(
      (await api.call('POST', '/auth/login', { body: { email: 'ghost@example.com', password } }))
        .status,
    ).toBe(401);
  });

  it('answers 401 for every kind of bad token, including a real ID token', async () => {
    const user = await api.newUser('cog');
    const pool = api.pool as NonNullable<TestApi['pool']>;
    const shape = {
      key: emulatorSigningKey(),
      issuer: pool.issuer,
      clientId: pool.clientId,
      sub: user.userId,
    };
    expect((await api.call('GET', '/auth/me', { token: await sign(shape) })).status).toBe(200);
    const cognito = new CognitoIdentityProviderClient({
      region: 'us-east-1',
      endpoint: motoEndpoint(),
    });
    const real = await cognito.send(
      new InitiateAuthCommand({
        ClientId: pool.clientId,
        AuthFlow: 'USER_PASSWORD_AUTH',
        AuthParameters: { USERNAME: user.email, PASSWORD: password },
      }),
    );
    cognito.destroy();
    const tokens = {
      ...(await badTokens(shape)),
      realIdToken: real.AuthenticationResult?.IdToken as string,
    };
    for (const [name, token] of Object.entries(tokens)) {
      const res = await api.call('GET', '/auth/me', { token });
      expect({ name, status: res.status }).toEqual({ name, status: 401 });
    }
  });
});
