import { randomUUID } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  DescribeStreamCommand,
  DynamoDBStreamsClient,
  GetRecordsCommand,
  GetShardIteratorCommand,
  type _Record as SdkRecord,
  type AttributeValue as SdkAttributeValue,
  type DescribeStreamCommandInput,
  type DescribeStreamCommandOutput,
  type GetRecordsCommandInput,
  type GetRecordsCommandOutput,
  type GetShardIteratorCommandInput,
  type GetShardIteratorCommandOutput,
  type Shard,
} from '@aws-sdk/client-dynamodb-streams';
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { AttributeValue, DynamoDBRecord, DynamoDBStreamEvent, StreamRecord } from 'aws-lambda';
import type { StreamConsumer } from '@contract/stream-consumers';
import { FAKE_CREDENTIALS, LOCAL_REGION } from './emulators/support';
import {
  HandlerNotFoundError,
  LOCAL_ACCOUNT_ID,
  createLambdaContext,
  importHandler,
  invokeHandler,
  type AnyLambdaHandler,
} from './lambda';
import { compileFilter, describeFilter, type CompiledFilter } from './stream-filter';

/*
 * The local stand-in for Lambda event source mappings on the table's DynamoDB stream. Each consumer of the
 * contract (src/contract/stream-consumers.ts) reads the stream on its own, from its own position: filter
 * patterns, batch size and batching window, ReportBatchItemFailures, bisection on error, retries, and the
 * on-failure destination (the streamFailures queue) behave as the mapping does in AWS. Positions are
 * checkpointed per consumer and shard in the data dir, so a restart resumes after the last processed record.
 */

// ------------------------------------------------------------------------------------------ Lambda shapes

const base64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');

/** An SDK AttributeValue (binary as bytes) as it appears in a Lambda event (binary as base64). */
const toEventValue = (value: SdkAttributeValue): AttributeValue => {
  if (value.S !== undefined) return { S: value.S };
  if (value.N !== undefined) return { N: value.N };
  if (value.BOOL !== undefined) return { BOOL: value.BOOL };
  if (value.NULL !== undefined) return { NULL: value.NULL };
  if (value.B !== undefined) return { B: base64(value.B) };
  if (value.SS !== undefined) return { SS: [...value.SS] };
  if (value.NS !== undefined) return { NS: [...value.NS] };
  if (value.BS !== undefined) return { BS: value.BS.map(base64) };
  if (value.L !== undefined) return { L: value.L.map(toEventValue) };
  if (value.M !== undefined) return { M: toEventImage(value.M) };
  throw new Error(`Unknown attribute value type: ${Object.keys(value).join(', ')}`);
};

const toEventImage = (image: Record<string, SdkAttributeValue>): Record<string, AttributeValue> =>
  Object.fromEntries(Object.entries(image).map(([name, value]) => [name, toEventValue(value)]));

/**
 * A stream record as Lambda delivers it: ApproximateCreationDateTime in epoch seconds, binary as base64,
 * `eventSourceARN` set, absent fields left out (a filter's `exists` must not see them).
 */
export const toLambdaRecord = (record: SdkRecord, streamArn: string, region: string): DynamoDBRecord => {
  const source = record.dynamodb ?? {};
  const dynamodb: StreamRecord = {};
  if (source.ApproximateCreationDateTime) {
    dynamodb.ApproximateCreationDateTime = Math.floor(source.ApproximateCreationDateTime.getTime() / 1000);
  }
  if (source.Keys) dynamodb.Keys = toEventImage(source.Keys);
  if (source.NewImage) dynamodb.NewImage = toEventImage(source.NewImage);
  if (source.OldImage) dynamodb.OldImage = toEventImage(source.OldImage);
  if (source.SequenceNumber) dynamodb.SequenceNumber = source.SequenceNumber;
  if (source.SizeBytes !== undefined) dynamodb.SizeBytes = source.SizeBytes;
  if (source.StreamViewType) dynamodb.StreamViewType = source.StreamViewType;
  const event: DynamoDBRecord = {};
  if (record.eventID) event.eventID = record.eventID;
  if (record.eventName) event.eventName = record.eventName;
  event.eventVersion = record.eventVersion ?? '1.1';
  event.eventSource = 'aws:dynamodb';
  // DynamoDB Local says "ddblocal" here; Lambda says the function's region.
  event.awsRegion = region;
  event.dynamodb = dynamodb;
  event.eventSourceARN = streamArn;
  // TTL deletions carry the service identity.
  if (record.userIdentity) event.userIdentity = { ...record.userIdentity };
  return event;
};

