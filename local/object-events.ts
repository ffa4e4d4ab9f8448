import { randomUUID } from 'node:crypto';
import { CreateQueueCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { S3Event, S3EventRecord } from 'aws-lambda';
import { DOCUMENT_CHECK, DOCUMENT_CHECK_DLQ_RETENTION_DAYS, DOCUMENT_KEY_PREFIX } from '@contract/documents';
import { FAKE_CREDENTIALS, LOCAL_REGION } from './emulators/support';
import { createLambdaContext, importHandler, invokeHandler, type AnyLambdaHandler } from './lambda';

/*
 * What S3's bucket notification and Lambda's asynchronous invocation do in AWS, for the local emulator's
 * events: ObjectCreated records under `kyc/` are handed, one event at a time, to the same check handler
 * module the documents stack deploys, with the object key URL-encoded as AWS sends it (s3rver does not
 * encode it). A failing invocation is retried like Lambda's async retries, then the event goes to the
 * local dead-letter queue with Lambda's on-failure record shape.
 */

export interface ObjectEventFeeder {
  /** Called with every s3rver event (any bucket, any kind): filters and queues what the check must see. */
  deliver(event: S3Event): void;
  /** Creates the dead-letter queue once SQS is up; events before that still run (without a DLQ). */
  attachDeadLetterQueue(sqsEndpoint: string, queueName: string): Promise<string>;
  /** Resolves once every queued event is handled. */
  idle(): Promise<void>;
  stop(): Promise<void>;
}

/** AWS encodes keys like form values: each path segment percent-encoded, spaces as `+`, slashes kept. */
export const encodeEventKey = (key: string): string =>
  key
    .split('/')
    .map((segment) => encodeURIComponent(segment).replace(/%20/g, '+'))
    .join('/');

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export const createObjectEventFeeder = (options: {
  repoRoot: string;
  bucket: string;
  /** Delay before retry n (1-based), ms; Lambda waits a minute, then two: locally it is quicker. */
  retryDelayMs?: (attempt: number) => number;
  log?: (line: string) => void;
}): ObjectEventFeeder => {
  const log = options.log ?? ((line: string) => console.log(line));
  const retryDelay = options.retryDelayMs ?? ((attempt) => 500 * attempt);
  let handler: Promise<AnyLambdaHandler> | undefined;
  let chain: Promise<void> = Promise.resolve();
  let stopped = false;
  let dlq: { client: SQSClient; url: string } | undefined;

  const toDeadLetterQueue = async (event: S3Event, error: unknown) => {
    if (!dlq) return;
    await dlq.client.send(
      new SendMessageCommand({
        QueueUrl: dlq.url,
        MessageBody: JSON.stringify({
          version: '1.0',
          timestamp: new Date().toISOString(),
          requestContext: {
            requestId: randomUUID(),
            functionArn: `local:${DOCUMENT_CHECK.id}`,
            condition: 'RetriesExhausted',
            approximateInvokeCount: DOCUMENT_CHECK.retryAttempts + 1,
          },
          requestPayload: event,
          responseContext: { statusCode: 200, functionError: 'Unhandled' },
          responsePayload: { errorType: error instanceof Error ? error.name : 'Error' },
        }),
      }),
    );
  };

  const invoke = async (event: S3Event) => {
    handler ??= importHandler(DOCUMENT_CHECK.handler, options.repoRoot);
    const fn = await handler;
    for (let attempt = 0; ; attempt += 1) {
      const context = createLambdaContext({
        functionName: `local-${DOCUMENT_CHECK.id}`,
        requestId: randomUUID(),
        deadline: Date.now() + 30_000,
        region: LOCAL_REGION,
      });
      try {
        await invokeHandler(fn, event, context);
        return;
      } catch (error) {
        if (stopped) return;
        if (attempt >= DOCUMENT_CHECK.retryAttempts) {
          log(`  [s3] ${DOCUMENT_CHECK.id} failed ${attempt + 1} times: event sent to the dead-letter queue`);
          await toDeadLetterQueue(event, error).catch(() => undefined);
          return;
        }
        await sleep(retryDelay(attempt + 1));
      }
    }
  };

  const isChecked = (record: S3EventRecord) =>
    record.s3?.bucket?.name === options.bucket &&
    record.eventName?.startsWith('ObjectCreated:') &&
    record.s3.object.key.startsWith(DOCUMENT_KEY_PREFIX);

  return {
    deliver(event) {
      if (stopped) return;
      const records = (event.Records ?? []).filter(isChecked).map((record) => ({
        ...record,
        s3: { ...record.s3, object: { ...record.s3.object, key: encodeEventKey(record.s3.object.key) } },
      }));
      if (records.length === 0) return;
      // One event at a time, in arrival order (the events of one object are rare and seconds apart).
      chain = chain.then(() => invoke({ Records: records }).catch(() => undefined));
    },
    async attachDeadLetterQueue(sqsEndpoint, queueName) {
      const client = new SQSClient({
        endpoint: sqsEndpoint,
        region: LOCAL_REGION,
        credentials: FAKE_CREDENTIALS,
      });
      const { QueueUrl } = await client.send(
        new CreateQueueCommand({
          QueueName: queueName,
          Attributes: { MessageRetentionPeriod: String(DOCUMENT_CHECK_DLQ_RETENTION_DAYS * 24 * 3600) },
        }),
      );
      if (!QueueUrl) throw new Error(`CreateQueue returned no URL for ${queueName}`);
      dlq = { client, url: QueueUrl };
      return QueueUrl;
    },
    idle: () => chain,
    async stop() {
      stopped = true;
      await chain;
      dlq?.client.destroy();
    },
  };
};
