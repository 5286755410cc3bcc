/**
 * Vault uploads K28–K31 over HTTP against both stores, with S3 in the emulator: the browser's flow
 * (presigned URL → PUT → completion) for inbox items and documents, completion checking the object
 * in storage, idempotent completion, bad input, no bucket configured, expiry, isolation.
 */
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keys, userPk } from '../../src/db/keys.js';
import { queryAll } from '../../src/db/table.js';
import { fixedClock } from '../../src/utils/dates.js';
import { startApi, type TestApi, type TestUser } from '../helpers/api.js';
import { expectCovers, expectIsolated } from '../helpers/security.js';
import { STORES, motoEndpoint } from '../helpers/stores.js';

type Signed = { uploadUrl: string; s3Key: string; fileId: string };
type Doc = Record<string, unknown> & { id: string };

let buckets = 0;
async function newBucket(): Promise<string> {
  buckets += 1;
  const name = `vault-${process.pid}-${Date.now().toString(36)}-${buckets}`;
  const s3 = new S3Client({ region: 'us-east-1', endpoint: motoEndpoint(), forcePathStyle: true });
  await s3.send(new CreateBucketCommand({ Bucket: name }));
  s3.destroy();
  return name;
}

async function startWithBucket(
  store: (typeof STORES)[number],
  clock?: ReturnType<typeof fixedClock>,
) {
  const env = { UPLOADS_BUCKET: await newBucket(), S3_ENDPOINT_URL: motoEndpoint() };
  return startApi({ store, env, ...(clock ? { clock } : {}) });
}

const PDF = 'application/pdf';

