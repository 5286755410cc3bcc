/**
 * Vault uploads (API_CONTRACT.md K28–K31): the API mints a file id and a presigned S3 PUT URL
 * for a key under the user's own prefix (`users/{userId}/{kind}/{fileId}/{name}`), records the
 * pending upload under the user's partition, and — once the browser has PUT the file — turns it
 * into an inbox item (K29) or a Document (K31).
 *
 * Completion trusts only the stored record: the file id is looked up under the verified user's
 * partition (another user's id is a 404), and the object is checked in S3 at the record's key,
 * which the user id scopes. Completing twice returns the first result. Pending records expire
 * after a day (`ttl`).
 */
import type { UserCtx } from '../../api/deps.js';
import type {
  DocumentFromFileInput,
  DocumentT,
  InboxItemT,
  UploadUrlInput,
} from '../../api/schemas/knowledge.js';
import { ConflictError, NotFoundError } from '../../core/errors.js';
import { keys } from '../../db/keys.js';
import { entityItem, fromItem, hasExpired } from '../../db/models.js';
import { getEntity } from '../../db/queries.js';
import { TransactionCanceledError, cond, type Item } from '../../db/table.js';
import { epochSeconds, nowInstant } from '../../utils/dates.js';
import { newId } from '../../utils/ids.js';
import { presignPut, statObject } from './files.js';

/** What an upload becomes: an inbox item (K28→K29) or a document (K30→K31). */
export type UploadKind = 'inbox' | 'documents';

/** How long a pending upload record is kept: one day (seconds). */
const PENDING_TTL_SECONDS = 24 * 60 * 60;

/** `name` reduced to a safe object-key segment: its last path part, `[A-Za-z0-9._-]`, ≤ 200 chars. */
export function safeFileName(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? '';
  const cleaned = base
    .replace(/[^A-Za-z0-9._-]+/g, '_')
    .replace(/^[._]+/, '')
    .slice(-200);
  return cleaned || 'file';
}

/**
 * K28 / K30: records a pending upload of `kind` and returns the presigned PUT URL, the object key
 * and the new file id. @throws AppError `STORAGE_NOT_CONFIGURED` without a bucket
 */
export async function createUploadUrl(
  ctx: UserCtx,
  kind: UploadKind,
  input: UploadUrlInput,
): Promise<{ uploadUrl: string; s3Key: string; fileId: string }> {
  const fileId = newId();
  const s3Key = keys.uploadObject(ctx.userId, kind, fileId, safeFileName(input.filename));
  const uploadUrl = await presignPut(ctx.settings, s3Key, input.mimeType);
  const now = ctx.clock.now();
  await ctx.db.put({
    ...keys.upload(ctx.userId, fileId),
    entityType: 'UPLOAD',
    userId: ctx.userId,
    fileId,
    kind,
    s3Key,
    fileName: input.filename,
    mimeType: input.mimeType,
    fileSizeBytes: input.fileSizeBytes,
    status: 'pending',
    createdAt: now.toISOString(),
    ttl: Math.floor(now.getTime() / 1000) + PENDING_TTL_SECONDS,
  });
  return { uploadUrl, s3Key, fileId };
}

/**
 * The user's upload `fileId` of `kind` whose object is in the bucket with the declared size.
 * @throws NotFoundError when the user has no such upload (or it expired)
 * @throws ConflictError when the file was not uploaded yet or its size differs from the declared one
 */
async function finishedUpload(ctx: UserCtx, kind: UploadKind, fileId: string): Promise<Item> {
  const upload = await ctx.db.get(keys.upload(ctx.userId, fileId));
  const expired = upload?.status === 'pending' && hasExpired(upload, epochSeconds(ctx.clock));
  if (!upload || upload.kind !== kind || expired) throw new NotFoundError('Upload', fileId);
  if (upload.status !== 'pending') return upload;
  const object = await statObject(ctx.settings, String(upload.s3Key));
  if (!object) throw new ConflictError(`File ${fileId} has not been uploaded yet`);
  if (object.size !== upload.fileSizeBytes) {
    throw new ConflictError(
      `File ${fileId} is ${object.size} bytes but ${String(upload.fileSizeBytes)} were announced`,
    );
  }
  return upload;
}

