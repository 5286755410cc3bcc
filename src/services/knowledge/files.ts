/**
 * The vault's file store: the S3 bucket `UPLOADS_BUCKET` (an emulator at `S3_ENDPOINT_URL` in
 * tests). Browsers upload straight to S3 with a presigned PUT URL; the API only signs URLs and
 * looks objects up. One S3 client per process (module-level lazy singleton).
 */
import {
  DeleteObjectsCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
  type S3ClientConfig,
} from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import type { Settings } from '../../core/config.js';
import { AppError } from '../../core/errors.js';

/** How long a presigned upload URL works: 15 minutes (seconds). */
export const UPLOAD_URL_TTL_SECONDS = 15 * 60;

let client: { key: string; s3: S3Client } | null = null;

/** The process's S3 client for `settings` (path-style addressing against an emulator). */
function s3(settings: Settings): S3Client {
  const key = `${settings.AWS_REGION}|${settings.S3_ENDPOINT_URL ?? ''}`;
  if (client?.key !== key) {
    const config: S3ClientConfig = {
      region: settings.AWS_REGION,
      // Newer SDKs sign a checksum of the (empty) body into presigned PUT URLs by default, which
      // makes S3 refuse the browser's real file; compute checksums only where S3 requires them.
      requestChecksumCalculation: 'WHEN_REQUIRED',
    };
    if (settings.S3_ENDPOINT_URL) {
      config.endpoint = settings.S3_ENDPOINT_URL;
      config.forcePathStyle = true;
      if (!process.env.AWS_ACCESS_KEY_ID)
        config.credentials = { accessKeyId: 'local', secretAccessKey: 'local' };
    }
    client = { key, s3: new S3Client(config) };
  }
  return client.s3;
}

/** The uploads bucket. @throws AppError `STORAGE_NOT_CONFIGURED` (503) when `UPLOADS_BUCKET` is unset */
export function uploadsBucket(settings: Settings): string {
  if (!settings.UPLOADS_BUCKET) {
    throw new AppError(
      'STORAGE_NOT_CONFIGURED',
      'File uploads are not configured on this server (UPLOADS_BUCKET is unset)',
    );
  }
  return settings.UPLOADS_BUCKET;
}

/**
 * A presigned PUT URL for object `key`, valid {@link UPLOAD_URL_TTL_SECONDS}. Only the host is
 * signed: any body and content type are accepted, and completion checks what arrived.
 */
export async function presignPut(
  settings: Settings,
  key: string,
  contentType: string,
): Promise<string> {
  const command = new PutObjectCommand({
    Bucket: uploadsBucket(settings),
    Key: key,
    ContentType: contentType,
  });
  return getSignedUrl(s3(settings), command, { expiresIn: UPLOAD_URL_TTL_SECONDS });
}

/** Size (bytes) and content type of object `key`, or null when there is no such object. */
export async function statObject(
  settings: Settings,
  key: string,
): Promise<{ size: number; contentType: string | null } | null> {
  try {
    const out = await s3(settings).send(
      new HeadObjectCommand({ Bucket: uploadsBucket(settings), Key: key }),
    );
    return { size: out.ContentLength ?? 0, contentType: out.ContentType ?? null };
  } catch (err) {
    const status = (err as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
    if (status === 404) return null;
    throw err;
  }
}

/**
 * Deletes every object under `prefix` in the uploads bucket: one listing per 1,000 objects and
 * one batch delete of each listing. Does nothing without a bucket.
 * @returns how many objects were deleted.
 * @throws Error when S3 refuses to delete an object.
 */
export async function deleteObjectsUnder(settings: Settings, prefix: string): Promise<number> {
  if (!settings.UPLOADS_BUCKET) return 0;
  const bucket = settings.UPLOADS_BUCKET;
  let deleted = 0;
  let token: string | undefined;
  do {
    const page = await s3(settings).send(
      new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }),
    );
    const objects = (page.Contents ?? []).flatMap((o) => (o.Key ? [{ Key: o.Key }] : []));
    if (objects.length > 0) {
      const out = await s3(settings).send(
        new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: objects, Quiet: true } }),
      );
      if (out.Errors?.length) {
        throw new Error(`S3 refused to delete ${out.Errors.length} object(s) under ${prefix}`);
      }
      deleted += objects.length;
    }
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
  return deleted;
}