describe.each(STORES)('vault uploads on %s', (store) => {
  let api: TestApi;
  let owner: TestUser;

  const sign = (kind: 'inbox' | 'documents', body: unknown, user: TestUser = owner) =>
    api.call<Signed>('POST', `/knowledge/${kind}/upload-url`, { token: user.token, body });
  const put = (signed: Signed, content: string, type = 'text/plain') =>
    fetch(signed.uploadUrl, { method: 'PUT', headers: { 'content-type': type }, body: content });
  const uploads = async (user: TestUser = owner) =>
    queryAll(api.deps.db, { pk: userPk(user.userId), sk: { beginsWith: 'UPLOAD#' } });

  beforeAll(async () => {
    api = await startWithBucket(store);
    owner = await api.newUser('vault');
  });
  afterAll(() => api.close());

  it('uploads a file into the inbox: presigned PUT, then completion makes one inbox item', async () => {
    const signed = await sign('inbox', {
      filename: '../Meeting notes (final).txt',
      mimeType: 'text/plain',
      fileSizeBytes: 11,
    });
    expect(signed.status).toBe(200);
    const { fileId, s3Key, uploadUrl } = signed.body.data;
    // The key lives under the user's prefix; the name is reduced to safe characters.
    expect(s3Key).toBe(`users/${owner.userId}/inbox/${fileId}/Meeting_notes_final_.txt`);
    expect(uploadUrl).toContain(encodeURIComponent(s3Key).replace(/%2F/g, '/'));
    expect(uploadUrl).toContain('X-Amz-Signature=');
    expect(uploadUrl).not.toMatch(/x-amz-checksum|x-amz-sdk-checksum/i);
    expect((await put(signed.body.data, 'hello world')).status).toBe(200);

    const done = await api.call<{ inboxItemId: string; fileId: string }>(
      'POST',
      '/knowledge/inbox/upload-complete',
      { token: owner.token, body: { fileId } },
    );
    expect(done.status).toBe(200);
    expect(done.body.data.fileId).toBe(fileId);
    const item = await api.deps.db.get(
      keys.entity(owner.userId, 'INBOXITEM', done.body.data.inboxItemId),
    );
    expect(item).toMatchObject({
      rawContent: '../Meeting notes (final).txt',
      sourceType: 'file',
      aiTriageStatus: 'pending',
      aiSuggestedTags: [],
      fileId,
      mimeType: 'text/plain',
      s3Key,
      userId: owner.userId,
    });
    // Completing again returns the same item and makes no other.
    const again = await api.call<{ inboxItemId: string }>(
      'POST',
      '/knowledge/inbox/upload-complete',
      {
        token: owner.token,
        body: { fileId },
      },
    );
    expect(again.body.data.inboxItemId).toBe(done.body.data.inboxItemId);
    const items = await queryAll(api.deps.db, {
      pk: userPk(owner.userId),
      sk: { beginsWith: 'INBOXITEM#' },
    });
    expect(items).toHaveLength(1);
    const record = (await uploads()).find((u) => u.fileId === fileId);
    expect(record).toMatchObject({ status: 'completed', inboxItemId: done.body.data.inboxItemId });
    expect(record).not.toHaveProperty('ttl');
  });

  it('refuses to complete before the file is in storage, or with another size than announced', async () => {
    const early = await sign('inbox', {
      filename: 'a.txt',
      mimeType: 'text/plain',
      fileSizeBytes: 3,
    });
    const res = await api.call('POST', '/knowledge/inbox/upload-complete', {
      token: owner.token,
      body: { fileId: early.body.data.fileId },
    });
    expect({ status: res.status, code: res.body.error?.code }).toEqual({
      status: 409,
      code: 'CONFLICT',
    });
    const short = await sign('inbox', {
      filename: 'b.txt',
      mimeType: 'text/plain',
      fileSizeBytes: 10,
    });
    await put(short.body.data, 'five!');
    const mismatch = await api.call('POST', '/knowledge/inbox/upload-complete', {
      token: owner.token,
      body: { fileId: short.body.data.fileId },
    });
    expect(mismatch.status).toBe(409);
    expect(mismatch.body.error?.message).toContain('5 bytes but 10');
    const pending = (await uploads()).filter((u) => u.status === 'pending').map((u) => u.fileId);
    expect(pending).toEqual(
      expect.arrayContaining([early.body.data.fileId, short.body.data.fileId]),
    );
    const unknown = await api.call('POST', '/knowledge/inbox/upload-complete', {
      token: owner.token,
      body: { fileId: '01JDZ8M3Q4S6T8V0X2Z4B6D8F0' },
    });
    expect(unknown.status).toBe(404);
  });

  it('files an uploaded document in the vault as a Document', async () => {
    const signed = await sign('documents', {
      filename: 'Q3 report.pdf',
      mimeType: PDF,
      fileSizeBytes: 8,
    });
    expect(signed.body.data.s3Key.startsWith(`users/${owner.userId}/documents/`)).toBe(true);
    await put(signed.body.data, '%PDF-1.7', PDF);
    const res = await api.call<Doc>('POST', '/knowledge/documents/from-file', {
      token: owner.token,
      body: {
        fileId: signed.body.data.fileId,
        title: 'Quarterly Report',
        area: 'DayJob',
        tags: ['finance', 'Q3'],
      },
    });
    expect(res.status).toBe(201);
    expect(res.body.data).toEqual({
      id: expect.any(String),
      type: 'document',
      title: 'Quarterly Report',
      content: null,
      tags: ['finance', 'Q3'],
      area: 'Day Job',
      status: 'active',
      searchableText: 'quarterly report  finance q3', // title, empty content, tags; lower-cased
      userId: owner.userId,
      createdAt: expect.any(String),
      updatedAt: expect.any(String),
      lastAccessedAt: null,
      fileUrl: null,
      fileType: PDF, // defaults to the upload's MIME type
      pageCount: null,
      indexingStatus: 'pending',
      chunkCount: null,
      fileId: signed.body.data.fileId,
    });
    const again = await api.call<Doc>('POST', '/knowledge/documents/from-file', {
      token: owner.token,
      body: { fileId: signed.body.data.fileId, title: 'Other', area: 'Health' },
    });
    expect(again.body.data).toEqual(res.body.data);
    // An inbox upload cannot be filed as a document.
    const inbox = await sign('inbox', { filename: 'c.pdf', mimeType: PDF, fileSizeBytes: 8 });
    await put(inbox.body.data, '%PDF-1.7', PDF);
    const wrongKind = await api.call('POST', '/knowledge/documents/from-file', {
      token: owner.token,
      body: { fileId: inbox.body.data.fileId, title: 'x', area: 'Health' },
    });
    expect(wrongKind.status).toBe(404);
  });

  it('answers 413 for a document whose text would not fit the 400 KB of one stored item', async () => {
    const signed = await sign('documents', {
      filename: 'big.txt',
      mimeType: 'text/plain',
      fileSizeBytes: 4,
    });
    await put(signed.body.data, 'text');
    // 150,000 × "é" (2 bytes in UTF-8) = 300 KB of content, repeated in searchableText: ≈ 600 KB.
    const body = {
      fileId: signed.body.data.fileId,
      title: 'Big',
      area: 'Health',
      content: 'é'.repeat(150_000),
    };
    const res = await api.call('POST', '/knowledge/documents/from-file', {
      token: owner.token,
      body,
    });
    expect({ status: res.status, code: res.body.error?.code }).toEqual({
      status: 413,
      code: 'PAYLOAD_TOO_LARGE',
    });
    // Nothing was filed: the upload is still pending and a smaller text goes through.
    const small = await api.call('POST', '/knowledge/documents/from-file', {
      token: owner.token,
      body: { ...body, content: 'é'.repeat(1000) },
    });
    expect(small.status).toBe(201);
  });

  it('refuses bad input with 400 field details and records nothing', async () => {
    const before = (await uploads()).length;
    const cases: [unknown, (string | number)[]][] = [
      [{ mimeType: PDF, fileSizeBytes: 1 }, ['body', 'filename']],
      [{ filename: 'a', mimeType: 'pdf', fileSizeBytes: 1 }, ['body', 'mimeType']],
      [{ filename: 'a', mimeType: PDF, fileSizeBytes: 0 }, ['body', 'fileSizeBytes']],
      [{ filename: 'a', mimeType: PDF, fileSizeBytes: 1.5 }, ['body', 'fileSizeBytes']],
      [
        { filename: 'a', mimeType: PDF, fileSizeBytes: 50 * 1024 * 1024 + 1 },
        ['body', 'fileSizeBytes'],
      ],
    ];
    for (const [body, loc] of cases) {
      const res = await sign('documents', body);
      expect({ body, status: res.status }).toEqual({ body, status: 400 });
      expect(res.body.error?.details).toEqual(
        expect.arrayContaining([expect.objectContaining({ loc })]),
      );
    }
    const badId = await api.call('POST', '/knowledge/inbox/upload-complete', {
      token: owner.token,
      body: { fileId: 'a#b' },
    });
    expect(badId.status).toBe(400);
    const badArea = await api.call('POST', '/knowledge/documents/from-file', {
      token: owner.token,
      body: { fileId: '01JDZ8M3Q4S6T8V0X2Z4B6D8F0', title: 'x', area: 'Mars' },
    });
    expect(badArea.body.error?.details).toEqual(
      expect.arrayContaining([expect.objectContaining({ loc: ['body', 'area'] })]),
    );
    expect((await uploads()).length).toBe(before);
    // A browser that does not know the type sends an empty one.
    const untyped = await sign('inbox', { filename: 'blob', mimeType: '', fileSizeBytes: 2 });
    expect(untyped.status).toBe(200);
    const record = (await uploads()).find((u) => u.fileId === untyped.body.data.fileId);
    expect(record?.mimeType).toBe('application/octet-stream');
  });

  it('isolates users: another user’s file ids are 404 and change nothing', async () => {
    const intruder = await api.newUser('intruder');
    const inbox = await sign('inbox', {
      filename: 'secret.txt',
      mimeType: 'text/plain',
      fileSizeBytes: 6,
    });
    await put(inbox.body.data, 'secret');
    const doc = await sign('documents', {
      filename: 'secret.pdf',
      mimeType: PDF,
      fileSizeBytes: 8,
    });
    await put(doc.body.data, '%PDF-1.7', PDF);
    const cases = [
      {
        method: 'POST',
        path: '/knowledge/inbox/upload-complete',
        body: { fileId: inbox.body.data.fileId },
      },
      {
        method: 'POST',
        path: '/knowledge/documents/from-file',
        body: { fileId: doc.body.data.fileId, title: 'Mine now', area: 'Health' },
      },
    ] as const;
    await expectIsolated(api, intruder, [...cases]);
    expect(await uploads(intruder)).toEqual([]);
    const ownerRecords = await uploads();
    for (const id of [inbox.body.data.fileId, doc.body.data.fileId]) {
      expect(ownerRecords.find((u) => u.fileId === id)?.status).toBe('pending');
    }
    // Signing gives the intruder keys under its own prefix only.
    const theirs = await sign(
      'inbox',
      { filename: 'x', mimeType: 'text/plain', fileSizeBytes: 1 },
      intruder,
    );
    expect(theirs.body.data.s3Key.startsWith(`users/${intruder.userId}/`)).toBe(true);
    await expectCovers(
      api,
      ['/knowledge'],
      [...cases],
      ['POST /knowledge/inbox/upload-url', 'POST /knowledge/documents/upload-url'],
    );
  });
});