/** What Lambda sends to an on-failure destination for a stream batch it gave up on. */
export interface StreamFailureMessage {
  requestContext: {
    requestId: string;
    functionArn: string;
    condition: 'RetryAttemptsExhausted';
    approximateInvokeCount: number;
  };
  responseContext: { statusCode: number; executedVersion: string; functionError?: string };
  version: '1.0';
  timestamp: string;
  DDBStreamBatchInfo: {
    shardId: string;
    startSequenceNumber: string;
    endSequenceNumber: string;
    approximateArrivalOfFirstRecord?: string;
    approximateArrivalOfLastRecord?: string;
    batchSize: number;
    streamArn: string;
  };
}

// ------------------------------------------------------------------------------------------------ the API

/** The three DynamoDB Streams calls the poller makes (tests can pass a fake). */
export interface StreamsApi {
  describeStream(input: DescribeStreamCommandInput): Promise<DescribeStreamCommandOutput>;
  getShardIterator(input: GetShardIteratorCommandInput): Promise<GetShardIteratorCommandOutput>;
  getRecords(input: GetRecordsCommandInput): Promise<GetRecordsCommandOutput>;
}

const sdkStreamsApi = (client: DynamoDBStreamsClient): StreamsApi => ({
  describeStream: (input) => client.send(new DescribeStreamCommand(input)),
  getShardIterator: (input) => client.send(new GetShardIteratorCommand(input)),
  getRecords: (input) => client.send(new GetRecordsCommand(input)),
});

const errorName = (error: unknown) => (error instanceof Error ? error.name : '');
const errorText = (error: unknown) =>
  error instanceof Error ? `${error.name}: ${error.message}` : String(error);

/** Stream sequence numbers are decimal strings of varying length (DynamoDB Local pads them to 21). */
export const compareSequenceNumbers = (a: string, b: string): number => {
  const left = BigInt(a);
  const right = BigInt(b);
  return left < right ? -1 : left > right ? 1 : 0;
};

const shortSequence = (sequence: string) => sequence.replace(/^0+(?=\d)/, '');

/** `seq 12-14` (or `seq 12`) for log lines: DynamoDB Local pads sequence numbers with zeros. */
const describeRange = (first: string, last: string) =>
  first === last ? `seq ${shortSequence(first)}` : `seq ${shortSequence(first)}-${shortSequence(last)}`;

// ------------------------------------------------------------------------------------------- checkpoints

interface ShardPosition {
  /** Last record done (delivered, skipped by the filter, or sent to the failure destination). */
  sequenceNumber?: string;
  /** Closed shard read to its end: its children may start. */
  finished?: boolean;
}

interface CheckpointFile {
  version: 1;
  streamArn: string;
  updatedAt: string;
  consumers: Record<string, Record<string, ShardPosition>>;
}

/** Positions per consumer and shard, written atomically (temp file + rename) after each change. */
class CheckpointStore {
  private data: CheckpointFile = { version: 1, streamArn: '', updatedAt: '', consumers: {} };
  private writing: Promise<void> | undefined;
  private dirty = false;
  private closed = false;

  constructor(private readonly file: string | undefined) {}

  /** Loads the positions of `streamArn`; returns why older positions were dropped, if they were. */
  async load(streamArn: string): Promise<string | undefined> {
    let note: string | undefined;
    if (this.file) {
      let text: string | undefined;
      try {
        text = await readFile(this.file, 'utf8');
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      }
      if (text !== undefined) {
        const parsed = JSON.parse(text) as CheckpointFile;
        if (parsed?.version !== 1 || typeof parsed.consumers !== 'object') {
          throw new Error(
            `${this.file} is not a stream checkpoint file (version 1); delete it to start over`,
          );
        }
        if (parsed.streamArn === streamArn) this.data = parsed;
        else
          note = `the table's stream changed (${parsed.streamArn} -> ${streamArn}): reading from the start`;
      }
    }
    this.data.streamArn = streamArn;
    return note;
  }

  get(consumer: string, shardId: string): ShardPosition | undefined {
    return this.data.consumers[consumer]?.[shardId];
  }

  set(consumer: string, shardId: string, position: ShardPosition): void {
    (this.data.consumers[consumer] ??= {})[shardId] = position;
  }

  /** Forgets shards the stream no longer lists (trimmed after 24 h). */
  prune(consumer: string, liveShardIds: ReadonlySet<string>): void {
    const shards = this.data.consumers[consumer];
    if (!shards) return;
    for (const shardId of Object.keys(shards)) if (!liveShardIds.has(shardId)) delete shards[shardId];
  }

  /** Resolves once the current positions are on disk; concurrent calls share writes. */
  save(): Promise<void> {
    if (!this.file || this.closed) return Promise.resolve();
    this.dirty = true;
    this.writing ??= this.drain().finally(() => (this.writing = undefined));
    return this.writing;
  }

