import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  BatchWriteItemCommand,
  CreateTableCommand,
  DeleteItemCommand,
  DescribeTableCommand,
  DynamoDBClient,
  PutItemCommand,
  UpdateItemCommand,
  type AttributeValue as DdbValue,
} from '@aws-sdk/client-dynamodb';
import { CreateQueueCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import type { StreamConsumer } from '@contract/stream-consumers';
import * as dynamodbEmulator from '@local/emulators/dynamodb';
import * as sqsEmulator from '@local/emulators/sqs';
import type { RunningEmulator } from '@local/emulators/support';
import { HandlerNotFoundError, type AnyLambdaHandler } from '@local/lambda';
import {
  createStreamPoller,
  type StreamFailureMessage,
  type StreamPoller,
  type StreamPollerOptions,
} from '@local/streams';

/*
 * The local stream poller (the runtime's stand-in for Lambda event source mappings) against a REAL
 * DynamoDB Local stream and the local SQS, with fake handlers recording what they were given.
 */

const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };
const clientConfig = (endpoint: string) => ({ endpoint, region: 'us-east-1', credentials, maxAttempts: 2 });

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const waitFor = async (what: string, condition: () => boolean, timeoutMs = 8_000): Promise<void> => {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(20);
  }
};

const consumer = (overrides: Partial<StreamConsumer> & Pick<StreamConsumer, 'id'>): StreamConsumer => ({
  handler: `test/${overrides.id}.ts`,
  capabilities: [],
  summary: 'test consumer',
  batchSize: 10,
  maxBatchingWindowSeconds: 0,
  retryAttempts: 2,
  bisectBatchOnError: true,
  filterPatterns: [],
  ...overrides,
});

/** A fake handler that records every invocation's records (and when it got them). */
const recorder = (behaviour?: (records: DynamoDBRecord[], call: number) => unknown) => {
  const calls: { records: DynamoDBRecord[]; at: number }[] = [];
  const handler = async (event: DynamoDBStreamEvent) => {
    calls.push({ records: event.Records, at: Date.now() });
    return behaviour?.(event.Records, calls.length);
  };
  return {
    calls,
    handler,
    /** Every record of every invocation, in delivery order. */
    delivered: () => calls.flatMap((call) => call.records),
    keys: () => calls.flatMap((call) => call.records.map(pkOf)),
  };
};

const pkOf = (record: DynamoDBRecord) => record.dynamodb?.Keys?.PK?.S ?? '?';
const seqOf = (record: DynamoDBRecord) => BigInt(record.dynamodb?.SequenceNumber ?? '0');

