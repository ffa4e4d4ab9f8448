import { ENV } from '@contract/env';
import { documentClient } from '@adapters/dynamodb/client';
import { DynamoAuditStore } from '@adapters/dynamodb/audit-store';
import { requireEnv } from '@kit/config';

export const auditStore = () => new DynamoAuditStore(documentClient, requireEnv(ENV.tableName));
