import { ENV } from '@contract/env';
import { documentClient } from '@adapters/dynamodb/client';
import { DynamoDocumentRepository } from '@adapters/dynamodb/document-repository';
import { SecurityEventDocumentViewLog } from '@adapters/dynamodb/document-views';
import { S3DocumentStorage, s3Client } from '@adapters/s3-document-storage';
import { requireEnv } from '@kit/config';
import { securityEvents } from './users';

export const documentRepository = () =>
  new DynamoDocumentRepository(documentClient, requireEnv(ENV.tableName));

export const documentStorage = () => new S3DocumentStorage(s3Client, requireEnv(ENV.documentsBucket));

export const documentViewLog = () => new SecurityEventDocumentViewLog(securityEvents());
