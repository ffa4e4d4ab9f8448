import { ENV } from '@contract/env';
import { documentClient } from '@adapters/dynamodb/client';
import { DynamoIdentityIndex } from '@adapters/dynamodb/kyc-screening';
import { requireEnv } from '@kit/config';
import { piiVault } from './pii';

/**
 * The duplicate-identity check of the KYC pre-checks. Its own module: it needs the PII vault (the
 * Encryption SDK, ~330 KB bundled), and the other KYC functions importing `@services/kyc` should not carry it.
 */
export const identityIndex = () =>
  new DynamoIdentityIndex(documentClient, requireEnv(ENV.tableName), piiVault());
