import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  GetCommand,
  TransactWriteCommand,
  UpdateCommand,
  type DynamoDBDocumentClient,
} from '@aws-sdk/lib-dynamodb';
import type { KycDocument } from '@domain/documents/document';
import { ConflictError } from '@domain/errors';
import { DocumentNumberTakenError, type CheckRecord, type DocumentRepository } from '@domain/documents/ports';
import type { Page } from '@domain/kyc/ports';
import { keys } from './entities';
import { isConditionFailure, queryAll, queryPage } from './query';

const ENTITY = 'KycDocument';

const toDocument = (item: Record<string, unknown>): KycDocument => ({
  documentId: String(item.documentId),
  customerId: String(item.customerId),
  ownerSub: String(item.ownerSub),
  userId: Number(item.userId),
  documentType: item.documentType as KycDocument['documentType'],
  contentType: item.contentType as KycDocument['contentType'],
  declaredSize: Number(item.declaredSize),
  status: item.status as KycDocument['status'],
  reason: (item.reason as string | null | undefined) ?? null,
  numberCiphertext: String(item.numberCiphertext),
  numberLast4: String(item.numberLast4),
  numberIndex: String(item.numberIndex),
  createdAt: String(item.createdAt),
  uploadedAt: (item.uploadedAt as string | null | undefined) ?? null,
  checkedAt: (item.checkedAt as string | null | undefined) ?? null,
  sizeBytes: typeof item.sizeBytes === 'number' ? item.sizeBytes : null,
  sha256: (item.sha256 as string | null | undefined) ?? null,
  objectVersion: (item.objectVersion as string | null | undefined) ?? null,
  duplicateFile: item.duplicateFile === true,
});

const SUPERSEDED_REASON = 'Replaced by a newer document of the same type.';

/** KYC documents under their customer; the number's blind index is claimed in the same transaction. */
export class DynamoDocumentRepository implements DocumentRepository {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async create(document: KycDocument, supersede: readonly KycDocument[]): Promise<void> {
    const claim = keys.unique('DOCUMENT_NUMBER', document.numberIndex);
    try {
      await this.client.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Put: {
                TableName: this.tableName,
                Item: {
                  ...keys.document(document.customerId, document.documentId),
                  entity: ENTITY,
                  ...document,
                },
                ConditionExpression: 'attribute_not_exists(PK)',
              },
            },
            // The same customer may register the same number again (a re-upload); nobody else may.
            {
              Put: {
                TableName: this.tableName,
                Item: {
                  ...claim,
                  entity: 'Uniqueness',
                  kind: 'DOCUMENT_NUMBER',
                  customerId: document.customerId,
                },
                ConditionExpression: 'attribute_not_exists(PK) OR customerId = :customer',
                ExpressionAttributeValues: { ':customer': document.customerId },
              },
            },
            ...supersede.map((previous) => ({
              Update: {
                TableName: this.tableName,
                Key: keys.document(previous.customerId, previous.documentId),
                UpdateExpression: 'SET #status = :superseded, reason = :reason',
                ConditionExpression: '#status = :was',
                ExpressionAttributeNames: { '#status': 'status' },
                ExpressionAttributeValues: {
                  ':superseded': 'SUPERSEDED',
                  ':reason': SUPERSEDED_REASON,
                  ':was': previous.status,
                },
              },
            })),
          ],
        }),
      );
    } catch (error) {
      if (!(error instanceof TransactionCanceledException)) throw error;
      const failed = (index: number) => error.CancellationReasons?.[index]?.Code === 'ConditionalCheckFailed';
      // Item 1 is the number's claim; items 2+ are the superseded documents, changed by a concurrent upload.
      if (failed(1)) throw new DocumentNumberTakenError();
      if (supersede.some((_previous, index) => failed(index + 2)))
        throw new ConflictError('Another document of this type was registered at the same time; try again.');
      throw error;
    }
  }

  async get(customerId: string, documentId: string): Promise<KycDocument | undefined> {
    const result = await this.client.send(
      new GetCommand({
        TableName: this.tableName,
        Key: keys.document(customerId, documentId),
        ConsistentRead: true,
      }),
    );
    return result.Item ? toDocument(result.Item) : undefined;
  }

  private byCustomer(customerId: string) {
    return {
      TableName: this.tableName,
      KeyConditionExpression: 'PK = :pk AND begins_with(SK, :doc)',
      ExpressionAttributeValues: { ':pk': keys.document(customerId, '').PK, ':doc': 'DOC#' },
    };
  }

  async list(customerId: string, options: { limit: number; cursor?: string }): Promise<Page<KycDocument>> {
    const page = await queryPage(this.client, this.byCustomer(customerId), { ...options, newestFirst: true });
    return { ...page, items: page.items.map(toDocument) };
  }

  async listAll(customerId: string): Promise<KycDocument[]> {
    const items = await queryAll(this.client, { ...this.byCustomer(customerId), ConsistentRead: true });
    return items.map(toDocument).reverse();
  }

  async recordCheck(customerId: string, documentId: string, check: CheckRecord): Promise<boolean> {
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.document(customerId, documentId),
          UpdateExpression:
            'SET #status = :status, reason = :reason, sizeBytes = :size, sha256 = :sha, objectVersion = :version, ' +
            'duplicateFile = :duplicate, uploadedAt = :at, checkedAt = :now',
          ConditionExpression: '#status = :awaiting',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: {
            ':status': check.status,
            ':reason': check.reason,
            ':size': check.sizeBytes,
            ':sha': check.sha256,
            ':version': check.objectVersion,
            ':duplicate': check.duplicateFile,
            ':at': check.uploadedAt,
            ':now': check.checkedAt,
            ':awaiting': 'AWAITING_UPLOAD',
          },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }

  async registerFileHash(sha256: string, customerId: string, documentId: string): Promise<boolean> {
    await this.client.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: keys.fileHash(sha256, customerId),
        UpdateExpression: 'SET entity = :entity, customerId = :customer ADD documentIds :document',
        ExpressionAttributeValues: {
          ':entity': 'FileHash',
          ':customer': customerId,
          ':document': new Set([documentId]),
        },
      }),
    );
    const holders = await queryAll(this.client, {
      TableName: this.tableName,
      KeyConditionExpression: 'PK = :pk',
      ExpressionAttributeValues: { ':pk': keys.fileHash(sha256, customerId).PK },
      ProjectionExpression: 'customerId',
    });
    return holders.some((holder) => holder.customerId !== customerId);
  }
}
