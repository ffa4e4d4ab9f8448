import { QueryCommand } from '@aws-sdk/client-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBStreamEvent } from 'aws-lambda';
import { dynamoClientFor, stackState } from '@test/emulators';
import { lambdaContext } from '@test/events';
import { startLocalStack, type LocalStack } from '@test/local-stack';
import type { handler as AuditHandler } from '@functions/stream-audit/handler';
import type { handler as FraudHandler } from '@functions/stream-fraud/handler';
import { alertIdFor } from '@domain/fraud/alerts';

/*
 * The handler modules create their SDK clients when loaded, so they are loaded only after the stack's
 * endpoints are in the environment.
 */
/* eslint-disable @typescript-eslint/no-require-imports */
const loadFraud = () =>
  (require('@functions/stream-fraud/handler') as { handler: typeof FraudHandler }).handler;
const loadAudit = () =>
  (require('@functions/stream-audit/handler') as { handler: typeof AuditHandler }).handler;
/* eslint-enable @typescript-eslint/no-require-imports */

/*
 * Both stream consumers are idempotent per record: the same batch delivered twice (a retry after a
 * partial failure, or a replay) creates no second alert, hold or audit record. The handlers run here,
 * in-process, against the stack's DynamoDB Local.
 */
jest.setTimeout(60_000);

let stack: LocalStack;

beforeAll(async () => {
  stack = await startLocalStack();
  const state = stackState(stack.dataDir);
  Object.assign(process.env, {
    TABLE_NAME: state.tableName,
    AWS_ENDPOINT_URL_DYNAMODB: state.dynamodbEndpoint,
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
  });
}, 120_000);

afterAll(async () => {
  await stack?.stop();
});

const transactionInsert = (transactionId: string): DynamoDBStreamEvent => {
  const at = new Date().toISOString();
  const record = {
    PK: `TXN#${transactionId}`,
    SK: 'TXN',
    entity: 'Transaction',
    transactionId,
    // Large, to a payee never paid before: 35 + 15 points, a MEDIUM alert.
    type: 'TRANSFER',
    amount: 9_000_00,
    fee: 0,
    status: 'COMPLETED',
    fromAccount: null,
    toAccount: 'SAV999999999',
    description: 'replayed',
    initiatedBy: 'sub-replay',
    parties: ['sub-replay'],
    transactionDate: at,
    processedDate: at,
  };
  return {
    Records: [
      {
        eventID: `event-${transactionId}`,
        eventName: 'INSERT',
        eventVersion: '1.1',
        eventSource: 'aws:dynamodb',
        awsRegion: 'us-east-1',
        dynamodb: {
          Keys: marshall({ PK: record.PK, SK: record.SK }) as never,
          NewImage: marshall(record, { removeUndefinedValues: true }) as never,
          SequenceNumber: '100',
          SizeBytes: 300,
          StreamViewType: 'NEW_AND_OLD_IMAGES',
          ApproximateCreationDateTime: Date.now() / 1000,
        },
        eventSourceARN: 'arn:aws:dynamodb:us-east-1:000000000000:table/x/stream/now',
      },
    ],
  };
};

const countItems = async (pk: string, skPrefix?: string) => {
  const client = dynamoClientFor(stack.dataDir);
  const result = await client.send(
    new QueryCommand({
      TableName: stackState(stack.dataDir).tableName,
      KeyConditionExpression: skPrefix ? 'PK = :pk AND begins_with(SK, :sk)' : 'PK = :pk',
      ExpressionAttributeValues: skPrefix
        ? { ':pk': { S: pk }, ':sk': { S: skPrefix } }
        : { ':pk': { S: pk } },
      Select: 'COUNT',
    }),
  );
  client.destroy();
  return result.Count ?? 0;
};

it('creates one fraud alert for a transaction delivered twice', async () => {
  const handler = loadFraud();
  const event = transactionInsert('TXNREPLAY00001');

  const first = await handler(event, lambdaContext('FraudScoring'));
  const second = await handler(event, lambdaContext('FraudScoring'));

  expect(first).toEqual({ batchItemFailures: [] });
  expect(second).toEqual({ batchItemFailures: [] });
  expect(await countItems(`ALERT#${alertIdFor('TXNREPLAY00001')}`)).toBe(1);
});

it('appends one audit record for a change delivered twice', async () => {
  const handler = loadAudit();
  const event = transactionInsert('TXNREPLAY00002');

  await handler(event, lambdaContext('AuditTrail'));
  await handler(event, lambdaContext('AuditTrail'));

  // The running stack's own stream poller appends records too: count only this event's.
  const client = dynamoClientFor(stack.dataDir);
  const result = await client.send(
    new QueryCommand({
      TableName: stackState(stack.dataDir).tableName,
      KeyConditionExpression: 'PK = :pk',
      FilterExpression: 'sourceEventId = :event',
      ExpressionAttributeValues: { ':pk': { S: 'AUDIT#LOG' }, ':event': { S: 'event-TXNREPLAY00002' } },
    }),
  );
  client.destroy();
  expect(result.Items ?? []).toHaveLength(1);
});