  private async drain(): Promise<void> {
    const file = this.file as string;
    while (this.dirty) {
      this.dirty = false;
      this.data.updatedAt = new Date().toISOString();
      const temporary = `${file}.${process.pid}.tmp`;
      await mkdir(dirname(file), { recursive: true });
      await writeFile(temporary, `${JSON.stringify(this.data, null, 2)}\n`, { mode: 0o600 });
      await rename(temporary, file);
    }
  }

  /** Final write; later changes (a batch finishing after stop) are not recorded. */
  async close(): Promise<void> {
    await this.writing;
    if (this.dirty) await this.save();
    this.closed = true;
  }

  snapshot(): Record<string, Record<string, ShardPosition>> {
    return structuredClone(this.data.consumers);
  }
}

// ---------------------------------------------------------------------------------------------- options

export type StreamHandlerLoader = (consumer: StreamConsumer) => Promise<AnyLambdaHandler>;

export interface StreamPollerOptions {
  consumers: readonly StreamConsumer[];
  /** DynamoDB Local's endpoint (it serves DynamoDB Streams too). Not needed with `streams` + `streamArn`. */
  endpoint?: string;
  /** The table whose LatestStreamArn is read; or give `streamArn`. */
  tableName?: string;
  streamArn?: string;
  /** Where positions are kept across restarts; without it they live in memory only. */
  checkpointFile?: string;
  /** Resolves a consumer's handler; by default imports `<repoRoot>/<consumer.handler>` (lazily, once). */
  loadHandler?: StreamHandlerLoader;
  repoRoot?: string;
  /** The on-failure destination (the streamFailures queue). */
  failureQueue?: { url: string; endpoint: string };
  /** Replaces the SQS send (tests); by default SendMessage to `failureQueue`, or a log line without one. */
  onFailure?: (message: StreamFailureMessage) => Promise<void>;
  /** Pause between reads when a shard has nothing new (default 200 ms). */
  pollIntervalMs?: number;
  /** First retry delay of a failed batch; doubles per attempt, at most 5 s (default 200 ms). */
  retryDelayMs?: number;
  /** Invocation timeout (default 60 s); a timed-out invocation is a failed one. */
  timeoutMs?: number;
  /** How long stop() waits for in-flight batches before abandoning them uncheckpointed (default 5 s). */
  stopGraceMs?: number;
  /** How often a missing handler module is looked for again (default 5 s). */
  loadRetryMs?: number;
  /** How often the shard list is refreshed while nothing ends (default 10 s). */
  shardRefreshMs?: number;
  region?: string;
  /** Replaces the DynamoDB Streams client (tests of shard lineage). */
  streams?: StreamsApi;
  log?: (line: string) => void;
  logError?: (message: string, error: unknown) => void;
}

export interface StreamPollerStarted {
  streamArn: string;
  /** Per consumer: where it starts ('TRIM_HORIZON' or the checkpoint). */
  consumers: { id: string; filter: string; settings: string; from: string }[];
  /** Why older positions were dropped, if they were. */
  note?: string;
}

export interface StreamPoller {
  start(): Promise<StreamPollerStarted>;
  /** Stops reading; waits up to stopGraceMs for in-flight batches (finished ones are checkpointed). */
  stop(): Promise<void>;
  /** Current positions: consumer -> shard -> last sequence number done. */
  positions(): Record<string, Record<string, ShardPosition>>;
}

// ------------------------------------------------------------------------------------------- the consumer

interface PendingRecord {
  record: DynamoDBRecord;
  sequence: string;
  matches: boolean;
  /** When the poller read it: the batching window counts from here. */
  seenAt: number;
}

interface ShardCursor {
  shardId: string;
  parentShardId?: string;
  iterator?: string;
  /** Last record read into `pending` (iterators are re-acquired after it). */
  lastRead?: string;
  /** Last record done (what is checkpointed). */
  checkpoint?: string;
  pending: PendingRecord[];
  /** GetRecords returned no next iterator: the shard is closed and fully read. */
  ended: boolean;
  finished: boolean;
}

type Outcome =
  | { kind: 'success' }
  | { kind: 'partial'; index: number }
  | { kind: 'error'; error: unknown; requestId: string };

interface Segment {
  records: PendingRecord[];
  /** Failed invocations of exactly these records. */
  attempts: number;
  requestId?: string;
  functionError?: string;
}

