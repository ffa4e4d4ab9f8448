import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { _Record as SdkRecord } from '@aws-sdk/client-dynamodb-streams';
import type { DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import type { StreamConsumer } from '@contract/stream-consumers';
import type { AnyLambdaHandler } from '@local/lambda';
import { createStreamPoller, type StreamPoller, type StreamsApi } from '@local/streams';

/*
 * Shard lineage and iterator trouble, which DynamoDB Local produces only after hours (it rolls its shards over
 * every 4 h, iterators expire after 15 min, records after 24 h): a scripted stream stands in for it here.
 */

const STREAM_ARN = 'arn:aws:dynamodb:ddblocal:000000000000:table/t/stream/2026-01-01T00:00:00.000';

const named = (name: string, message = name) => Object.assign(new Error(message), { name });

interface FakeShard {
  id: string;
  parent?: string;
  records: SdkRecord[];
  closed: boolean;
}

const sequence = (n: number) => String(n).padStart(21, '0');

const record = (n: number): SdkRecord => ({
  eventID: `event-${n}`,
  eventName: 'INSERT',
  eventVersion: '1.1',
  eventSource: 'aws:dynamodb',
  awsRegion: 'ddblocal',
  dynamodb: {
    ApproximateCreationDateTime: new Date(),
    Keys: { PK: { S: `K#${n}` } },
    NewImage: { PK: { S: `K#${n}` } },
    SequenceNumber: sequence(n),
    SizeBytes: 10,
    StreamViewType: 'NEW_AND_OLD_IMAGES',
  },
});

/** A scripted DynamoDB stream: iterators are `<shard>#<index>`; errors can be queued per call. */
class FakeStream implements StreamsApi {
  readonly shards: FakeShard[] = [];
  readonly calls: string[] = [];
  /** Records at or below this sequence number were trimmed. */
  trimmedThrough = 0;
  readonly failGetRecords: string[] = [];

  async describeStream() {
    return {
      $metadata: {},
      StreamDescription: {
        StreamArn: STREAM_ARN,
        Shards: this.shards.map((shard) => ({
          ShardId: shard.id,
          ParentShardId: shard.parent,
          SequenceNumberRange: {
            StartingSequenceNumber: shard.records[0]?.dynamodb?.SequenceNumber,
            EndingSequenceNumber: shard.closed ? shard.records.at(-1)?.dynamodb?.SequenceNumber : undefined,
          },
        })),
      },
    };
  }

  private shard(id: string | undefined): FakeShard {
    const shard = this.shards.find((candidate) => candidate.id === id);
    if (!shard) throw named('ResourceNotFoundException');
    return shard;
  }

  async getShardIterator(input: { ShardId?: string; ShardIteratorType?: string; SequenceNumber?: string }) {
    const shard = this.shard(input.ShardId);
    this.calls.push(`iterator ${shard.id} ${input.ShardIteratorType} ${Number(input.SequenceNumber ?? 0)}`);
    let index = 0;
    if (input.ShardIteratorType === 'AFTER_SEQUENCE_NUMBER') {
      const after = Number(input.SequenceNumber);
      if (after <= this.trimmedThrough) throw named('TrimmedDataAccessException');
      index = shard.records.findIndex((r) => Number(r.dynamodb?.SequenceNumber) > after);
      if (index < 0) index = shard.records.length;
    } else {
      index = shard.records.findIndex((r) => Number(r.dynamodb?.SequenceNumber) > this.trimmedThrough);
      if (index < 0) index = shard.records.length;
    }
    return { $metadata: {}, ShardIterator: `${shard.id}#${index}` };
  }

  async getRecords(input: { ShardIterator?: string; Limit?: number }) {
    const failure = this.failGetRecords.shift();
    if (failure) throw named(failure);
    const [id, position] = (input.ShardIterator ?? '').split('#');
    const shard = this.shard(id);
    const index = Number(position);
    const records = shard.records.slice(index, index + (input.Limit ?? 1000));
    const next = index + records.length;
    return {
      $metadata: {},
      Records: records,
      NextShardIterator: shard.closed && next >= shard.records.length ? undefined : `${shard.id}#${next}`,
    };
  }
}

const consumer: StreamConsumer = {
  id: 'Lineage',
  handler: 'unused.ts',
  capabilities: [],
  summary: 'test',
  batchSize: 100,
  maxBatchingWindowSeconds: 0,
  retryAttempts: 1,
  bisectBatchOnError: false,
  filterPatterns: [],
};

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const waitFor = async (what: string, condition: () => boolean, timeoutMs = 3_000) => {
  for (const deadline = Date.now() + timeoutMs; !condition(); await sleep(10)) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
  }
};

