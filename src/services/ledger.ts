import { ENV } from '@contract/env';
import { documentClient } from '@adapters/dynamodb/client';
import { DynamoLedger } from '@adapters/dynamodb/ledger';
import { requireEnv } from '@kit/config';

export const ledger = () => new DynamoLedger(documentClient, requireEnv(ENV.tableName));