const PAGE_LIMIT = 1000;

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Reads a partial batch response (ReportBatchItemFailures) the way Lambda does. */
export const parseBatchResponse = (
  result: unknown,
  sequences: readonly string[],
): { kind: 'success' } | { kind: 'partial'; index: number } | { kind: 'invalid'; reason: string } => {
  if (!isObject(result)) return { kind: 'success' };
  const failures = result.batchItemFailures;
  if (failures === undefined || failures === null) return { kind: 'success' };
  if (!Array.isArray(failures)) return { kind: 'invalid', reason: 'batchItemFailures is not a list' };
  let lowest = Number.POSITIVE_INFINITY;
  for (const failure of failures) {
    const identifier = isObject(failure) ? failure.itemIdentifier : undefined;
    const index = typeof identifier === 'string' && identifier ? sequences.indexOf(identifier) : -1;
    if (index < 0) {
      return {
        kind: 'invalid',
        reason: `batchItemFailures names ${JSON.stringify(identifier ?? failure)}, not a SequenceNumber of this batch`,
      };
    }
    lowest = Math.min(lowest, index);
  }
  return failures.length === 0 ? { kind: 'success' } : { kind: 'partial', index: lowest };
};

class TimeoutError extends Error {
  constructor(ms: number) {
    super(`Task timed out after ${(ms / 1000).toFixed(2)} seconds`);
    this.name = 'Sandbox.Timedout';
  }
}

const withTimeout = <T>(work: Promise<T>, ms: number): Promise<T> => {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new TimeoutError(ms)), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
};

interface PollerContext {
  readonly streamArn: string;
  readonly streams: StreamsApi;
  readonly store: CheckpointStore;
  readonly region: string;
  readonly settings: Required<
    Pick<
      StreamPollerOptions,
      'pollIntervalMs' | 'retryDelayMs' | 'timeoutMs' | 'loadRetryMs' | 'shardRefreshMs'
    >
  >;
  readonly loadHandler: StreamHandlerLoader;
  readonly sendFailure: (message: StreamFailureMessage) => Promise<void>;
  readonly log: (line: string) => void;
  readonly logError: (message: string, error: unknown) => void;
  stopping(): boolean;
  closed(): boolean;
  sleep(ms: number): Promise<void>;
}

class ConsumerRunner {
  private readonly cursors = new Map<string, ShardCursor>();
  private readonly filter: CompiledFilter;
  private handler: AnyLambdaHandler | undefined;
  private loadFailure: string | undefined;
  private lastError: string | undefined;
  private refreshAt = 0;
  readonly label: string;

  constructor(
    readonly consumer: StreamConsumer,
    private readonly context: PollerContext,
  ) {
    this.filter = compileFilter(consumer.filterPatterns);
    this.label = `[stream ${consumer.id}]`;
  }

  async run(): Promise<void> {
    const { settings } = this.context;
    while (!this.context.stopping()) {
      try {
        if (!(await this.ensureHandler())) {
          await this.context.sleep(settings.loadRetryMs);
          continue;
        }
        await this.refreshShards();
        let more = false;
        for (const cursor of this.readyCursors()) {
          if (this.context.stopping()) break;
          more = (await this.read(cursor)) || more;
          await this.dispatch(cursor);
        }
        this.lastError = undefined;
        if (!more) await this.context.sleep(settings.pollIntervalMs);
      } catch (error) {
        // DynamoDB Local restarting, a bad iterator...: log each distinct failure once, then keep trying.
        const text = errorText(error);
        if (text !== this.lastError) this.context.logError(`${this.label} polling failed (retrying)`, error);
        this.lastError = text;
        await this.context.sleep(Math.max(settings.pollIntervalMs, 1000));
      }
    }
  }

  /** Where each shard starts, for the start-up table. */
  startingPoint(): string {
    const shards = Object.values(this.context.store.snapshot()[this.consumer.id] ?? {});
    const last = shards
      .map((position) => position.sequenceNumber)
      .filter((sequence): sequence is string => !!sequence)
      .sort(compareSequenceNumbers)
      .pop();
    return last ? `after ${shortSequence(last)}` : 'TRIM_HORIZON';
  }

  private async ensureHandler(): Promise<boolean> {
    if (this.handler) return true;
    try {
      this.handler = await this.context.loadHandler(this.consumer);
      if (this.loadFailure) this.context.log(`${this.label} ${this.consumer.handler} loaded: resuming`);
      this.loadFailure = undefined;
      return true;
    } catch (error) {
      const text =
        error instanceof HandlerNotFoundError
          ? `${this.consumer.handler} does not exist yet`
          : `cannot load ${this.consumer.handler}: ${errorText(error)}`;
      // Once per consumer (and per distinct failure): the records wait in the stream, nothing is checkpointed.
      if (text !== this.loadFailure) {
        this.context.log(`${this.label} ${text}; its records wait in the stream (position kept)`);
        if (!(error instanceof HandlerNotFoundError))
          this.context.logError(`${this.label} import failed`, error);
      }
      this.loadFailure = text;
      return false;
    }
  }

  // ------------------------------------------------------------------------------------------ shards

