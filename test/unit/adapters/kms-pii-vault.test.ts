import { createHmac } from 'node:crypto';
import { GenerateMacCommand, KMS } from '@aws-sdk/client-kms';
import { BLIND_INDEX_KEY_LABEL, KmsPiiVault } from '@adapters/kms-pii-vault';
import { kms, kmsAnswersLikeAws, resetAwsMocks } from '@test/aws-mocks';

const PII_KEY = process.env.PII_KEY_ARN as string;
/** A key ARN per test: the derived key is cached per KMS key for the container's life (up to an hour). */
let keyNumber = 0;
const freshMacKey = () => {
  keyNumber += 1;
  return `arn:aws:kms:us-east-1:111122223333:key/00000000-0000-4000-8000-${String(keyNumber).padStart(12, '0')}`;
};
const vault = (macKey: string) => new KmsPiiVault(new KMS({}), PII_KEY, macKey);

beforeEach(() => {
  resetAwsMocks();
  kmsAnswersLikeAws();
});

describe('blind index', () => {
  it('asks KMS once per key for the derived key, then indexes every value locally', async () => {
    const macKey = freshMacKey();
    const first = vault(macKey);
    const second = vault(macKey);

    const indexes = await Promise.all([
      first.blindIndex('987654321'),
      first.blindIndex('123456789'),
      second.blindIndex('987654321'),
    ]);

    expect(kms.commandCalls(GenerateMacCommand)).toHaveLength(1);
    expect(kms).toHaveReceivedCommandWith(GenerateMacCommand, {
      KeyId: macKey,
      MacAlgorithm: 'HMAC_SHA_256',
      Message: Buffer.from(BLIND_INDEX_KEY_LABEL, 'utf8'),
    });
    // Same value, same index (duplicates are found); another value, another index.
    expect(indexes[0]).toBe(indexes[2]);
    expect(indexes[0]).not.toBe(indexes[1]);
  });

  it('is HMAC-SHA256 of the value under the key KMS derived, never the value itself', async () => {
    const macKey = freshMacKey();
    const index = await vault(macKey).blindIndex('987654321');

    // What kmsAnswersLikeAws's GenerateMac answers for the label (AWS: HMAC-SHA256 under the KMS key).
    const derived = Buffer.from(`mac:${Buffer.from(BLIND_INDEX_KEY_LABEL, 'utf8').toString('hex')}`);
    expect(index).toBe(createHmac('sha256', derived).update('987654321', 'utf8').digest('base64url'));
    expect(index).not.toContain('987654321');
  });

  it('does not keep a failed derivation: the next call asks KMS again', async () => {
    const macKey = freshMacKey();
    kms.on(GenerateMacCommand).rejectsOnce(new Error('ThrottlingException'));

    await expect(vault(macKey).blindIndex('987654321')).rejects.toThrow('ThrottlingException');
    kmsAnswersLikeAws();
    await expect(vault(macKey).blindIndex('987654321')).resolves.toEqual(expect.any(String));
    expect(kms.commandCalls(GenerateMacCommand)).toHaveLength(2);
  });
});
