import type { App, Environment } from 'aws-cdk-lib';
import type { Stage } from '@contract/env';
import { join } from 'node:path';
import { overridesFromContext, parseStage, PROJECT_NAME, REPO_ROOT, stageConfig } from './config';
import { ApiStack } from './stacks/api-stack';
import { ConsoleStack } from './stacks/console-stack';
import { AuthStack } from './stacks/auth-stack';
import { DataStack } from './stacks/data-stack';
import { DocumentsStack } from './stacks/documents-stack';
import { EventsStack } from './stacks/events-stack';
import { FirstAdminStack } from './stacks/first-admin-stack';
import { MessagingStack } from './stacks/messaging-stack';
import { WorkflowStack } from './stacks/workflow-stack';

export interface BuildAppOptions {
  /** Validated here too, so every caller (bin, tests, scripts) gets the same error for a bad stage. */
  readonly stage: string;
  /** @default the CLI's CDK_DEFAULT_ACCOUNT / CDK_DEFAULT_REGION */
  readonly env?: Environment;
  /** The console's build to deploy; @default web/dist (written by `npm run build:console`) */
  readonly consoleAssetsDir?: string;
}

export interface CoreBankingStacks {
  readonly stage: Stage;
  readonly data: DataStack;
  readonly auth: AuthStack;
  readonly messaging: MessagingStack;
  readonly workflow: WorkflowStack;
  readonly api: ApiStack;
  readonly events: EventsStack;
  /** Only with `-c adminEmail=...`. */
  readonly firstAdmin?: FirstAdminStack;
  readonly documents: DocumentsStack;
  /** The back-office console (CloudFront + S3); not on LocalStack, whose CloudFront is a paid feature. */
  readonly console?: ConsoleStack;
}

/**
 * The whole application for one stage; `bin/app.ts` and the infra tests build it the same way.
 * Dependencies run one way: Data, Auth, Messaging <- Workflow <- Api.
 */
export const buildApp = (app: App, options: BuildAppOptions): CoreBankingStacks => {
  const stage = parseStage(options.stage);
  // `-c kycDecisionTimeoutSeconds=120` and friends; validated with the same clear errors as the stage.
  const config = stageConfig(
    stage,
    overridesFromContext((key) => app.node.tryGetContext(key)),
  );
  const env = options.env ?? {
    account: process.env.CDK_DEFAULT_ACCOUNT,
    region: process.env.CDK_DEFAULT_REGION,
  };
  const prefix = `CoreBanking-${stage}`;
  // Stack tags: CloudFormation copies them onto every resource it creates.
  const tags = { project: PROJECT_NAME, stage };
  const common = { env, config, tags };

  const data = new DataStack(app, `${prefix}-Data`, {
    ...common,
    description: `Core banking (${stage}): DynamoDB table and KMS keys for PII`,
    terminationProtection: config.protectData,
  });
  const auth = new AuthStack(app, `${prefix}-Auth`, {
    ...common,
    description: `Core banking (${stage}): Cognito user pool, role groups and app client`,
    terminationProtection: config.protectData,
  });
  const messaging = new MessagingStack(app, `${prefix}-Messaging`, {
    ...common,
    description: `Core banking (${stage}): SQS queues (notifications) with dead-letter queues`,
  });
  const shared = {
    table: data.table,
    piiKey: data.piiKey,
    blindIndexKey: data.blindIndexKey,
    userPool: auth.userPool,
    userPoolClient: auth.userPoolClient,
    notificationsQueue: messaging.queues.notifications,
  };
  const workflow = new WorkflowStack(app, `${prefix}-Workflow`, {
    ...common,
    description: `Core banking (${stage}): KYC review state machine and its task functions`,
    resources: shared,
  });
  const documents = new DocumentsStack(app, `${prefix}-Documents`, {
    ...common,
    description: `Core banking (${stage}): KYC documents bucket (SSE-KMS, versioned, private) and its file check`,
    resources: { ...shared, kycStateMachineArn: workflow.stateMachine.stateMachineArn },
    terminationProtection: config.protectData,
  });
  const api = new ApiStack(app, `${prefix}-Api`, {
    ...common,
    description: `Core banking (${stage}): REST API, route functions and WAF`,
    resources: {
      ...shared,
      kycStateMachineArn: workflow.stateMachine.stateMachineArn,
      documents: { bucketName: documents.bucketName, key: documents.encryptionKey },
    },
  });
  // References create these only once a route uses the workflow or the queue; the order should not
  // depend on which routes exist today.
  api.addStackDependency(workflow, 'routes start and resume KYC reviews');
  api.addStackDependency(messaging, 'routes send notifications');
  api.addStackDependency(documents, 'routes presign uploads to and views of the documents bucket');

  const events = new EventsStack(app, `${prefix}-Events`, {
    ...common,
    description: `Core banking (${stage}): stream consumers (fraud scoring, audit trail) and scheduled jobs`,
    resources: { ...shared, kycStateMachineArn: workflow.stateMachine.stateMachineArn },
    streamFailures: messaging.queues.streamFailures,
  });

  const firstAdmin = config.firstAdmin
    ? new FirstAdminStack(app, `${prefix}-FirstAdmin`, {
        ...common,
        description: `Core banking (${stage}): the first bank admin (custom resource, password in Secrets Manager)`,
        resources: { ...shared, kycStateMachineArn: workflow.stateMachine.stateMachineArn },
        firstAdmin: config.firstAdmin,
      })
    : undefined;

  const consoleStack =
    config.target === 'aws'
      ? new ConsoleStack(app, `${prefix}-Console`, {
          ...common,
          description: `Core banking (${stage}): back-office console (S3 + CloudFront, the API under /api/*)`,
          api: api.api,
          assetsDir: options.consoleAssetsDir ?? join(REPO_ROOT, 'web', 'dist'),
        })
      : undefined;

  return {
    stage,
    data,
    auth,
    messaging,
    workflow,
    api,
    events,
    documents,
    ...(firstAdmin ? { firstAdmin } : {}),
    ...(consoleStack ? { console: consoleStack } : {}),
  };
};
