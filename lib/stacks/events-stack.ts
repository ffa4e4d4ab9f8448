import { Duration, Stack, type StackProps } from 'aws-cdk-lib';
import { Rule, Schedule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { StartingPosition } from 'aws-cdk-lib/aws-lambda';
import { DynamoEventSource, SqsDlq } from 'aws-cdk-lib/aws-lambda-event-sources';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { SCHEDULED_JOBS } from '@contract/jobs';
import { STREAM_CONSUMERS, type StreamConsumerId } from '@contract/stream-consumers';
import type { StageConfig } from '../config';
import { BankingFunction, type CapabilityResources } from '../constructs/banking-function';

export interface EventsStackProps extends StackProps {
  readonly config: StageConfig;
  readonly resources: CapabilityResources & { readonly table: ITable };
  /** Where a stream batch goes when its retries are exhausted. */
  readonly streamFailures: IQueue;
}

/**
 * What runs off the request path: the table stream's consumers (fraud scoring, the audit trail), each an
 * event source mapping built from the contract's STREAM_CONSUMERS, and the scheduled jobs.
 */
export class EventsStack extends Stack {
  public readonly consumers: Record<StreamConsumerId, BankingFunction>;

  constructor(scope: Construct, id: string, props: EventsStackProps) {
    super(scope, id, props);
    const { config, resources } = props;

    const consumers: Partial<Record<StreamConsumerId, BankingFunction>> = {};
    for (const consumer of STREAM_CONSUMERS) {
      const fn = new BankingFunction(this, consumer.id, {
        definition: consumer,
        config,
        resources,
        description: `Stream consumer ${consumer.id}: ${consumer.summary}`,
      });
      fn.addEventSource(
        new DynamoEventSource(resources.table, {
          // From the oldest record kept: a new deployment still processes what the stream holds.
          startingPosition: StartingPosition.TRIM_HORIZON,
          batchSize: consumer.batchSize,
          maxBatchingWindow: Duration.seconds(consumer.maxBatchingWindowSeconds),
          retryAttempts: consumer.retryAttempts,
          bisectBatchOnError: consumer.bisectBatchOnError,
          // Handlers report the records that failed; only those (and what follows them) are retried.
          reportBatchItemFailures: true,
          onFailure: new SqsDlq(props.streamFailures),
          filters: consumer.filterPatterns.map((pattern) => ({ pattern: JSON.stringify(pattern) })),
        }),
      );
      consumers[consumer.id] = fn;
    }
    this.consumers = consumers as Record<StreamConsumerId, BankingFunction>;

    for (const job of SCHEDULED_JOBS) {
      const fn = new BankingFunction(this, job.id, {
        definition: job,
        config,
        resources,
        description: `Scheduled job ${job.id}: ${job.summary}`,
      });
      new Rule(this, `${job.id}Schedule`, {
        description: `${job.id}: ${job.schedule}`,
        schedule: Schedule.expression(job.schedule),
        targets: [new LambdaFunction(fn, { retryAttempts: 2 })],
      });
    }
  }
}