/**
 * Writes `entity` and marks `upload` completed with `resultAttr = entity.id`, in one transaction
 * conditioned on the upload still pending. Returns the id of the entity the upload produced
 * (the existing one when the upload had already been completed, e.g. by a concurrent request).
 */
async function completeOnce(
  ctx: UserCtx,
  upload: Item,
  resultAttr: string,
  entity: Item,
): Promise<string> {
  if (upload.status !== 'pending') return String(upload[resultAttr]);
  try {
    await ctx.db.transactWrite([
      { put: entity, condition: cond.notExists('pk') },
      {
        update: keys.upload(ctx.userId, String(upload.fileId)),
        spec: {
          set: { status: 'completed', [resultAttr]: entity.id, completedAt: nowInstant(ctx.clock) },
          remove: ['ttl'],
          condition: cond.eq('status', 'pending'),
        },
      },
    ]);
    return String(entity.id);
  } catch (err) {
    if (!(err instanceof TransactionCanceledError)) throw err;
    const now = await ctx.db.get(keys.upload(ctx.userId, String(upload.fileId)));
    if (now?.status !== 'completed') throw err;
    return String(now[resultAttr]);
  }
}

/** K29: makes an inbox item (`sourceType: "file"`, pending triage) of a finished inbox upload. */
export async function completeInboxUpload(
  ctx: UserCtx,
  fileId: string,
): Promise<{ inboxItemId: string; fileId: string }> {
  const upload = await finishedUpload(ctx, 'inbox', fileId);
  const now = nowInstant(ctx.clock);
  const item: InboxItemT & { userId: string } = {
    id: newId(),
    userId: ctx.userId,
    rawContent: String(upload.fileName),
    sourceType: 'file',
    sourceUrl: null,
    aiSuggestedTitle: null,
    aiSuggestedType: null,
    aiSuggestedTags: [],
    aiSuggestedArea: null,
    aiTriageStatus: 'pending',
    fileId,
    fileName: String(upload.fileName),
    mimeType: String(upload.mimeType),
    createdAt: now,
    updatedAt: now,
  };
  const inboxItemId = await completeOnce(
    ctx,
    upload,
    'inboxItemId',
    entityItem('INBOXITEM', { ...item, s3Key: upload.s3Key }, 1),
  );
  return { inboxItemId, fileId };
}

/** The API shape of a stored document. */
function toDocument(item: Item): DocumentT {
  const { s3Key: _s3Key, ...document } = fromItem<DocumentT & { s3Key?: string }>(item);
  return document;
}

/**
 * K31: files a finished document upload in the vault as a `Document` (status `active`,
 * indexing `pending`; `fileType` defaults to the upload's MIME type). `fileUrl` stays null: the
 * object is private and is reached through the file id.
 */
export async function createDocumentFromFile(
  ctx: UserCtx,
  input: DocumentFromFileInput,
): Promise<DocumentT> {
  const upload = await finishedUpload(ctx, 'documents', input.fileId);
  const now = nowInstant(ctx.clock);
  const tags = input.tags ?? [];
  const content = input.content ?? null;
  const document: DocumentT = {
    id: newId(),
    type: 'document',
    title: input.title,
    content,
    tags,
    area: input.area,
    status: 'active',
    searchableText: [input.title, content ?? '', ...tags].join(' ').trim().toLowerCase(),
    userId: ctx.userId,
    createdAt: now,
    updatedAt: now,
    lastAccessedAt: null,
    fileUrl: null,
    fileType: input.fileType ?? String(upload.mimeType),
    pageCount: null,
    indexingStatus: 'pending',
    chunkCount: null,
    fileId: input.fileId,
  };
  const id = await completeOnce(
    ctx,
    upload,
    'documentId',
    entityItem('VAULTITEM', { ...document, s3Key: upload.s3Key }, 1),
  );
  return toDocument(await getEntity(ctx.db, ctx.userId, 'VAULTITEM', id));
}
