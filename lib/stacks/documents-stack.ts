import { Duration, Stack, Validations, type StackProps } from 'aws-cdk-lib';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import {
  BlockPublicAccess,
  Bucket,
  BucketEncryption,
  EventType,
  HttpMethods,
  ObjectOwnership,
} from 'aws-cdk-lib/aws-s3';
import { LambdaDestination } from 'aws-cdk-lib/aws-s3-notifications';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import {
  DOCUMENT_CHECK,
  DOCUMENT_CHECK_DLQ_RETENTION_DAYS,
  DOCUMENT_KEY_PREFIX,
  documentsBucketName,
  documentsCors,
} from '@contract/documents';
import type { StageConfig } from '../config';
import { BankingFunction, type CapabilityResources } from '../constructs/banking-function';

export interface DocumentsStackProps extends StackProps {
  readonly config: StageConfig;
  /** The table (document items) and the project's KMS key (the bucket's SSE-KMS key). */
  readonly resources: Omit<CapabilityResources, 'documents'>;
}

/**
 * KYC documents: one private, encrypted, versioned bucket that customers upload to with presigned POSTs,
 * its server access logs, and the check that runs on every new object (with its dead-letter queue).
 */
export class DocumentsStack extends Stack {
  public readonly bucket: Bucket;
  /** Fixed by the contract (prefix, account, region), known before deployment. */
  public readonly bucketName: string;
  public readonly accessLogs: Bucket;
  public readonly encryptionKey: IKey;
  public readonly check: BankingFunction;
  public readonly checkFailures: Queue;

  constructor(scope: Construct, id: string, props: DocumentsStackProps) {
    super(scope, id, props);
    const { config, resources } = props;
    const retention = config.documentRetention;
    this.encryptionKey = resources.piiKey;
    this.bucketName = documentsBucketName(config.namePrefix, this.account, this.region);

    // Server access logs cannot be delivered to an SSE-KMS bucket: S3-managed keys here.
    this.accessLogs = new Bucket(this, 'AccessLogs', {
      encryption: BucketEncryption.S3_MANAGED,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      lifecycleRules: [{ id: 'expire-access-logs', expiration: Duration.days(retention.retentionDays) }],
      removalPolicy: config.removalPolicy,
    });
    Validations.of(this.accessLogs).acknowledge({
      id: 'AwsSolutions-S1',
      reason:
        'This bucket IS the server access log destination of the KYC documents bucket; logging its own ' +
        'access would need yet another bucket, and S3 writes to it with the logging service principal only.',
    });

    this.bucket = new Bucket(this, 'Bucket', {
      bucketName: this.bucketName,
      encryption: BucketEncryption.KMS,
      encryptionKey: resources.piiKey,
      // One data key per bucket and period instead of a KMS call per object.
      bucketKeyEnabled: true,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      enforceSSL: true,
      versioned: true,
      serverAccessLogsBucket: this.accessLogs,
      serverAccessLogsPrefix: 'kyc-documents/',
      lifecycleRules: [
        {
          id: 'kyc-document-retention',
          prefix: DOCUMENT_KEY_PREFIX,
          expiration: Duration.days(retention.retentionDays),
          noncurrentVersionExpiration: Duration.days(retention.noncurrentDays),
          abortIncompleteMultipartUploadAfter: Duration.days(retention.abortIncompleteUploadDays),
        },
        { id: 'expired-delete-markers', expiredObjectDeleteMarker: true },
      ],
      cors: documentsCors(config.allowedOrigins).map((rule) => ({
        allowedOrigins: rule.allowedOrigins,
        allowedMethods: rule.allowedMethods.map(() => HttpMethods.POST),
        allowedHeaders: rule.allowedHeaders,
        exposedHeaders: rule.exposedHeaders,
        maxAge: rule.maxAgeSeconds,
      })),
      removalPolicy: config.removalPolicy,
    });

    this.checkFailures = new Queue(this, 'CheckDeadLetterQueue', {
      queueName: `${config.namePrefix}-kyc-document-check-dlq`,
      retentionPeriod: Duration.days(DOCUMENT_CHECK_DLQ_RETENTION_DAYS),
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
    });
    Validations.of(this.checkFailures).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason: 'This queue is itself the dead-letter destination of the document check (failed S3 events).',
    });

    this.check = new BankingFunction(this, DOCUMENT_CHECK.id, {
      definition: DOCUMENT_CHECK,
      config,
      resources: { ...resources, documents: { bucketName: this.bucketName, key: resources.piiKey } },
      description: `S3 ObjectCreated under ${DOCUMENT_KEY_PREFIX}: ${DOCUMENT_CHECK.summary}`,
    });
    // S3 invokes asynchronously: Lambda retries a failed event, then hands it to the dead-letter queue.
    this.check.configureAsyncInvoke({
      retryAttempts: DOCUMENT_CHECK.retryAttempts,
      onFailure: new SqsDestination(this.checkFailures),
    });
    this.bucket.addEventNotification(EventType.OBJECT_CREATED, new LambdaDestination(this.check), {
      prefix: DOCUMENT_KEY_PREFIX,
    });

    // CDK's bucket-notifications custom resource (it sets the notification configuration at deploy time).
    for (const child of this.node.children.filter((candidate) =>
      candidate.node.id.startsWith('BucketNotificationsHandler'),
    )) {
      Validations.of(child).acknowledge({
        id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
        reason:
          "CDK's own BucketNotificationsHandler (a deploy-time custom resource that writes the bucket's " +
          'notification configuration): its role and managed logging policy are fixed by aws-cdk-lib.',
      });
      Validations.of(child).acknowledge({
        id: 'AwsSolutions-IAM5[Resource::*]',
        reason:
          "CDK's BucketNotificationsHandler needs s3:PutBucketNotification; aws-cdk-lib grants it on * and " +
          'offers no way to scope it. It runs only during deployments.',
      });
    }
  }
}
