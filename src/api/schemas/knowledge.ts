/**
 * Schemas of the knowledge vault (API_CONTRACT.md §b.9, §c.4). So far the upload flows:
 * K28/K30 (presigned S3 PUT URL), K29 (upload → inbox item) and K31 (upload → Document).
 */
import { z } from '@hono/zod-openapi';
import { Area, Id, Instant } from './common.js';

/** Largest file the upload routes accept: 50 MiB. */
export const MAX_UPLOAD_BYTES = 50 * 1024 * 1024;

/** `VaultItemType`. */
export const VaultItemType = z
  .enum(['note', 'document', 'course_lesson', 'flashcard'])
  .openapi('VaultItemType');
/** `VaultItemStatus`. */
export const VaultItemStatus = z.enum(['draft', 'active', 'archived']).openapi('VaultItemStatus');
/** `DocumentIndexingStatus`. */
export const DocumentIndexingStatus = z
  .enum(['pending', 'complete', 'failed'])
  .openapi('DocumentIndexingStatus');

/** K28 / K30 body: the file the browser is about to PUT. */
export const UploadUrlBody = z.object({
  filename: z.string().trim().min(1).max(255).openapi({ example: 'notes.pdf' }),
  /** The browser's `File.type`; empty (unknown type) means `application/octet-stream`. */
  mimeType: z
    .string()
    .trim()
    .max(255)
    .regex(/^$|^[\w.+-]+\/[\w.+-]+$/, 'must be a MIME type such as application/pdf')
    .transform((v) => v || 'application/octet-stream')
    .openapi({ example: 'application/pdf' }),
  fileSizeBytes: z.number().int().min(1).max(MAX_UPLOAD_BYTES).openapi({ example: 48213 }),
});

/** K28 / K30 `data`: PUT the file to `uploadUrl` within 15 minutes, then complete it with `fileId`. */
export const UploadUrl = z
  .object({
    uploadUrl: z.string(),
    s3Key: z.string(),
    fileId: z.string(),
  })
  .openapi('UploadUrl');

/** K29 body. */
export const UploadCompleteBody = z.object({ fileId: Id });

/** K29 `data`: the inbox item made from the uploaded file. */
export const UploadComplete = z
  .object({ inboxItemId: z.string(), fileId: z.string() })
  .openapi('UploadComplete');

/** K31 body: file a finished document upload in the vault. */
export const DocumentFromFileBody = z.object({
  fileId: Id,
  title: z.string().trim().min(1).max(500),
  area: Area,
  tags: z.array(z.string().trim().min(1).max(100)).max(50).optional(),
  content: z.string().max(200_000).nullable().optional(),
  fileType: z.string().trim().min(1).max(100).optional(),
});

/** `InboxItem` (§c.4); an uploaded file's item also names the file. */
export const InboxItem = z
  .object({
    id: z.string(),
    rawContent: z.string(),
    sourceType: z.string(),
    sourceUrl: z.string().nullable(),
    aiSuggestedTitle: z.string().nullable(),
    aiSuggestedType: z.string().nullable(),
    aiSuggestedTags: z.array(z.string()),
    aiSuggestedArea: z.string().nullable(),
    aiTriageStatus: z.string(),
    fileId: z.string().nullable().optional(),
    fileName: z.string().nullable().optional(),
    mimeType: z.string().nullable().optional(),
    createdAt: Instant,
    updatedAt: Instant,
  })
  .openapi('InboxItem');

/** `Document` (§c.4): a vault item of type `document`. */
export const Document = z
  .object({
    id: z.string(),
    type: VaultItemType,
    title: z.string(),
    content: z.string().nullable(),
    tags: z.array(z.string()),
    area: z.string(),
    status: VaultItemStatus,
    searchableText: z.string(),
    userId: z.string(),
    createdAt: Instant,
    updatedAt: Instant,
    lastAccessedAt: Instant.nullable(),
    fileUrl: z.string().nullable(),
    fileType: z.string().nullable(),
    pageCount: z.number().int().nullable(),
    indexingStatus: DocumentIndexingStatus.nullable(),
    chunkCount: z.number().int().nullable(),
    fileId: z.string().nullable(),
  })
  .openapi('Document');

/** The parsed type of {@link UploadUrlBody}. */
export type UploadUrlInput = z.output<typeof UploadUrlBody>;
/** The parsed type of {@link DocumentFromFileBody}. */
export type DocumentFromFileInput = z.output<typeof DocumentFromFileBody>;
/** The parsed type of {@link InboxItem}. */
export type InboxItemT = z.output<typeof InboxItem>;
/** The parsed type of {@link Document}. */
export type DocumentT = z.output<typeof Document>;
