import { BatchWriteItemCommand, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { marshall } from '@aws-sdk/util-dynamodb';
import { alertIdFor } from '@domain/fraud/alerts';
import { dynamoClientFor, localCredentials, stackState } from '@test/emulators';
import { startLocalStack, type LocalStack } from '@test/local-stack';
import { eventually } from '@test/scenario';

/*
 * A poison record in the real stack: the running stream poller feeds the real fraud handler a batch with
 * one malformed transaction between two good ones. The good ones are scored (their alerts appear), the
 * bad one is retried and then lands in the stream-failures queue (the on-failure destination) without
 * holding up the shard.
 */
jest.setTimeout(120_000);

let stack: LocalStack;

beforeAll(async () => {
  stack = await startLocalStack();
}, 120_000);

afterAll(async () => {
  await stack?.stop();
});

const transaction = (transactionId: string, overrides: Record<string, unknown> = {}) => {
  const at = new Date().toISOString();
  return {
    PK: `TXN#${transactionId}`,
    SK: 'TXN',
    entity: 'Transaction',
    transactionId,
    // Large, to a payee never paid before: an alert.
    type: 'TRANSFER',
    amount: 9_000_00,
    fee: 0,
    status: 'COMPLETED',
    fromAccount: null,
    toAccount: 'SAV888888888',
    description: 'poison neighbour',
    initiatedBy: 'sub-poison-test',
    parties: ['sub-poison-test'],
    transactionDate: at,
    processedDate: at,
    ...overrides,
  };
};

interface FailureMessage {
  requestContext: { functionArn: string; condition: string; approximateInvokeCount: number };
  DDBStreamBatchInfo: { batchSize: number; startSequenceNumber: string; endSequenceNumber: string };
}

it('sends the poison record to the stream-failures queue and scores the rest of its batch', async () => {
  const state = stackState(stack.dataDir);
  const dynamo = dynamoClientFor(stack.dataDir);
  const good = ['TXNPOISONOK001', 'TXNPOISONOK002'] as const;
  // No initiatedBy: the scorer cannot tell whose transaction it is and throws, on every attempt.
  const { initiatedBy: _dropped, ...poison } = transaction('TXNPOISONBAD01');
  await dynamo.send(
    new BatchWriteItemCommand({
      RequestItems: {
        [state.tableName]: [transaction(good[0]), poison, transaction(good[1])].map((item) => ({
          PutRequest: { Item: marshall(item) },
        })),
      },
    }),
  );

  for (const transactionId of good) {
    const alert = await eventually(
      () =>
        dynamo.send(
          new GetItemCommand({
            TableName: state.tableName,
            Key: marshall({ PK: `ALERT#${alertIdFor(transactionId)}`, SK: 'ALERT' }),
          }),
        ),
      (result) => result.Item !== undefined,
      60_000,
    );
    expect(alert.Item?.transactionId).toEqual({ S: transactionId });
  }

  const sqs = new SQSClient({
    endpoint: state.sqsEndpoint,
    region: 'us-east-1',
    credentials: localCredentials,
  });
  const failures: FailureMessage[] = [];
  await eventually(
    async () => {
      const received = await sqs.send(
        new ReceiveMessageCommand({
          QueueUrl: state.queueUrls.streamFailures,
          MaxNumberOfMessages: 10,
          WaitTimeSeconds: 1,
        }),
      );
      for (const message of received.Messages ?? []) failures.push(JSON.parse(message.Body ?? '{}'));
      return failures;
    },
    (seen) => seen.some((failure) => failure.requestContext.functionArn.endsWith(':FraudScoring')),
    60_000,
  );
  sqs.destroy();
  dynamo.destroy();

  const fraud = failures.filter((failure) => failure.requestContext.functionArn.endsWith(':FraudScoring'));
  // Given up on once, from the bad record on: the good record before it was checkpointed and is not in the
  // range; the one after it may be (a partial batch response retries from the failed record onwards), and
  // it was scored anyway, idempotently, on every attempt.
  expect(fraud).toHaveLength(1);
  const [failure] = fraud;
  expect(failure).toMatchObject({ requestContext: { condition: 'RetryAttemptsExhausted' } });
  expect(failure?.DDBStreamBatchInfo.batchSize).toBeGreaterThanOrEqual(1);
  expect(failure?.DDBStreamBatchInfo.batchSize).toBeLessThanOrEqual(2);
  expect(stack.output()).toContain('sent to the on-failure destination');
});
