/** The knowledge vault (API_CONTRACT.md §b.9). So far the upload flows K28–K31. */
import { defineRoute } from '../route.js';
import {
  Document,
  DocumentFromFileBody,
  UploadComplete,
  UploadCompleteBody,
  UploadUrl,
  UploadUrlBody,
} from '../schemas/knowledge.js';
import * as uploads from '../../services/knowledge/uploads.js';

const tags = ['Knowledge'];
const putHow =
  'PUT the file to `uploadUrl` within 15 minutes (with `Content-Type: mimeType`), then complete it with the returned `fileId`.';

/** The routes of this module, for `createRouter`. */
export const knowledgeRoutes = [
  defineRoute({
    method: 'post',
    path: '/knowledge/inbox/upload-url',
    tags,
    summary: 'A presigned S3 URL to upload a file into the inbox',
    description: putHow,
    body: UploadUrlBody,
    response: UploadUrl,
    errors: ['STORAGE_NOT_CONFIGURED'],
    handler: ({ ctx, body }) => uploads.createUploadUrl(ctx, 'inbox', body),
  }),
  defineRoute({
    method: 'post',
    path: '/knowledge/inbox/upload-complete',
    tags,
    summary: 'Turn an uploaded file into an inbox item',
    description:
      '409 when the file is not in storage yet (or its size differs from the announced one). Repeating it returns the same item.',
    body: UploadCompleteBody,
    response: UploadComplete,
    errors: ['NOT_FOUND', 'CONFLICT', 'STORAGE_NOT_CONFIGURED'],
    handler: ({ ctx, body }) => uploads.completeInboxUpload(ctx, body.fileId),
  }),
  defineRoute({
    method: 'post',
    path: '/knowledge/documents/upload-url',
    tags,
    summary: 'A presigned S3 URL to upload a document',
    description: putHow,
    body: UploadUrlBody,
    response: UploadUrl,
    errors: ['STORAGE_NOT_CONFIGURED'],
    handler: ({ ctx, body }) => uploads.createUploadUrl(ctx, 'documents', body),
  }),
  defineRoute({
    method: 'post',
    path: '/knowledge/documents/from-file',
    tags,
    summary: 'File an uploaded document in the vault',
    description:
      '409 when the file is not in storage yet (or its size differs from the announced one); 413 when the document (its content twice, as `content` and `searchableText`) would exceed the 400 KB of a stored item. Repeating it returns the same document.',
    body: DocumentFromFileBody,
    response: Document,
    status: 201,
    errors: ['NOT_FOUND', 'CONFLICT', 'PAYLOAD_TOO_LARGE', 'STORAGE_NOT_CONFIGURED'],
    handler: ({ ctx, body }) => uploads.createDocumentFromFile(ctx, body),
  }),
];
