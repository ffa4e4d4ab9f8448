import { createHmac } from 'node:crypto';
import { buildClient, CommitmentPolicy, KmsKeyringNode } from '@aws-crypto/client-node';
import { GenerateMacCommand, KMS } from '@aws-sdk/client-kms';
import type { PiiVault } from '@domain/identity/ports';

// One client per container; the aggregated client, since the Encryption SDK's keyring calls its methods.
export const kmsClient = new KMS({});

const { encrypt, decrypt } = buildClient(CommitmentPolicy.REQUIRE_ENCRYPT_REQUIRE_DECRYPT);

/**
 * The blind-index key is derived from the KMS HMAC key: `GenerateMac(label)` is deterministic, so every
 * container derives the same 256-bit key with ONE KMS call, then indexes values locally (HMAC-SHA256).
 * Only callers allowed `kms:GenerateMac` on that key can derive it, as before; the difference is that the
 * derived key sits in the function's memory for up to an hour, like a data key during an encryption. (The
 * AWS Database Encryption SDK's searchable-encryption beacons cache their HMAC keys the same way.)
 * Changing the label changes every index: it is versioned, never edited.
 */
export const BLIND_INDEX_KEY_LABEL = 'core-banking/blind-index-key/v1';
const DERIVED_KEY_TTL_MS = 60 * 60 * 1000;
const derivedKeys = new Map<string, { key: Promise<Buffer>; at: number }>();

/**
 * PII at rest: envelope encryption with the AWS Encryption SDK under a KMS key (a fresh data key per
 * value, the encryption context bound to the customer and field), and a keyed blind index (HMAC-SHA256
 * under a key derived from the KMS HMAC key, see BLIND_INDEX_KEY_LABEL) to find duplicates without
 * decrypting anything.
 */
export class KmsPiiVault implements PiiVault {
  private readonly keyring: KmsKeyringNode;

  constructor(
    private readonly kms: KMS,
    private readonly keyArn: string,
    private readonly blindIndexKeyArn: string,
  ) {
    this.keyring = new KmsKeyringNode({ generatorKeyId: keyArn, clientProvider: () => kms });
  }

  async encrypt(plaintext: string, context: Record<string, string>): Promise<string> {
    const { result } = await encrypt(this.keyring, plaintext, { encryptionContext: context });
    return result.toString('base64');
  }

  async decrypt(ciphertext: string, context: Record<string, string>): Promise<string> {
    const { plaintext, messageHeader } = await decrypt(this.keyring, Buffer.from(ciphertext, 'base64'));
    for (const [key, value] of Object.entries(context)) {
      if (messageHeader.encryptionContext[key] !== value) {
        throw new Error('Encryption context mismatch');
      }
    }
    return plaintext.toString('utf8');
  }

  async blindIndex(value: string): Promise<string> {
    const key = await this.blindIndexKey();
    return createHmac('sha256', key).update(value, 'utf8').digest('base64url');
  }

  /** The derived key of this KMS key, shared by every vault in the container; a failure is not kept. */
  private blindIndexKey(): Promise<Buffer> {
    const cached = derivedKeys.get(this.blindIndexKeyArn);
    if (cached && Date.now() - cached.at < DERIVED_KEY_TTL_MS) return cached.key;
    const key = (async () => {
      const result = await this.kms.send(
        new GenerateMacCommand({
          KeyId: this.blindIndexKeyArn,
          MacAlgorithm: 'HMAC_SHA_256',
          Message: Buffer.from(BLIND_INDEX_KEY_LABEL, 'utf8'),
        }),
      );
      if (!result.Mac) throw new Error('KMS returned no MAC');
      return Buffer.from(result.Mac);
    })();
    key.catch(() => {
      if (derivedKeys.get(this.blindIndexKeyArn)?.key === key) derivedKeys.delete(this.blindIndexKeyArn);
    });
    derivedKeys.set(this.blindIndexKeyArn, { key, at: Date.now() });
    return key;
  }
}
