import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import type { DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { describeError, logger } from './logger';

export interface ChangeRecord {
  eventId: string;
  eventName: 'INSERT' | 'MODIFY' | 'REMOVE';
  sequenceNumber: string;
  at: Date;
  keys: Record<string, unknown>;
  newImage: Record<string, unknown> | undefined;
  oldImage: Record<string, unknown> | undefined;
}

const image = (value: unknown) => (value ? unmarshall(value as Record<string, AttributeValue>) : undefined);

export const toChange = (record: DynamoDBRecord): ChangeRecord => ({
  eventId: record.eventID ?? '',
  eventName: (record.eventName ?? 'MODIFY') as ChangeRecord['eventName'],
  sequenceNumber: record.dynamodb?.SequenceNumber ?? '',
  at: new Date((record.dynamodb?.ApproximateCreationDateTime ?? Date.now() / 1000) * 1000),
  keys: image(record.dynamodb?.Keys) ?? {},
  newImage: image(record.dynamodb?.NewImage),
  oldImage: image(record.dynamodb?.OldImage),
});

/**
 * The middy chain of a stream consumer: records are handled one by one with Powertools' batch processor,
 * which reports the failed ones (ReportBatchItemFailures) so only they are retried; handlers must be
 * idempotent per record, since a retried batch may repeat records after the first failure.
 */
export function streamHandler(id: string, fn: (change: ChangeRecord) => Promise<void>) {
  const processor = new BatchProcessor(EventType.DynamoDBStreams);
  const recordHandler = async (record: DynamoDBRecord) => {
    try {
      await fn(toChange(record));
    } catch (error) {
      logger.error('Stream record failed', {
        consumer: id,
        eventId: record.eventID,
        ...describeError(error),
      });
      throw error;
    }
  };
  return middy<DynamoDBStreamEvent>()
    .use(injectLambdaContext(logger, { logEvent: false }))
    .handler(async (event, context) => processPartialResponse(event, recordHandler, processor, { context }));
}
