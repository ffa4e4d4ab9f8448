import { Duration, Stack, type StackProps } from 'aws-cdk-lib';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { QUEUES, type QueueId } from '@contract/queues';
import type { StageConfig } from '../config';

export interface MessagingStackProps extends StackProps {
  readonly config: StageConfig;
}

/** `notifications` -> `Notifications`, for readable construct ids. */
const pascalCase = (id: string): string => id.charAt(0).toUpperCase() + id.slice(1);

/**
 * Every queue of the contract with its dead-letter queue. Its own stack: the API and the workflow both
 * send to it, and unlike the data stack it holds nothing that must outlive a deployment (persisted
 * notifications in the table are the record; a queue only carries deliveries).
 */
export class MessagingStack extends Stack {
  public readonly queues: Record<QueueId, Queue>;
  public readonly deadLetterQueues: Record<QueueId, Queue>;

  constructor(scope: Construct, id: string, props: MessagingStackProps) {
    super(scope, id, props);
    const { config } = props;

    const queues: Partial<Record<QueueId, Queue>> = {};
    const deadLetterQueues: Partial<Record<QueueId, Queue>> = {};
    for (const [queueId, spec] of Object.entries(QUEUES) as [QueueId, (typeof QUEUES)[QueueId]][]) {
      const name = `${config.namePrefix}-${spec.name}`;
      const deadLetterQueue = new Queue(this, `${pascalCase(queueId)}DeadLetterQueue`, {
        queueName: `${name}-dlq`,
        retentionPeriod: Duration.days(spec.deadLetterRetentionDays),
        // SQS-managed keys: encrypted at rest with no KMS key to manage or grant to every sender.
        encryption: QueueEncryption.SQS_MANAGED,
        enforceSSL: true,
      });
      deadLetterQueues[queueId] = deadLetterQueue;
      queues[queueId] = new Queue(this, `${pascalCase(queueId)}Queue`, {
        queueName: name,
        visibilityTimeout: Duration.seconds(spec.visibilityTimeoutSeconds),
        retentionPeriod: Duration.days(spec.retentionDays),
        encryption: QueueEncryption.SQS_MANAGED,
        enforceSSL: true,
        deadLetterQueue: { queue: deadLetterQueue, maxReceiveCount: spec.maxReceiveCount },
      });
    }
    this.queues = queues as Record<QueueId, Queue>;
    this.deadLetterQueues = deadLetterQueues as Record<QueueId, Queue>;
  }
}
