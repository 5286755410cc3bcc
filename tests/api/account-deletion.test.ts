/**
 * `DELETE /auth/me` over HTTP: it needs the password or a fresh sign-in, deletes every item of
 * the user in both stores (checked by scanning the table itself), the local account or the
 * Cognito user, and the user's upload objects; another user's data is untouched; afterwards the
 * token gets 401 on `/auth/me` and the password no longer signs in.
 */
import { CreateBucketCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';
import { keys } from '../../src/db/keys.js';
import { userItems } from '../../src/db/queries.js';
import type { Item, Page, Table } from '../../src/db/table.js';
import { fixedClock } from '../../src/utils/dates.js';
import { startApi, type TestApi, type TestUser } from '../helpers/api.js';
import { fixture } from '../helpers/dump.js';
import { STORES, motoEndpoint } from '../helpers/stores.js';

const NOW = '2026-11-29T18:00:00.000Z';
const PASSWORD = 'Correct-horse-9';
type Result = { deleted: Record<string, number>; total: number };

/** Every item of the store (one scan, page after page). */
async function scanAll(db: Table): Promise<Item[]> {
  const items: Item[] = [];
  let cursor: string | null = null;
  do {
    const page: Page = await db.scan({ cursor });
    items.push(...page.items);
    cursor = page.cursor;
  } while (cursor);
  return items;
}

const mentions = (items: Item[], text: string) =>
  items.filter((item) => JSON.stringify(item).includes(text));

const remove = (api: TestApi, user: TestUser, body?: unknown) =>
  api.call<Result>('DELETE', '/auth/me', { token: user.token, body });

describe.each(STORES)('DELETE /auth/me on %s', (store) => {
  it('needs the password or a sign-in of the last 5 minutes, else 403 and nothing goes', async () => {
    const clock = fixedClock(NOW);
    const api = await startApi({ store, clock });
    const user = await api.newUser('stale');
    clock.set('2026-11-29T18:05:01.000Z'); // the token is 5 min 1 s old, still valid
    for (const body of [undefined, {}, { password: 'Wrong-horse-1' }]) {
      const res = await remove(api, user, body);
      expect({ body, status: res.status, code: res.body.error?.code }).toEqual({
        body,
        status: 403,
        code: 'FORBIDDEN',
      });
    }
    expect((await api.call('GET', '/auth/me', { token: user.token })).status).toBe(200);
    const fresh = await api.newUser('fresh'); // signed in now
    expect((await remove(api, fresh)).status).toBe(200);
    await api.close();
  });

  it('deletes every item of the user, the account and nothing of anyone else', async () => {
    const api = await startApi({ store, clock: fixedClock(NOW) });
    const owner = await api.newUser('owner');
    const other = await api.newUser('other');
    const dump = fixture();
    for (const user of [owner, other]) {
      const res = await api.call('POST', '/import/local-storage', {
        token: user.token,
        body: { ...dump, gs_wallet_balance: { u: { totalPoints: 300, lifetimeSpent: 0 } } },
        headers: { 'idempotency-key': 'import-1' },
      });
      expect(res.status).toBe(200);
    }
    const [goalId] = Object.keys(dump.gs_goals ?? {});
    await api.call('POST', `/goals/${String(goalId)}/activity`, {
      token: owner.token,
      body: { type: 'note_added', title: 'Before leaving' },
    });
    const before = await scanAll(api.deps.db);
    const othersBefore = mentions(before, other.userId);
    expect(mentions(before, owner.userId).length).toBeGreaterThan(100);

    const res = await remove(api, owner, { password: PASSWORD });
    expect(res.status).toBe(200);
    const count = (key: string) => Object.keys(dump[key] ?? {}).length;
    expect(res.body.data.deleted).toMatchObject({
      TASK: count('gs_tasks'),
      GOAL: count('gs_goals'),
      METRIC: count('gs_metrics'),
      METRICLOG: count('gs_metricLogs'),
      HABITLOG: count('gs_habitLogs'),
      LOGBOOK: count('gs_logbookEntries'),
      LOGBOOK_DATE: count('gs_logbookEntries'),
      REWARD: count('gs_rewards'),
      TASK_DEPENDENCY: 2 * count('gs_taskDependencies'), // each edge and its mirror
      GOAL_ACTIVITY: 1,
      WALLET: 1,
      WALLET_TX: 1, // the opening balance
      IDEMPOTENCY: 1,
      REFRESH_TOKEN: 1,
      PROFILE: 1,
      ACCOUNT: 1,
    });
    const total = Object.values(res.body.data.deleted).reduce((a, b) => a + b, 0);
    expect(res.body.data.total).toBe(total);
    // The table holds nothing of the owner any more — no key, no attribute, no account — but
    // the deleted mark, which expires a day later…
    const after = await scanAll(api.deps.db);
    expect(mentions(after, owner.userId)).toEqual([
      expect.objectContaining({
        pk: `USER#${owner.userId}`,
        sk: 'DELETED',
        ttl: Date.parse(NOW) / 1000 + 24 * 3600,
      }),
    ]);
    expect(await api.deps.db.get(keys.localAccount(owner.email))).toBeNull();
    expect(before.length - after.length).toBe(total - 1);
    // …and exactly what it held of the other user.
    expect(mentions(after, other.userId)).toEqual(othersBefore);
    // The token, still unexpired, no longer reaches the account and cannot write into it; the
    // password no longer signs in.
    expect((await api.call('GET', '/auth/me', { token: owner.token })).status).toBe(401);
    for (const [method, path, body] of [
      ['PATCH', '/auth/me', {}],
      ['POST', '/tasks', { title: 'After the end', area: 'Operations' }],
      ['POST', '/wallet/add', { amount: 5, source: 'manual', description: 'Ghost' }],
      ['PUT', '/preferences/time-zone', { timeZone: 'Europe/Paris' }],
      ['POST', '/import/local-storage', dump],
      ['DELETE', `/goals/${String(goalId)}`, undefined],
    ] as const) {
      const refused = await api.call(method, path, { token: owner.token, body });
      expect({ path, status: refused.status, body: refused.body }).toEqual({
        path,
        status: 401,
        body: {
          success: false,
          data: null,
          error: expect.objectContaining({ code: 'UNAUTHORIZED' }),
        },
      });
    }
    expect(
      (await api.call<{ total: number }>('GET', '/goals', { token: owner.token })).body.data,
    ).toMatchObject({ total: 0 });
    expect(mentions(await scanAll(api.deps.db), owner.userId)).toHaveLength(1);
    // The other user writes as before.
    expect(
      (
        await api.call('POST', '/tasks', {
          token: other.token,
          body: { title: 'Still here', area: 'Operations' },
        })
      ).status,
    ).toBe(201);
    const login = await api.call('POST', '/auth/login', {
      body: { email: owner.email, password: PASSWORD },
    });
    expect(login.status).toBe(401);
    await api.close();
  });
});

describe('DELETE /auth/me with S3 uploads and with Cognito sign-in', () => {
  it('deletes the upload objects under the user’s prefix', async () => {
    const s3 = new S3Client({
      region: 'us-east-1',
      endpoint: motoEndpoint(),
      forcePathStyle: true,
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    });
    const bucket = `delete-${process.pid}-${Date.now().toString(36)}`;
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
    const api = await startApi({
      store: 'dynamodb',
      env: { UPLOADS_BUCKET: bucket, S3_ENDPOINT_URL: motoEndpoint() },
    });
    const user = await api.newUser('uploads');
    const other = await api.newUser('uploads-other');
    const uploadFor = async (who: TestUser) => {
      const upload = await api.call<{ uploadUrl: string }>('POST', '/knowledge/inbox/upload-url', {
        token: who.token,
        body: { filename: 'notes.txt', mimeType: 'text/plain', fileSizeBytes: 5 },
      });
      expect(upload.status).toBe(200);
      expect((await fetch(upload.body.data.uploadUrl, { method: 'PUT', body: 'hello' })).ok).toBe(
        true,
      );
    };
    await uploadFor(user);
    await uploadFor(other);
    const listed = async (who: TestUser) =>
      (await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: `users/${who.userId}/` })))
        .KeyCount ?? 0;
    expect(await listed(user)).toBe(1);

    const res = await remove(api, user, { password: PASSWORD });
    expect(res.status).toBe(200);
    expect(res.body.data.deleted).toMatchObject({ S3_OBJECT: 1, UPLOAD: 1, ACCOUNT: 1 });
    expect(await listed(user)).toBe(0);
    expect(await listed(other)).toBe(1);
    expect((await userItems(api.deps.db, user.userId)).map((i) => i.sk)).toEqual(['DELETED']);
    s3.destroy();
    await api.close();
  });

  it('deletes the data and the Cognito user, who can no longer sign in', async () => {
    const api = await startApi({ store: 'dynamodb', auth: 'cognito' });
    const user = await api.newUser('cognito');
    await api.call('POST', '/import/local-storage', { token: user.token, body: fixture() });
    expect((await api.call('GET', '/auth/me', { token: user.token })).status).toBe(200);
    const res = await remove(api, user, { password: PASSWORD });
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({ deleted: expect.objectContaining({ COGNITO_USER: 1 }) });
    expect((await userItems(api.deps.db, user.userId)).map((i) => i.sk)).toEqual(['DELETED']);
    // The Cognito access token still verifies until it expires, but no longer writes.
    const write = await api.call('POST', '/tasks', {
      token: user.token,
      body: { title: 'After the end', area: 'Operations' },
    });
    expect(write.status).toBe(401);
    const login = await api.call('POST', '/auth/login', {
      body: { email: user.email, password: PASSWORD },
    });
    expect(login.status).toBe(401);
    await api.close();
  });
});