  private async refreshShards(): Promise<void> {
    if (Date.now() < this.refreshAt) return;
    const { streams, streamArn, store } = this.context;
    const shards: Shard[] = [];
    let ExclusiveStartShardId: string | undefined;
    do {
      const page = await streams.describeStream({ StreamArn: streamArn, ExclusiveStartShardId });
      shards.push(...(page.StreamDescription?.Shards ?? []));
      ExclusiveStartShardId = page.StreamDescription?.LastEvaluatedShardId;
    } while (ExclusiveStartShardId);

    const live = new Set<string>();
    for (const shard of shards) {
      if (!shard.ShardId) continue;
      live.add(shard.ShardId);
      if (this.cursors.has(shard.ShardId)) continue;
      const position = store.get(this.consumer.id, shard.ShardId);
      this.cursors.set(shard.ShardId, {
        shardId: shard.ShardId,
        parentShardId: shard.ParentShardId,
        checkpoint: position?.sequenceNumber,
        pending: [],
        ended: !!position?.finished,
        finished: !!position?.finished,
      });
    }
    for (const shardId of [...this.cursors.keys()]) if (!live.has(shardId)) this.cursors.delete(shardId);
    store.prune(this.consumer.id, live);
    this.refreshAt = Date.now() + this.context.settings.shardRefreshMs;
  }

  /** Unfinished shards whose parent is done (or gone): records stay in order per item. */
  private readyCursors(): ShardCursor[] {
    return [...this.cursors.values()].filter((cursor) => {
      if (cursor.finished) return false;
      const parent = cursor.parentShardId ? this.cursors.get(cursor.parentShardId) : undefined;
      return !parent || parent.finished;
    });
  }

  private async acquireIterator(cursor: ShardCursor): Promise<string | undefined> {
    const { streams, streamArn } = this.context;
    const after = cursor.lastRead ?? cursor.checkpoint;
    if (after) {
      try {
        const answer = await streams.getShardIterator({
          StreamArn: streamArn,
          ShardId: cursor.shardId,
          ShardIteratorType: 'AFTER_SEQUENCE_NUMBER',
          SequenceNumber: after,
        });
        return answer.ShardIterator;
      } catch (error) {
        if (!['TrimmedDataAccessException', 'ValidationException'].includes(errorName(error))) throw error;
        // The position fell out of the 24 h retention: what is left is all there is.
        this.context.log(
          `${this.label} ${cursor.shardId}: position ${shortSequence(after)} is no longer in the stream (${errorName(error)}); reading from TRIM_HORIZON`,
        );
        cursor.lastRead = undefined;
      }
    }
    const answer = await streams.getShardIterator({
      StreamArn: streamArn,
      ShardId: cursor.shardId,
      ShardIteratorType: 'TRIM_HORIZON',
    });
    return answer.ShardIterator;
  }

  /** One GetRecords; returns true when more may be waiting right away. */
  private async read(cursor: ShardCursor): Promise<boolean> {
    if (cursor.ended) return false;
    try {
      cursor.iterator ??= await this.acquireIterator(cursor);
      if (!cursor.iterator) {
        cursor.ended = true;
        return false;
      }
      const page = await this.context.streams.getRecords({
        ShardIterator: cursor.iterator,
        Limit: PAGE_LIMIT,
      });
      const now = Date.now();
      for (const raw of page.Records ?? []) {
        const sequence = raw.dynamodb?.SequenceNumber;
        if (!sequence) continue;
        // An iterator re-acquired after lastRead never repeats a record, but be safe.
        if (cursor.lastRead && compareSequenceNumbers(sequence, cursor.lastRead) <= 0) continue;
        const record = toLambdaRecord(raw, this.context.streamArn, this.context.region);
        cursor.pending.push({ record, sequence, matches: this.filter.matches(record), seenAt: now });
        cursor.lastRead = sequence;
      }
      cursor.iterator = page.NextShardIterator;
      if (!cursor.iterator) {
        // A closed shard, read to its end: look for its children.
        cursor.ended = true;
        this.refreshAt = 0;
      }
      return (page.Records?.length ?? 0) > 0;
    } catch (error) {
      const name = errorName(error);
      if (name === 'ExpiredIteratorException' || name === 'TrimmedDataAccessException') {
        // Iterators last 15 minutes; a new one continues after the last record read.
        cursor.iterator = undefined;
        return true;
      }
      if (name === 'ResourceNotFoundException') {
        // The shard was trimmed away under us.
        cursor.iterator = undefined;
        this.refreshAt = 0;
        return false;
      }
      cursor.iterator = undefined;
      throw error;
    }
  }

  // ------------------------------------------------------------------------------------------ batches

