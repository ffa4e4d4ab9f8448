import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildClient, CommitmentPolicy, KmsKeyringNode } from '@aws-crypto/client-node';
import {
  CreateKeyCommand,
  DecryptCommand,
  EncryptCommand,
  GenerateMacCommand,
  KMS,
  VerifyMacCommand,
} from '@aws-sdk/client-kms';
import { startKmsEmulator as start, type RunningEmulator } from '@test/local-stack';

const { encrypt, decrypt } = buildClient(CommitmentPolicy.REQUIRE_ENCRYPT_REQUIRE_DECRYPT);

describe('local KMS emulator', () => {
  let dataDir: string;
  let emulator: RunningEmulator;
  let kms: KMS;
  let piiKeyArn: string;
  let macKeyArn: string;
  let otherMacKeyArn: string;

  const clientFor = (endpoint: string) =>
    new KMS({
      endpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
      maxAttempts: 1,
    });

  const createKey = async (client: KMS, usage: 'ENCRYPT_DECRYPT' | 'GENERATE_VERIFY_MAC') => {
    const { KeyMetadata } = await client.send(
      new CreateKeyCommand({
        KeyUsage: usage,
        KeySpec: usage === 'ENCRYPT_DECRYPT' ? 'SYMMETRIC_DEFAULT' : 'HMAC_256',
      }),
    );
    if (!KeyMetadata?.Arn) throw new Error('CreateKey returned no ARN');
    return KeyMetadata.Arn;
  };

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'local-kms-'));
    emulator = await start({ dataDir });
    kms = clientFor(emulator.endpoint);
    piiKeyArn = await createKey(kms, 'ENCRYPT_DECRYPT');
    macKeyArn = await createKey(kms, 'GENERATE_VERIFY_MAC');
    otherMacKeyArn = await createKey(kms, 'GENERATE_VERIFY_MAC');
  });

  afterAll(async () => {
    kms.destroy();
    await emulator.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  const keyring = (client: KMS, keyArn: string) =>
    new KmsKeyringNode({ generatorKeyId: keyArn, clientProvider: () => client });

  it('round-trips the Encryption SDK through a KMS keyring and keeps the encryption context', async () => {
    // Prepare
    const context = { purpose: 'ssn', customer: 'CUST-1' };

    // Act
    const { result } = await encrypt(keyring(kms, piiKeyArn), '123-45-6789', { encryptionContext: context });
    const { plaintext, messageHeader } = await decrypt(keyring(kms, piiKeyArn), result);

    // Assess
    expect(plaintext.toString('utf8')).toBe('123-45-6789');
    expect(messageHeader.encryptionContext).toMatchObject(context);
  });

  it('refuses a data key wrapped under another encryption context with InvalidCiphertextException', async () => {
    // Prepare
    const { CiphertextBlob } = await kms.send(
      new EncryptCommand({
        KeyId: piiKeyArn,
        Plaintext: Buffer.from('secret'),
        EncryptionContext: { a: '1' },
      }),
    );

    // Act
    const attempt = kms.send(new DecryptCommand({ CiphertextBlob, EncryptionContext: { a: '2' } }));

    // Assess
    await expect(attempt).rejects.toMatchObject({
      name: 'InvalidCiphertextException',
      $metadata: { httpStatusCode: 400 },
    });
  });

  it('decrypts with the context in any key order and reports the key ARN', async () => {
    // Prepare
    const { CiphertextBlob } = await kms.send(
      new EncryptCommand({
        KeyId: piiKeyArn,
        Plaintext: Buffer.from('secret'),
        EncryptionContext: { b: '2', a: '1' },
      }),
    );

    // Act
    const result = await kms.send(
      new DecryptCommand({ CiphertextBlob, EncryptionContext: { a: '1', b: '2' } }),
    );

    // Assess
    expect(Buffer.from(result.Plaintext ?? new Uint8Array()).toString()).toBe('secret');
    expect(result.KeyId).toBe(piiKeyArn);
  });

  it('fails the Encryption SDK decrypt of a message whose stored context was tampered with', async () => {
    // Prepare: re-encrypt under one context, then ask KMS to unwrap the data key under another.
    const { result } = await encrypt(keyring(kms, piiKeyArn), 'pii', { encryptionContext: { field: 'ssn' } });
    const tampering = clientFor(emulator.endpoint);
    const original = tampering.decrypt.bind(tampering);
    tampering.decrypt = ((input: Parameters<KMS['decrypt']>[0]) =>
      original({ ...input, EncryptionContext: { field: 'email' } })) as KMS['decrypt'];

    // Act
    const attempt = decrypt(keyring(tampering, piiKeyArn), result);

    // Assess
    await expect(attempt).rejects.toThrow(/Unable to decrypt data key/);
    tampering.destroy();
  });

  it('computes a deterministic HMAC per key that differs across keys', async () => {
    // Prepare
    const mac = async (KeyId: string) => {
      const { Mac } = await kms.send(
        new GenerateMacCommand({ KeyId, MacAlgorithm: 'HMAC_SHA_256', Message: Buffer.from('123456789') }),
      );
      return Buffer.from(Mac ?? new Uint8Array()).toString('base64');
    };

    // Act
    const first = await mac(macKeyArn);
    const again = await mac(macKeyArn);
    const other = await mac(otherMacKeyArn);

    // Assess
    expect(first).toHaveLength(44);
    expect(again).toBe(first);
    expect(other).not.toBe(first);
    await expect(
      kms.send(
        new VerifyMacCommand({
          KeyId: macKeyArn,
          MacAlgorithm: 'HMAC_SHA_256',
          Message: Buffer.from('123456789'),
          Mac: Buffer.from(first, 'base64'),
        }),
      ),
    ).resolves.toMatchObject({ MacValid: true });
    await expect(
      kms.send(
        new VerifyMacCommand({
          KeyId: otherMacKeyArn,
          MacAlgorithm: 'HMAC_SHA_256',
          Message: Buffer.from('123456789'),
          Mac: Buffer.from(first, 'base64'),
        }),
      ),
    ).rejects.toMatchObject({ name: 'KMSInvalidMacException' });
  });

  it('answers NotFoundException for an unknown key and InvalidKeyUsageException for the wrong kind', async () => {
    // Act / Assess
    await expect(
      kms.send(
        new GenerateMacCommand({
          KeyId: 'arn:aws:kms:us-east-1:000000000000:key/00000000-0000-0000-0000-000000000000',
          MacAlgorithm: 'HMAC_SHA_256',
          Message: Buffer.from('x'),
        }),
      ),
    ).rejects.toMatchObject({ name: 'NotFoundException' });
    await expect(
      kms.send(
        new GenerateMacCommand({ KeyId: piiKeyArn, MacAlgorithm: 'HMAC_SHA_256', Message: Buffer.from('x') }),
      ),
    ).rejects.toMatchObject({ name: 'InvalidKeyUsageException' });
    await expect(
      kms.send(new EncryptCommand({ KeyId: macKeyArn, Plaintext: Buffer.from('x') })),
    ).rejects.toMatchObject({ name: 'InvalidKeyUsageException' });
  });

  it('keeps key material across restarts in a 0600 file, so old ciphertexts still decrypt', async () => {
    // Prepare
    const { result } = await encrypt(keyring(kms, piiKeyArn), 'survives', { encryptionContext: { k: 'v' } });
    const { Mac: before } = await kms.send(
      new GenerateMacCommand({ KeyId: macKeyArn, MacAlgorithm: 'HMAC_SHA_256', Message: Buffer.from('m') }),
    );

    // Act
    const restarted = await start({ dataDir });
    const client = clientFor(restarted.endpoint);
    try {
      const { plaintext } = await decrypt(keyring(client, piiKeyArn), result);
      const { Mac: after } = await client.send(
        new GenerateMacCommand({ KeyId: macKeyArn, MacAlgorithm: 'HMAC_SHA_256', Message: Buffer.from('m') }),
      );

      // Assess
      expect(plaintext.toString()).toBe('survives');
      expect(Buffer.from(after ?? []).equals(Buffer.from(before ?? []))).toBe(true);
      expect((await stat(join(dataDir, 'keys.json'))).mode & 0o777).toBe(0o600);
    } finally {
      client.destroy();
      await restarted.stop();
    }
  });
});
