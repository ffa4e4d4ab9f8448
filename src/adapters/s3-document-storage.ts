import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  S3Client,
  type S3ClientConfig,
} from '@aws-sdk/client-s3';
import { createPresignedPost } from '@aws-sdk/s3-presigned-post';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { DOCUMENT_LIMITS, type DocumentContentType } from '@contract/documents';
import { ENV } from '@contract/env';
import type { DocumentStorage, PresignedUpload, StoredObject } from '@domain/documents/ports';

/**
 * S3 client settings. The endpoint comes from AWS_ENDPOINT_URL_S3 like every other service; an emulator
 * that cannot serve virtual-hosted bucket names asks for path-style addressing through S3_FORCE_PATH_STYLE.
 * Checksums only when an API requires them: this code never uploads through the SDK, and emulators that
 * do not know the flexible checksums would store or answer them wrongly.
 */
export const s3ClientConfig = (env: NodeJS.ProcessEnv = process.env): S3ClientConfig => ({
  forcePathStyle: env[ENV.s3ForcePathStyle] === 'true',
  requestChecksumCalculation: 'WHEN_REQUIRED',
  responseChecksumValidation: 'WHEN_REQUIRED',
});

/** One client per container. */
export const s3Client = new S3Client(s3ClientConfig());

/**
 * The presigned POST's form fields and policy conditions beyond what the SDK adds itself (the bucket, the
 * exact key as `{"key": ...}`, the signing fields, and one exact-match condition per field): the exact
 * content type and the size between 1 B and 5 MB. S3 refuses an upload that breaks any of them, and the
 * policy expires with the URL.
 */
export const uploadPolicy = (contentType: DocumentContentType) => ({
  fields: { 'Content-Type': contentType },
  conditions: [
    ['eq', '$Content-Type', contentType],
    ['content-length-range', DOCUMENT_LIMITS.minBytes, DOCUMENT_LIMITS.maxBytes],
  ] as (['eq', string, string] | ['content-length-range', number, number])[],
});

const isMissing = (error: unknown): boolean =>
  error instanceof Error &&
  (error.name === 'NoSuchKey' || error.name === 'NotFound' || error.name === 'NoSuchVersion');

export class S3DocumentStorage implements DocumentStorage {
  constructor(
    private readonly client: S3Client,
    private readonly bucket: string,
  ) {}

  async presignUpload(input: {
    key: string;
    contentType: DocumentContentType;
    expiresSeconds: number;
  }): Promise<PresignedUpload> {
    const policy = uploadPolicy(input.contentType);
    const { url, fields } = await createPresignedPost(this.client, {
      Bucket: this.bucket,
      Key: input.key,
      Fields: policy.fields,
      Conditions: policy.conditions,
      Expires: input.expiresSeconds,
    });
    return { url, fields };
  }

  presignView(input: { key: string; version: string | null; expiresSeconds: number }): Promise<string> {
    return getSignedUrl(
      this.client,
      new GetObjectCommand({
        Bucket: this.bucket,
        Key: input.key,
        ...(input.version ? { VersionId: input.version } : {}),
      }),
      { expiresIn: input.expiresSeconds },
    );
  }

  async head(key: string, version: string | null) {
    try {
      const head = await this.client.send(
        new HeadObjectCommand({ Bucket: this.bucket, Key: key, ...(version ? { VersionId: version } : {}) }),
      );
      return { size: head.ContentLength ?? 0, version: head.VersionId ?? version };
    } catch (error) {
      if (isMissing(error)) return undefined;
      throw error;
    }
  }

  async read(key: string, version: string | null): Promise<StoredObject | undefined> {
    try {
      const object = await this.client.send(
        new GetObjectCommand({ Bucket: this.bucket, Key: key, ...(version ? { VersionId: version } : {}) }),
      );
      const body = object.Body ? await object.Body.transformToByteArray() : new Uint8Array();
      return { size: body.length, body, version: object.VersionId ?? version };
    } catch (error) {
      if (isMissing(error)) return undefined;
      throw error;
    }
  }

  async delete(key: string, version: string | null): Promise<void> {
    await this.client.send(
      new DeleteObjectCommand({ Bucket: this.bucket, Key: key, ...(version ? { VersionId: version } : {}) }),
    );
  }
}
