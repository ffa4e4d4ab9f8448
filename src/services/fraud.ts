import { ENV } from '@contract/env';
import { documentClient } from '@adapters/dynamodb/client';
import { DynamoFraudStore } from '@adapters/dynamodb/fraud-store';
import { requireEnv } from '@kit/config';
import { ledger } from './ledger';

export const fraudStore = () => new DynamoFraudStore(documentClient, requireEnv(ENV.tableName), ledger());
