import { ENV } from '@contract/env';
import { KmsPiiVault, kmsClient } from '@adapters/kms-pii-vault';
import { requireEnv } from '@kit/config';

export const piiVault = () =>
  new KmsPiiVault(kmsClient, requireEnv(ENV.piiKeyArn), requireEnv(ENV.blindIndexKeyArn));