  private async commit(cursor: ShardCursor, sequence: string, durable: boolean): Promise<void> {
    if (this.context.closed()) return;
    while (cursor.pending[0] && compareSequenceNumbers(cursor.pending[0].sequence, sequence) <= 0) {
      cursor.pending.shift();
    }
    cursor.checkpoint = sequence;
    this.context.store.set(this.consumer.id, cursor.shardId, { sequenceNumber: sequence });
    const saved = this.context.store.save();
    if (durable) await saved;
    else
      saved.catch((error: unknown) => this.context.logError(`${this.label} checkpoint write failed`, error));
  }

  /** Invokes every batch that is ready: full, or its window elapsed, or the shard has ended. */
  private async dispatch(cursor: ShardCursor): Promise<void> {
    const { batchSize, maxBatchingWindowSeconds } = this.consumer;
    while (!this.context.stopping()) {
      // Records no pattern matches are never delivered: Lambda just moves past them.
      let skipped: string | undefined;
      while (cursor.pending[0] && !cursor.pending[0].matches) skipped = cursor.pending.shift()?.sequence;
      if (skipped) await this.commit(cursor, skipped, false);
      if (cursor.pending.length === 0) {
        if (cursor.ended && !cursor.finished) await this.finish(cursor);
        return;
      }
      const batch = cursor.pending.filter((pending) => pending.matches).slice(0, batchSize);
      const first = batch[0] as PendingRecord;
      const windowOpen = Date.now() - first.seenAt < maxBatchingWindowSeconds * 1000;
      if (batch.length < batchSize && windowOpen && !cursor.ended) return;
      if (!(await this.deliver(cursor, batch))) return;
    }
  }

  private async finish(cursor: ShardCursor): Promise<void> {
    if (this.context.closed()) return;
    cursor.finished = true;
    this.context.store.set(this.consumer.id, cursor.shardId, {
      sequenceNumber: cursor.checkpoint,
      finished: true,
    });
    await this.context.store.save();
    this.refreshAt = 0;
  }

  /**
   * Delivers one batch until every record is done: succeeded, or (after retryAttempts) sent to the failure
   * destination. False when stopping cut it short (what was not done stays unchecked, to be redelivered).
   */
  private async deliver(cursor: ShardCursor, batch: PendingRecord[]): Promise<boolean> {
    const { bisectBatchOnError, retryAttempts } = this.consumer;
    const segments: Segment[] = [{ records: batch, attempts: 0 }];
    while (segments.length > 0) {
      if (this.context.stopping()) return false;
      const segment = segments[0] as Segment;
      const outcome = await this.invoke(cursor, segment);
      if (this.context.closed()) return false;
      const last = (segment.records.at(-1) as PendingRecord).sequence;
      if (outcome.kind === 'success') {
        await this.commit(cursor, last, true);
        segments.shift();
        continue;
      }
      if (outcome.kind === 'partial') {
        // ReportBatchItemFailures: what precedes the first failed record is done; retry from it.
        if (outcome.index > 0) {
          await this.commit(cursor, (segment.records[outcome.index - 1] as PendingRecord).sequence, true);
          segment.records = segment.records.slice(outcome.index);
        }
        segment.functionError = undefined;
      } else {
        segment.functionError = 'Unhandled';
        if (bisectBatchOnError && segment.records.length > 1) {
          // Splitting does not count as a retry.
          const middle = Math.ceil(segment.records.length / 2);
          segments.splice(
            0,
            1,
            { records: segment.records.slice(0, middle), attempts: 0 },
            { records: segment.records.slice(middle), attempts: 0 },
          );
          continue;
        }
      }
      segment.attempts += 1;
      if (segment.attempts > retryAttempts) {
        if (!(await this.sendToFailureDestination(cursor, segment))) return false;
        await this.commit(cursor, (segment.records.at(-1) as PendingRecord).sequence, true);
        segments.shift();
        continue;
      }
      await this.context.sleep(
        Math.min(this.context.settings.retryDelayMs * 2 ** (segment.attempts - 1), 5000),
      );
    }
    return true;
  }

