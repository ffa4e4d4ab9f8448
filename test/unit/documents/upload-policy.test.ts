import { S3Client } from '@aws-sdk/client-s3';
import { S3DocumentStorage, s3ClientConfig } from '@adapters/s3-document-storage';
import { DOCUMENT_LIMITS } from '@contract/documents';

/*
 * The presigned POST is built by the real SDK (no network: it only signs), and its policy is decoded and
 * asserted condition by condition: the local emulator enforces none of them, AWS enforces all.
 */
const BUCKET = 'core-banking-test-kyc-documents-111122223333-us-east-1';
const KEY = 'kyc/CUST1234567890/DOC01JDQ8Z6Y3K4M5N6P7Q8R9S0T1';

const presign = async (contentType: 'application/pdf' | 'image/png' = 'application/pdf') => {
  const client = new S3Client({
    region: 'us-east-1',
    credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' },
  });
  const storage = new S3DocumentStorage(client, BUCKET);
  const before = Date.now();
  const upload = await storage.presignUpload({ key: KEY, contentType, expiresSeconds: 300 });
  const policy = JSON.parse(Buffer.from(String(upload.fields.Policy), 'base64').toString('utf8')) as {
    expiration: string;
    conditions: unknown[];
  };
  return { upload, policy, before };
};

describe('presigned POST policy', () => {
  it('fixes the exact key, bucket and content type', async () => {
    const { upload, policy } = await presign();

    expect(policy.conditions).toEqual(
      expect.arrayContaining([
        { key: KEY },
        { bucket: BUCKET },
        { 'Content-Type': 'application/pdf' },
        ['eq', '$Content-Type', 'application/pdf'],
      ]),
    );
    expect(
      policy.conditions.some((condition) => Array.isArray(condition) && condition[0] === 'starts-with'),
    ).toBe(false);
    expect(upload.fields).toMatchObject({ key: KEY, 'Content-Type': 'application/pdf' });
  });

  it('limits the size to 1 B .. 5 MB', async () => {
    const { policy } = await presign('image/png');

    expect(policy.conditions).toContainEqual(['content-length-range', 1, 5 * 1024 * 1024]);
    expect(DOCUMENT_LIMITS.maxBytes).toBe(5_242_880);
  });

  it('expires after 5 minutes and is signed with SigV4', async () => {
    const { upload, policy, before } = await presign();

    const expires = Date.parse(policy.expiration);
    expect(expires - before).toBeGreaterThan(299_000 - 1_000);
    expect(expires - before).toBeLessThanOrEqual(301_000);
    expect(upload.fields).toMatchObject({
      'X-Amz-Algorithm': 'AWS4-HMAC-SHA256',
      'X-Amz-Credential': expect.stringMatching(/^AKIDEXAMPLE\/\d{8}\/us-east-1\/s3\/aws4_request$/),
      'X-Amz-Signature': expect.stringMatching(/^[0-9a-f]{64}$/),
    });
  });

  it('posts to the bucket in AWS (virtual-hosted) and by path on an emulator that asks for it', async () => {
    const { upload } = await presign();
    const local = new S3DocumentStorage(
      new S3Client({
        ...s3ClientConfig({ S3_FORCE_PATH_STYLE: 'true' }),
        region: 'us-east-1',
        endpoint: 'http://127.0.0.1:4569',
        credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
      }),
      BUCKET,
    );

    expect(upload.url).toBe(`https://${BUCKET}.s3.us-east-1.amazonaws.com/`);
    expect((await local.presignUpload({ key: KEY, contentType: 'image/png', expiresSeconds: 300 })).url).toBe(
      `http://127.0.0.1:4569/${BUCKET}`,
    );
  });
});
