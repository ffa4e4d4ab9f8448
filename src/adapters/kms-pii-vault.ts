import { buildClient, CommitmentPolicy, KmsKeyringNode } from '@aws-crypto/client-node';
import { GenerateMacCommand, KMS } from '@aws-sdk/client-kms';
import type { PiiVault } from '@domain/identity/ports';

// One client per container; the aggregated client, since the Encryption SDK's keyring calls its methods.
export const kmsClient = new KMS({});

const { encrypt, decrypt } = buildClient(CommitmentPolicy.REQUIRE_ENCRYPT_REQUIRE_DECRYPT);

/**
 * PII at rest: envelope encryption with the AWS Encryption SDK under a KMS key (a fresh data key per
 * value, the encryption context bound to the customer and field), and a keyed blind index (KMS HMAC
 * key, the key never leaves KMS) to find duplicates without decrypting anything.
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
    const result = await this.kms.send(
      new GenerateMacCommand({
        KeyId: this.blindIndexKeyArn,
        MacAlgorithm: 'HMAC_SHA_256',
        Message: Buffer.from(value, 'utf8'),
      }),
    );
    if (!result.Mac) throw new Error('KMS returned no MAC');
    return Buffer.from(result.Mac).toString('base64url');
  }
}