describe('local stream poller: shards and iterators', () => {
  let dir: string;
  const pollers: StreamPoller[] = [];

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'stream-shards-'));
  });

  afterEach(async () => {
    await Promise.all(pollers.splice(0).map((poller) => poller.stop()));
    await rm(dir, { recursive: true, force: true });
  });

  const start = async (stream: FakeStream, checkpointFile = join(dir, 'positions.json')) => {
    const delivered: DynamoDBRecord[] = [];
    const lines: string[] = [];
    const handler = async (event: DynamoDBStreamEvent) => void delivered.push(...event.Records);
    const poller = createStreamPoller({
      consumers: [consumer],
      streams: stream,
      streamArn: STREAM_ARN,
      checkpointFile,
      loadHandler: async () => handler as AnyLambdaHandler,
      pollIntervalMs: 10,
      shardRefreshMs: 50,
      log: (line) => lines.push(line),
      logError: (message) => lines.push(`ERROR ${message}`),
    });
    pollers.push(poller);
    await poller.start();
    return { poller, delivered, lines, keys: () => delivered.map((r) => r.dynamodb?.Keys?.PK?.S) };
  };

  it('reads a parent shard to its end before its child, whatever order DescribeStream lists them in', async () => {
    // Prepare
    const stream = new FakeStream();
    stream.shards.push(
      { id: 'shard-child', parent: 'shard-parent', records: [record(4), record(5)], closed: false },
      { id: 'shard-parent', records: [record(1), record(2), record(3)], closed: true },
    );

    // Act
    const { keys, poller } = await start(stream);
    await waitFor('five records', () => keys().length === 5);
    await poller.stop();

    // Assess
    expect(keys()).toEqual(['K#1', 'K#2', 'K#3', 'K#4', 'K#5']);
    expect(stream.calls.indexOf('iterator shard-parent TRIM_HORIZON 0')).toBeLessThan(
      stream.calls.indexOf('iterator shard-child TRIM_HORIZON 0'),
    );
    const saved = JSON.parse(await readFile(join(dir, 'positions.json'), 'utf8')) as {
      consumers: Record<string, Record<string, unknown>>;
    };
    expect(saved.consumers.Lineage).toEqual({
      'shard-parent': { sequenceNumber: sequence(3), finished: true },
      'shard-child': { sequenceNumber: sequence(5) },
    });
  });

  it('follows a rollover while running: the old shard closes, a child appears', async () => {
    // Prepare
    const stream = new FakeStream();
    const parent: FakeShard = { id: 'shard-1', records: [record(1)], closed: false };
    stream.shards.push(parent);
    const { keys } = await start(stream);
    await waitFor('the first record', () => keys().length === 1);

    // Act
    parent.records.push(record(2));
    parent.closed = true;
    stream.shards.push({ id: 'shard-2', parent: 'shard-1', records: [record(3)], closed: false });
    await waitFor('three records', () => keys().length === 3);

    // Assess
    expect(keys()).toEqual(['K#1', 'K#2', 'K#3']);
  });

  it('renews an expired iterator after the last record read: no record twice, none lost', async () => {
    // Prepare
    const stream = new FakeStream();
    const shard: FakeShard = { id: 'shard-1', records: [record(1), record(2)], closed: false };
    stream.shards.push(shard);
    const { keys } = await start(stream);
    await waitFor('two records', () => keys().length === 2);

    // Act
    stream.failGetRecords.push('ExpiredIteratorException');
    shard.records.push(record(3));
    await waitFor('the third record', () => keys().length === 3);
    await sleep(100);

    // Assess
    expect(keys()).toEqual(['K#1', 'K#2', 'K#3']);
    expect(stream.calls).toContain('iterator shard-1 AFTER_SEQUENCE_NUMBER 2');
  });

  it('starts from TRIM_HORIZON when its checkpoint was trimmed away (24 h retention), and says so', async () => {
    // Prepare: a first run processes 1-2, then records up to 3 are trimmed while it is stopped.
    const stream = new FakeStream();
    stream.shards.push({ id: 'shard-1', records: [record(1), record(2)], closed: false });
    const first = await start(stream);
    await waitFor('two records', () => first.keys().length === 2);
    await first.poller.stop();
    stream.shards[0]!.records.push(record(3), record(4));
    stream.trimmedThrough = 3;

    // Act
    const second = await start(stream);
    await waitFor('record 4', () => second.keys().length === 1);

    // Assess
    expect(second.keys()).toEqual(['K#4']);
    expect(second.lines.join('\n')).toMatch(
      /position 2 is no longer in the stream \(TrimmedDataAccessException\)/,
    );
  });
});