describe('local stream poller (DynamoDB Local streams -> stream consumers)', () => {
  let dataDir: string;
  let ddbEmulator: RunningEmulator;
  let queueEmulator: RunningEmulator;
  let ddb: DynamoDBClient;
  let sqs: SQSClient;
  let failureQueueUrl: string;
  let tables = 0;
  const pollers: StreamPoller[] = [];

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'local-streams-'));
    [ddbEmulator, queueEmulator] = await Promise.all([
      dynamodbEmulator.start({ dataDir: join(dataDir, 'dynamodb') }),
      sqsEmulator.start(),
    ]);
    ddb = new DynamoDBClient(clientConfig(ddbEmulator.endpoint));
    sqs = new SQSClient(clientConfig(queueEmulator.endpoint));
    const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: 'stream-failures' }));
    failureQueueUrl = QueueUrl as string;
  }, 60_000);

  afterEach(async () => {
    await Promise.all(pollers.splice(0).map((poller) => poller.stop()));
  });

  afterAll(async () => {
    ddb?.destroy();
    sqs?.destroy();
    await Promise.allSettled([ddbEmulator?.stop(), queueEmulator?.stop()]);
    await rm(dataDir, { recursive: true, force: true });
  }, 30_000);

  /** A new table (and so a new stream) per test: each starts from an empty stream. */
  const createTable = async (): Promise<{ tableName: string; streamArn: string }> => {
    tables += 1;
    const tableName = `streams-test-${tables}`;
    await ddb.send(
      new CreateTableCommand({
        TableName: tableName,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [
          { AttributeName: 'PK', AttributeType: 'S' },
          { AttributeName: 'SK', AttributeType: 'S' },
        ],
        KeySchema: [
          { AttributeName: 'PK', KeyType: 'HASH' },
          { AttributeName: 'SK', KeyType: 'RANGE' },
        ],
        StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' },
      }),
    );
    const { Table } = await ddb.send(new DescribeTableCommand({ TableName: tableName }));
    return { tableName, streamArn: Table?.LatestStreamArn as string };
  };

  const put = (tableName: string, pk: string, attributes: Record<string, DdbValue> = {}) =>
    ddb.send(
      new PutItemCommand({ TableName: tableName, Item: { PK: { S: pk }, SK: { S: 'A' }, ...attributes } }),
    );

  /** One request, so the items reach the stream together. */
  const putAll = (tableName: string, items: Record<string, DdbValue>[]) =>
    ddb.send(
      new BatchWriteItemCommand({
        RequestItems: {
          [tableName]: items.map((item) => ({ PutRequest: { Item: { SK: { S: 'A' }, ...item } } })),
        },
      }),
    );

  const startPoller = async (
    tableName: string,
    handlers: Record<string, { handler: unknown }>,
    options: Partial<StreamPollerOptions> & Pick<StreamPollerOptions, 'consumers'>,
  ) => {
    const lines: string[] = [];
    const poller = createStreamPoller({
      endpoint: ddbEmulator.endpoint,
      tableName,
      loadHandler: async (definition) => {
        const entry = handlers[definition.id];
        if (!entry) throw new HandlerNotFoundError(definition.handler);
        return entry.handler as AnyLambdaHandler;
      },
      pollIntervalMs: 50,
      retryDelayMs: 10,
      log: (line) => lines.push(line),
      logError: (message) => lines.push(`ERROR ${message}`),
      ...options,
    });
    pollers.push(poller);
    const started = await poller.start();
    return { poller, lines, started };
  };

  it('delivers INSERT, MODIFY and REMOVE in order as a Lambda DynamoDBStreamEvent with both images', async () => {
    // Prepare
    const { tableName, streamArn } = await createTable();
    const audit = recorder();
    const { started } = await startPoller(
      tableName,
      { All: audit },
      { consumers: [consumer({ id: 'All' })] },
    );
    const written = Math.floor(Date.now() / 1000);

    // Act
    await put(tableName, 'ACC#1', {
      balance: { N: '100' },
      tags: { SS: ['a', 'b'] },
      blob: { B: Buffer.from('hi') },
    });
    await ddb.send(
      new UpdateItemCommand({
        TableName: tableName,
        Key: { PK: { S: 'ACC#1' }, SK: { S: 'A' } },
        UpdateExpression: 'SET balance = :b',
        ExpressionAttributeValues: { ':b': { N: '250' } },
      }),
    );
    await ddb.send(
      new DeleteItemCommand({ TableName: tableName, Key: { PK: { S: 'ACC#1' }, SK: { S: 'A' } } }),
    );
    await waitFor('three records', () => audit.delivered().length >= 3);

    // Assess
    expect(started).toMatchObject({ streamArn, consumers: [{ id: 'All', from: 'TRIM_HORIZON' }] });
    const [insert, modify, remove] = audit.delivered() as [DynamoDBRecord, DynamoDBRecord, DynamoDBRecord];
    expect(audit.delivered().map((record) => record.eventName)).toEqual(['INSERT', 'MODIFY', 'REMOVE']);
    expect(seqOf(insert) < seqOf(modify) && seqOf(modify) < seqOf(remove)).toBe(true);
    expect(insert).toEqual({
      eventID: expect.any(String),
      eventName: 'INSERT',
      eventVersion: '1.1',
      eventSource: 'aws:dynamodb',
      awsRegion: 'us-east-1',
      dynamodb: {
        ApproximateCreationDateTime: expect.any(Number),
        Keys: { PK: { S: 'ACC#1' }, SK: { S: 'A' } },
        NewImage: {
          PK: { S: 'ACC#1' },
          SK: { S: 'A' },
          balance: { N: '100' },
          tags: { SS: ['a', 'b'] },
          blob: { B: Buffer.from('hi').toString('base64') },
        },
        SequenceNumber: expect.stringMatching(/^\d+$/),
        SizeBytes: expect.any(Number),
        StreamViewType: 'NEW_AND_OLD_IMAGES',
      },
      eventSourceARN: streamArn,
    });
    // DynamoDB Local rounds the creation time down to the minute.
    expect(Math.abs((insert.dynamodb?.ApproximateCreationDateTime ?? 0) - written)).toBeLessThanOrEqual(61);
    expect(modify.dynamodb?.OldImage?.balance).toEqual({ N: '100' });
    expect(modify.dynamodb?.NewImage?.balance).toEqual({ N: '250' });
    expect(remove.dynamodb?.NewImage).toBeUndefined();
    expect(remove.dynamodb?.OldImage?.balance).toEqual({ N: '250' });
  });

  it('delivers a write within a poll interval or so (batching window 0)', async () => {
    // Prepare
    const { tableName } = await createTable();
    const fast = recorder();
    await startPoller(
      tableName,
      { Fast: fast },
      { consumers: [consumer({ id: 'Fast' })], pollIntervalMs: 200 },
    );
    await sleep(300);

    // Act
    const latencies: number[] = [];
    for (let index = 0; index < 5; index += 1) {
      const before = Date.now();
      await put(tableName, `TX#${index}`);
      await waitFor('the write', () => fast.delivered().length > index);
      latencies.push((fast.calls.at(-1)?.at ?? 0) - before);
    }

    // Assess: a poll every 200 ms plus a GetRecords round trip.
    expect(Math.max(...latencies)).toBeLessThan(1_500);
  });

  it('applies each consumer its own filters, and one failing consumer never holds another back', async () => {
    // Prepare
    const { tableName } = await createTable();
    const fraud = recorder();
    const audit = recorder();
    const broken = recorder(() => {
      throw new Error('always fails');
    });
    const failures: StreamFailureMessage[] = [];
    await startPoller(
      tableName,
      { Fraud: fraud, Audit: audit, Broken: broken },
      {
        consumers: [
          consumer({
            id: 'Fraud',
            filterPatterns: [
              { eventName: ['INSERT'], dynamodb: { NewImage: { entity: { S: ['Transaction'] } } } },
            ],
          }),
          consumer({
            id: 'Audit',
            filterPatterns: [
              { dynamodb: { Keys: { PK: { S: [{ 'anything-but': { prefix: 'AUDIT#' } }] } } } },
            ],
          }),
          consumer({ id: 'Broken', retryAttempts: 1000, bisectBatchOnError: false }),
        ],
        retryDelayMs: 50,
        onFailure: async (message) => void failures.push(message),
      },
    );

    // Act
    await put(tableName, 'TX#1', { entity: { S: 'Transaction' } });
    await put(tableName, 'ACC#1', { entity: { S: 'Account' } });
    await put(tableName, 'TX#1', { entity: { S: 'Transaction' }, status: { S: 'SETTLED' } });
    await put(tableName, 'AUDIT#1', { entity: { S: 'Audit' } });
    await put(tableName, 'TX#2', { entity: { S: 'Transaction' } });
    await waitFor('TX#2 at both', () => fraud.keys().includes('TX#2') && audit.keys().includes('TX#2'));

    // Assess
    expect(fraud.keys()).toEqual(['TX#1', 'TX#2']);
    expect(fraud.delivered().map((record) => record.eventName)).toEqual(['INSERT', 'INSERT']);
    expect(audit.keys()).toEqual(['TX#1', 'ACC#1', 'TX#1', 'TX#2']);
    // Still retrying its first batch, alone (on a loaded machine the retry may come a moment later).
    await waitFor('a retry of the broken batch', () => broken.calls.length > 1);
    expect(broken.calls.length).toBeGreaterThan(1);
    expect(broken.calls.every((call) => pkOf(call.records[0] as DynamoDBRecord) === 'TX#1')).toBe(true);
    expect(failures).toEqual([]);
  });

  it('batches up to batchSize, and waits at most the batching window for a batch to fill', async () => {
    // Prepare
    const { tableName } = await createTable();
    const small = recorder();
    const windowed = recorder();
    await startPoller(
      tableName,
      { Small: small, Windowed: windowed },
      {
        consumers: [
          consumer({ id: 'Small', batchSize: 3, maxBatchingWindowSeconds: 1 }),
          consumer({ id: 'Windowed', batchSize: 10, maxBatchingWindowSeconds: 1 }),
        ],
      },
    );

    // Act
    await putAll(
      tableName,
      Array.from({ length: 7 }, (_, index) => ({ PK: { S: `ITEM#${index}` } })),
    );
    await waitFor('seven records', () => small.delivered().length === 7 && windowed.delivered().length === 7);
    const lone = Date.now();
    await put(tableName, 'LONE#1');
    await waitFor(
      'the lone record',
      () => windowed.delivered().length === 8 && small.delivered().length === 8,
    );

    // Assess
    expect(small.calls.map((call) => call.records.length)).toEqual([3, 3, 1, 1]);
    expect(small.delivered().map(seqOf)).toEqual(
      [...small.delivered().map(seqOf)].sort((a, b) => (a < b ? -1 : 1)),
    );
    expect(windowed.calls.map((call) => call.records.length)).toEqual([7, 1]);
    const waited = (windowed.calls.at(-1)?.at ?? 0) - lone;
    expect(waited).toBeGreaterThanOrEqual(900);
    expect(waited).toBeLessThan(2_500);
  });

  it('retries a partial batch failure from the failed record only (ReportBatchItemFailures)', async () => {
    // Prepare
    const { tableName } = await createTable();
    const partial = recorder((records, call): DynamoDBBatchResponse | undefined =>
      call === 1
        ? { batchItemFailures: [{ itemIdentifier: records[2]?.dynamodb?.SequenceNumber ?? '' }] }
        : undefined,
    );
    const { poller } = await startPoller(
      tableName,
      { Partial: partial },
      { consumers: [consumer({ id: 'Partial', batchSize: 5, maxBatchingWindowSeconds: 2 })] },
    );

    // Act
    await putAll(
      tableName,
      Array.from({ length: 5 }, (_, index) => ({ PK: { S: `P#${index}` } })),
    );
    await waitFor('the retry', () => partial.calls.length === 2);
    await sleep(200);

    // Assess
    const [first, retry] = partial.calls.map((call) => call.records.map(pkOf)) as [string[], string[]];
    expect(first).toHaveLength(5);
    expect(retry).toEqual(first.slice(2));
    expect(partial.calls).toHaveLength(2);
    const last = partial.calls[1]?.records.at(-1)?.dynamodb?.SequenceNumber;
    expect(Object.values(poller.positions().Partial ?? {})).toEqual([{ sequenceNumber: last }]);
  });

  it('bisects a failing batch, sends the poison record to the streamFailures queue and moves on', async () => {
    // Prepare
    const { tableName, streamArn } = await createTable();
    const isPoison = (record: DynamoDBRecord) => record.dynamodb?.NewImage?.poison?.BOOL === true;
    const fraud = recorder((records) => {
      if (records.some(isPoison)) throw new Error('cannot score this transaction');
    });
    await startPoller(
      tableName,
      { Fraud: fraud },
      {
        consumers: [
          consumer({
            id: 'Fraud',
            batchSize: 8,
            maxBatchingWindowSeconds: 1,
            retryAttempts: 2,
            bisectBatchOnError: true,
          }),
        ],
        failureQueue: { url: failureQueueUrl, endpoint: queueEmulator.endpoint },
      },
    );

    // Act
    await putAll(
      tableName,
      Array.from({ length: 8 }, (_, index) => ({
        PK: { S: `TX#${index}` },
        ...(index === 4 ? { poison: { BOOL: true } } : {}),
      })),
    );
    const messages: StreamFailureMessage[] = [];
    for (
      const deadline = Date.now() + 10_000;
      messages.length === 0 && Date.now() < deadline;
      await sleep(50)
    ) {
      const { Messages } = await sqs.send(
        new ReceiveMessageCommand({ QueueUrl: failureQueueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 0 }),
      );
      messages.push(
        ...(Messages ?? []).map((message) => JSON.parse(message.Body ?? '{}') as StreamFailureMessage),
      );
    }
    await put(tableName, 'TX#after');
    await waitFor('the next record', () => fraud.keys().includes('TX#after'));

    // Assess
    const succeeded = fraud.calls
      .filter((call) => !call.records.some(isPoison))
      .flatMap((call) => call.records);
    const poison = fraud.delivered().find(isPoison) as DynamoDBRecord;
    expect(succeeded.map(pkOf).sort()).toEqual([
      'TX#0',
      'TX#1',
      'TX#2',
      'TX#3',
      'TX#5',
      'TX#6',
      'TX#7',
      'TX#after',
    ]);
    expect(succeeded.map(seqOf)).toEqual([...succeeded.map(seqOf)].sort((a, b) => (a < b ? -1 : 1)));
    // 8 -> 4 + 4 -> 2 + 2 -> 1 + 1, then the lone poison record is retried twice.
    expect(
      fraud.calls.filter((call) => call.records.length === 1 && isPoison(call.records[0]!)),
    ).toHaveLength(3);
    expect(messages).toHaveLength(1);
    expect(messages[0]).toEqual({
      requestContext: {
        requestId: expect.any(String),
        functionArn: expect.stringMatching(/^arn:aws:lambda:us-east-1:000000000000:function:.*Fraud$/),
        condition: 'RetryAttemptsExhausted',
        approximateInvokeCount: 3,
      },
      responseContext: { statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' },
      version: '1.0',
      timestamp: expect.any(String),
      DDBStreamBatchInfo: {
        shardId: expect.stringMatching(/^shardId-/),
        startSequenceNumber: poison.dynamodb?.SequenceNumber,
        endSequenceNumber: poison.dynamodb?.SequenceNumber,
        approximateArrivalOfFirstRecord: expect.any(String),
        approximateArrivalOfLastRecord: expect.any(String),
        batchSize: 1,
        streamArn,
      },
    });
  });

  it('resumes after a restart from the checkpoint: nothing redelivered, nothing lost', async () => {
    // Prepare
    const { tableName } = await createTable();
    const checkpointFile = join(dataDir, 'restart', 'positions.json');
    const before = recorder();
    const first = await startPoller(
      tableName,
      { C: before },
      { consumers: [consumer({ id: 'C' })], checkpointFile },
    );
    await put(tableName, 'R#1');
    await put(tableName, 'R#2');
    await put(tableName, 'R#3');
    await waitFor('three records', () => before.delivered().length === 3);
    await first.poller.stop();

    // Act
    await put(tableName, 'R#4');
    await put(tableName, 'R#5');
    const after = recorder();
    const second = await startPoller(
      tableName,
      { C: after },
      { consumers: [consumer({ id: 'C' })], checkpointFile },
    );
    await waitFor('two records', () => after.delivered().length >= 2);
    await sleep(300);

    // Assess
    expect(before.keys()).toEqual(['R#1', 'R#2', 'R#3']);
    expect(after.keys()).toEqual(['R#4', 'R#5']);
    expect(second.started.consumers[0]?.from).toBe(
      `after ${before.delivered()[2]?.dynamodb?.SequenceNumber?.replace(/^0+/, '')}`,
    );
  });

  it('abandons an in-flight batch on stop without checkpointing it: the next start delivers it again', async () => {
    // Prepare
    const { tableName } = await createTable();
    const checkpointFile = join(dataDir, 'abandon', 'positions.json');
    let release: () => void = () => undefined;
    const stuck = recorder(() => new Promise<void>((resolve) => (release = resolve)));
    const first = await startPoller(
      tableName,
      { C: stuck },
      { consumers: [consumer({ id: 'C' })], checkpointFile, stopGraceMs: 100 },
    );
    await put(tableName, 'S#1');
    await waitFor('the invocation', () => stuck.calls.length === 1);

    // Act
    await first.poller.stop();
    release();
    const again = recorder();
    await startPoller(tableName, { C: again }, { consumers: [consumer({ id: 'C' })], checkpointFile });
    await waitFor('the redelivery', () => again.delivered().length === 1);

    // Assess
    expect(first.lines.join('\n')).toMatch(/abandoned/);
    expect(first.poller.positions()).toEqual({});
    expect(again.keys()).toEqual(['S#1']);
  });

  it('keeps the position while the handler module is missing, and delivers once it exists', async () => {
    // Prepare: the default loader, importing from a repo root where the module does not exist (yet).
    const { tableName } = await createTable();
    const checkpointFile = join(dataDir, 'missing', 'positions.json');
    const repoRoot = await mkdtemp(join(tmpdir(), 'streams-handler-'));
    const late = consumer({ id: 'Late', handler: 'late/handler.js' });
    const missing = await startPoller(
      tableName,
      {},
      { consumers: [late], loadHandler: undefined, repoRoot, loadRetryMs: 100, checkpointFile },
    );
    await put(tableName, 'L#1');
    await put(tableName, 'L#2');
    await sleep(500);
    await missing.poller.stop();

    // Act: the module exists at the next start. (Under tsx the running poller also picks it up within
    // loadRetryMs; jest caches a failed module resolution, so here it takes a restart, as in the brief.)
    await mkdir(join(repoRoot, 'late'));
    await writeFile(join(repoRoot, 'late', 'handler.js'), 'exports.handler = async () => undefined;\n');
    const found = recorder();
    await startPoller(tableName, { Late: found }, { consumers: [late], checkpointFile });
    await waitFor('both records', () => found.delivered().length === 2);

    // Assess
    expect(missing.lines).toEqual([
      '[stream Late] late/handler.js does not exist yet; its records wait in the stream (position kept)',
    ]);
    expect(missing.poller.positions()).toEqual({});
    expect(found.keys()).toEqual(['L#1', 'L#2']);
    await rm(repoRoot, { recursive: true, force: true });
  });
});