describe('vault uploads without a bucket or after expiry', () => {
  it('answers 503 STORAGE_NOT_CONFIGURED when no bucket is configured', async () => {
    const api = await startApi();
    const user = await api.newUser('nobucket');
    const res = await api.call('POST', '/knowledge/inbox/upload-url', {
      token: user.token,
      body: { filename: 'a', mimeType: 'text/plain', fileSizeBytes: 1 },
    });
    expect({ status: res.status, code: res.body.error?.code }).toEqual({
      status: 503,
      code: 'STORAGE_NOT_CONFIGURED',
    });
    await api.close();
  });

  it('forgets a pending upload a day after it was signed', async () => {
    const clock = fixedClock(new Date().toISOString());
    const api = await startWithBucket('sqlite', clock);
    const user = await api.newUser('expiry');
    const signed = await api.call<Signed>('POST', '/knowledge/inbox/upload-url', {
      token: user.token,
      body: { filename: 'late.txt', mimeType: 'text/plain', fileSizeBytes: 4 },
    });
    await fetch(signed.body.data.uploadUrl, {
      method: 'PUT',
      headers: { 'content-type': 'text/plain' },
      body: 'late',
    });
    clock.set(new Date(clock.now().getTime() + 24 * 3600 * 1000 + 1000).toISOString()); // 1 day + 1 s
    const login = await api.call<{ accessToken: string }>('POST', '/auth/login', {
      body: { email: user.email, password: 'Correct-horse-9' },
    });
    const res = await api.call('POST', '/knowledge/inbox/upload-complete', {
      token: login.body.data.accessToken,
      body: { fileId: signed.body.data.fileId },
    });
    expect(res.status).toBe(404);
    await api.close();
  });
});
