import { SQSClient } from '@aws-sdk/client-sqs';
import { ENV } from '@contract/env';
import { documentClient } from '@adapters/dynamodb/client';
import { DynamoKycCaseRepository } from '@adapters/dynamodb/kyc-case-repository';
import { DynamoWatchList } from '@adapters/dynamodb/kyc-screening';
import { DynamoNotificationInbox } from '@adapters/dynamodb/notification-inbox';
import { QueuedNotifier } from '@adapters/notifier';
import { sfnClient, StepFunctionsKycWorkflow } from '@adapters/sfn-kyc-workflow';
import { requireEnv } from '@kit/config';

export const kycCases = () => new DynamoKycCaseRepository(documentClient, requireEnv(ENV.tableName));

export const watchList = () => new DynamoWatchList(documentClient, requireEnv(ENV.tableName));

export const kycWorkflow = () => new StepFunctionsKycWorkflow(sfnClient, requireEnv(ENV.kycStateMachineArn));

/** One SQS client per container, created only by functions that notify. */
let sqs: SQSClient | undefined;
export const notifier = () =>
  new QueuedNotifier(
    documentClient,
    requireEnv(ENV.tableName),
    (sqs ??= new SQSClient({})),
    requireEnv(ENV.notificationsQueueUrl),
  );

export const notificationInbox = () => new DynamoNotificationInbox(documentClient, requireEnv(ENV.tableName));