  private async invoke(cursor: ShardCursor, segment: Segment): Promise<Outcome> {
    const { timeoutMs } = this.context.settings;
    const records = segment.records;
    const requestId = randomUUID();
    segment.requestId = requestId;
    const context = createLambdaContext({
      functionName: this.consumer.id,
      requestId,
      deadline: Date.now() + timeoutMs,
      region: this.context.region,
    });
    // A fresh copy per invocation, as Lambda sends JSON: a handler mutating its event changes nothing here.
    const event: DynamoDBStreamEvent = { Records: structuredClone(records.map((pending) => pending.record)) };
    const range = describeRange(
      (records[0] as PendingRecord).sequence,
      (records.at(-1) as PendingRecord).sequence,
    );
    const started = performance.now();
    const took = () => `${Math.round(performance.now() - started)} ms`;
    const retry = segment.attempts > 0 ? ` (retry ${segment.attempts})` : '';
    try {
      const result = await withTimeout(
        invokeHandler(this.handler as AnyLambdaHandler, event, context),
        timeoutMs,
      );
      const parsed = parseBatchResponse(
        result,
        records.map((pending) => pending.sequence),
      );
      if (parsed.kind === 'invalid') {
        this.context.log(
          `${this.label} ${records.length} records ${range}${retry} invalid response ${took()}: ${parsed.reason}`,
        );
        return { kind: 'error', error: new Error(parsed.reason), requestId };
      }
      if (parsed.kind === 'partial') {
        const failed = shortSequence((records[parsed.index] as PendingRecord).sequence);
        this.context.log(
          `${this.label} ${records.length} records ${range}${retry} partial failure from seq ${failed} ${took()}`,
        );
        return parsed;
      }
      this.context.log(`${this.label} ${records.length} records ${range}${retry} ok ${took()}`);
      return parsed;
    } catch (error) {
      this.context.log(
        `${this.label} ${records.length} records ${range}${retry} failed ${took()}: ${errorText(error)}`,
      );
      // The stack once per batch, not on every retry.
      if (segment.attempts === 0 && !(error instanceof TimeoutError)) {
        this.context.logError(`${this.label} handler error (request ${requestId})`, error);
      }
      return { kind: 'error', error, requestId };
    }
  }

  private async sendToFailureDestination(cursor: ShardCursor, segment: Segment): Promise<boolean> {
    const records = segment.records;
    const arrival = (pending: PendingRecord | undefined) => {
      const seconds = pending?.record.dynamodb?.ApproximateCreationDateTime;
      return seconds === undefined ? undefined : new Date(seconds * 1000).toISOString().replace('.000Z', 'Z');
    };
    const message: StreamFailureMessage = {
      requestContext: {
        requestId: segment.requestId ?? randomUUID(),
        // The same ARN the handler's context reports (functionName = consumer id, as the gateway does).
        functionArn: `arn:aws:lambda:${this.context.region}:${LOCAL_ACCOUNT_ID}:function:${this.consumer.id}`,
        condition: 'RetryAttemptsExhausted',
        approximateInvokeCount: segment.attempts,
      },
      responseContext: {
        statusCode: 200,
        executedVersion: '$LATEST',
        ...(segment.functionError ? { functionError: segment.functionError } : {}),
      },
      version: '1.0',
      timestamp: new Date().toISOString(),
      DDBStreamBatchInfo: {
        shardId: cursor.shardId,
        startSequenceNumber: (records[0] as PendingRecord).sequence,
        endSequenceNumber: (records.at(-1) as PendingRecord).sequence,
        approximateArrivalOfFirstRecord: arrival(records[0]),
        approximateArrivalOfLastRecord: arrival(records.at(-1)),
        batchSize: records.length,
        streamArn: this.context.streamArn,
      },
    };
    for (let attempt = 1; ; attempt += 1) {
      try {
        await this.context.sendFailure(message);
        const info = message.DDBStreamBatchInfo;
        this.context.log(
          `${this.label} gave up on ${records.length} records ${describeRange(info.startSequenceNumber, info.endSequenceNumber)} after ${segment.attempts} attempts: sent to the on-failure destination`,
        );
        return true;
      } catch (error) {
        // Never skip records that were not recorded anywhere: keep the position until the send works.
        if (attempt === 1)
          this.context.logError(`${this.label} cannot reach the on-failure destination`, error);
        if (this.context.stopping()) return false;
        await this.context.sleep(Math.min(500 * attempt, 5000));
      }
    }
  }
}

// ---------------------------------------------------------------------------------------------- poller

const settingsOf = (consumer: StreamConsumer) =>
  `batch ${consumer.batchSize}, window ${consumer.maxBatchingWindowSeconds} s, ${consumer.retryAttempts} retries${consumer.bisectBatchOnError ? ', bisect' : ''}`;

export const describeConsumer = (consumer: StreamConsumer): { filter: string; settings: string } => ({
  filter: describeFilter(consumer.filterPatterns),
  settings: settingsOf(consumer),
});

