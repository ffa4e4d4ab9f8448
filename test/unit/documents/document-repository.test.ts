import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { documentClient } from '@adapters/dynamodb/client';
import { DynamoDocumentRepository } from '@adapters/dynamodb/document-repository';
import type { KycDocument } from '@domain/documents/document';
import { DocumentNumberTakenError } from '@domain/documents/ports';
import { ConflictError } from '@domain/errors';
import { dynamo, resetAwsMocks } from '@test/aws-mocks';

const document = (overrides: Partial<KycDocument> = {}): KycDocument => ({
  documentId: 'DOC01JDQ8Z6Y3K4M5N6P7Q8R9S0T2',
  customerId: 'CUST1234567890',
  ownerSub: 'sub-7',
  userId: 7,
  documentType: 'PASSPORT',
  contentType: 'application/pdf',
  declaredSize: 100,
  status: 'AWAITING_UPLOAD',
  reason: null,
  numberCiphertext: 'ciphertext',
  numberLast4: '4567',
  numberIndex: 'mac',
  createdAt: '2026-11-25T10:00:00Z',
  uploadedAt: null,
  checkedAt: null,
  sizeBytes: null,
  sha256: null,
  objectVersion: null,
  duplicateFile: false,
  ...overrides,
});

const cancelled = (codes: string[]) =>
  new TransactionCanceledException({
    message: 'Transaction cancelled',
    $metadata: {},
    CancellationReasons: codes.map((Code) => ({ Code })),
  });

describe('DynamoDocumentRepository.create', () => {
  const repository = new DynamoDocumentRepository(documentClient, 'table');
  const previous = document({ documentId: 'DOC01JDQ8Z6Y3K4M5N6P7Q8R9S0T1', status: 'VERIFIED' });

  beforeEach(() => resetAwsMocks());

  it('writes the document, claims the number for this customer, and supersedes in one transaction', async () => {
    dynamo.on(TransactWriteCommand).resolves({});

    await repository.create(document(), [previous]);

    const [call] = dynamo.commandCalls(TransactWriteCommand);
    const items = call?.args[0].input.TransactItems ?? [];
    expect(items.map((item) => Object.keys(item)[0])).toEqual(['Put', 'Put', 'Update']);
    expect(items[1]?.Put).toMatchObject({
      Item: { PK: 'UNIQUE#DOCUMENT_NUMBER#mac', customerId: 'CUST1234567890' },
      ConditionExpression: 'attribute_not_exists(PK) OR customerId = :customer',
    });
    expect(items[2]?.Update).toMatchObject({
      Key: { PK: 'CUSTOMER#CUST1234567890', SK: 'DOC#DOC01JDQ8Z6Y3K4M5N6P7Q8R9S0T1' },
      ExpressionAttributeValues: { ':superseded': 'SUPERSEDED', ':was': 'VERIFIED' },
    });
  });

  it('maps a refused number claim to DocumentNumberTakenError', async () => {
    dynamo.on(TransactWriteCommand).rejects(cancelled(['None', 'ConditionalCheckFailed', 'None']));

    await expect(repository.create(document(), [previous])).rejects.toThrow(DocumentNumberTakenError);
  });

  it('maps a document superseded concurrently to a conflict', async () => {
    dynamo.on(TransactWriteCommand).rejects(cancelled(['None', 'None', 'ConditionalCheckFailed']));

    await expect(repository.create(document(), [previous])).rejects.toThrow(ConflictError);
  });
});