export const createStreamPoller = (options: StreamPollerOptions): StreamPoller => {
  const region = options.region ?? LOCAL_REGION;
  const log = options.log ?? ((line: string) => console.log(line));
  const logError = options.logError ?? ((message: string, error: unknown) => console.error(message, error));
  const repoRoot = options.repoRoot ?? process.cwd();
  const store = new CheckpointStore(options.checkpointFile);
  const clientConfig = (endpoint: string) => ({
    endpoint,
    region,
    credentials: FAKE_CREDENTIALS,
    maxAttempts: 2,
  });

  // Invalid patterns fail here, as CreateEventSourceMapping would refuse them.
  for (const consumer of options.consumers) compileFilter(consumer.filterPatterns);
  const ids = options.consumers.map((consumer) => consumer.id);
  if (new Set(ids).size !== ids.length) throw new Error(`Duplicate stream consumer ids: ${ids.join(', ')}`);

  let streamsClient: DynamoDBStreamsClient | undefined;
  let sqsClient: SQSClient | undefined;
  let runners: ConsumerRunner[] = [];
  let loops: Promise<void>[] = [];
  let stopping = false;
  let closed = false;
  let stopped: Promise<void> | undefined;
  const wakers = new Set<() => void>();

  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      if (stopping) return resolve();
      const wake = () => {
        clearTimeout(timer);
        wakers.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, ms);
      wakers.add(wake);
    });

  const loaded = new Map<string, Promise<AnyLambdaHandler>>();
  const loadHandler: StreamHandlerLoader = (consumer) => {
    let pending = loaded.get(consumer.id);
    if (!pending) {
      pending = options.loadHandler
        ? options.loadHandler(consumer)
        : importHandler<AnyLambdaHandler>(consumer.handler, repoRoot);
      // A failed import is tried again later (the module may appear or be fixed).
      pending.catch(() => loaded.delete(consumer.id));
      loaded.set(consumer.id, pending);
    }
    return pending;
  };

  const sendFailure =
    options.onFailure ??
    (async (message: StreamFailureMessage) => {
      if (!options.failureQueue) {
        log(`[streams] no on-failure destination configured; dropped: ${JSON.stringify(message)}`);
        return;
      }
      sqsClient ??= new SQSClient(clientConfig(options.failureQueue.endpoint));
      await sqsClient.send(
        new SendMessageCommand({ QueueUrl: options.failureQueue.url, MessageBody: JSON.stringify(message) }),
      );
    });

  const resolveStreamArn = async (): Promise<string> => {
    if (options.streamArn) return options.streamArn;
    if (!options.endpoint || !options.tableName) {
      throw new Error('createStreamPoller needs endpoint and tableName (or streamArn)');
    }
    const dynamodb = new DynamoDBClient(clientConfig(options.endpoint));
    try {
      const { Table } = await dynamodb.send(new DescribeTableCommand({ TableName: options.tableName }));
      if (!Table?.StreamSpecification?.StreamEnabled || !Table.LatestStreamArn) {
        throw new Error(`Table ${options.tableName} has no stream enabled`);
      }
      return Table.LatestStreamArn;
    } finally {
      dynamodb.destroy();
    }
  };

  return {
    async start() {
      if (runners.length || stopping) throw new Error('The stream poller was already started');
      const streamArn = await resolveStreamArn();
      const note = await store.load(streamArn);
      let streams = options.streams;
      if (!streams) {
        if (!options.endpoint) throw new Error('createStreamPoller needs endpoint (or streams)');
        streamsClient = new DynamoDBStreamsClient(clientConfig(options.endpoint));
        streams = sdkStreamsApi(streamsClient);
      }
      const context: PollerContext = {
        streamArn,
        streams,
        store,
        region,
        settings: {
          pollIntervalMs: options.pollIntervalMs ?? 200,
          retryDelayMs: options.retryDelayMs ?? 200,
          timeoutMs: options.timeoutMs ?? 60_000,
          loadRetryMs: options.loadRetryMs ?? 5_000,
          shardRefreshMs: options.shardRefreshMs ?? 10_000,
        },
        loadHandler,
        sendFailure,
        log,
        logError,
        stopping: () => stopping,
        closed: () => closed,
        sleep,
      };
      runners = options.consumers.map((consumer) => new ConsumerRunner(consumer, context));
      if (note) log(`[streams] ${note}`);
      const started: StreamPollerStarted = {
        streamArn,
        note,
        consumers: runners.map((runner) => ({
          id: runner.consumer.id,
          ...describeConsumer(runner.consumer),
          from: runner.startingPoint(),
        })),
      };
      // Independent loops: one consumer's failures or slow handler never hold another back.
      loops = runners.map((runner) =>
        runner.run().catch((error: unknown) => logError(`${runner.label} stopped unexpectedly`, error)),
      );
      return started;
    },

    stop() {
      stopped ??= (async () => {
        stopping = true;
        for (const wake of [...wakers]) wake();
        const graceMs = options.stopGraceMs ?? 5_000;
        let timer: NodeJS.Timeout | undefined;
        const finished = await Promise.race([
          Promise.all(loops).then(() => true),
          new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), graceMs))),
        ]);
        clearTimeout(timer);
        if (!finished) {
          log(
            `[streams] in-flight batches abandoned after ${graceMs} ms: they will be delivered again on the next start`,
          );
        }
        closed = true;
        await store.close();
        streamsClient?.destroy();
        sqsClient?.destroy();
      })();
      return stopped;
    },

    positions: () => store.snapshot(),
  };
};
