import { join } from 'node:path';
import { Duration, Stack, Token, Validations } from 'aws-cdk-lib';
import type { IUserPool, IUserPoolClient } from 'aws-cdk-lib/aws-cognito';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { Architecture, Runtime, Tracing } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup } from 'aws-cdk-lib/aws-logs';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { ENV } from '@contract/env';
import type { Capability, FunctionDefinition } from '@contract/routes';
import { DOCUMENT_KEY_PREFIX } from '@contract/documents';
import { INDEX_NAMES, KEY_PREFIXES } from '@contract/table';
import { auditWriterRoleName, REPO_ROOT, type StageConfig } from '../config';

/** The resources a capability can point a function at. */
export interface CapabilityResources {
  readonly table: ITable;
  readonly piiKey: IKey;
  readonly blindIndexKey: IKey;
  readonly userPool: IUserPool;
  readonly userPoolClient: IUserPoolClient;
  /**
   * The KYC review state machine's ARN, a string rather than the machine: inside the workflow stack it is
   * formatted from the machine's fixed name (the machine needs its task functions' ARNs, so a task that
   * referenced the machine would close a cycle); the API stack gets the machine's real ARN.
   */
  readonly kycStateMachineArn: string;
  readonly notificationsQueue: IQueue;
  /**
   * The KYC documents bucket and the key it is encrypted with; only the functions that touch documents
   * need them (absent where no such function is built: binding a documents capability then fails).
   */
  readonly documents?: { readonly bucketName: string; readonly key: IKey };
}

export interface BankingFunctionProps {
  /** A route or a workflow task: what runs, and what it may touch. */
  readonly definition: FunctionDefinition;
  readonly config: StageConfig;
  readonly resources: CapabilityResources;
  /** @default the definition's summary */
  readonly description?: string;
  /** Files copied next to the bundled index.js (what the handler reads at run time, e.g. Swagger UI). */
  readonly bundledFiles?: BundledFiles;
}

export interface BundledFiles {
  /** Absolute directory the files are taken from. */
  readonly fromDirectory: string;
  readonly files: readonly string[];
  /** Directory inside the bundle, next to index.js. */
  readonly toDirectory: string;
}

/** Log delivery to the function's own log group: what AWSLambdaBasicExecutionRole grants, on one group. */
export const LOG_WRITE_ACTIONS = ['logs:CreateLogStream', 'logs:PutLogEvents'] as const;

/** Copies with Node, so local bundling behaves the same on every OS (no cp or copy). */
const copyCommand = (files: BundledFiles, outputDir: string): string => {
  const script =
    'const [from, to, ...names] = process.argv.slice(1);' +
    "const fs = require('fs'); const path = require('path');" +
    'fs.mkdirSync(to, { recursive: true });' +
    'for (const name of names) fs.copyFileSync(path.join(from, name), path.join(to, name));';
  const quote = (value: string) => JSON.stringify(value);
  return [
    'node',
    '-e',
    quote(script),
    quote(files.fromDirectory),
    quote(join(outputDir, files.toDirectory)),
    ...files.files.map(quote),
  ].join(' ');
};

/** Item-level reads; Scan is left out on purpose: no route lists a whole table. */
export const TABLE_READ_ACTIONS = [
  'dynamodb:GetItem',
  'dynamodb:BatchGetItem',
  'dynamodb:Query',
  'dynamodb:ConditionCheckItem',
] as const;
/** TransactWriteItems has no action of its own: it needs these per item, ConditionCheck included. */
export const TABLE_WRITE_ACTIONS = [
  'dynamodb:PutItem',
  'dynamodb:UpdateItem',
  'dynamodb:DeleteItem',
  'dynamodb:BatchWriteItem',
  'dynamodb:ConditionCheckItem',
] as const;
/** The Encryption SDK's KMS keyring: GenerateDataKey for the generator key, Encrypt for any extra key. */
export const PII_ENCRYPT_ACTIONS = ['kms:GenerateDataKey', 'kms:Encrypt'] as const;
export const PII_DECRYPT_ACTIONS = ['kms:Decrypt'] as const;
export const BLIND_INDEX_ACTIONS = ['kms:GenerateMac'] as const;
export const IDENTITY_ADMIN_ACTIONS = [
  'cognito-idp:AdminCreateUser',
  'cognito-idp:AdminSetUserPassword',
  'cognito-idp:AdminAddUserToGroup',
  'cognito-idp:AdminDeleteUser',
  'cognito-idp:AdminGetUser',
  'cognito-idp:AdminListGroupsForUser',
  // The KYC workflow mirrors its outcome on the user (custom:kyc_status); the app client cannot write it.
  'cognito-idp:AdminUpdateUserAttributes',
] as const;
export const WORKFLOW_START_ACTIONS = ['states:StartExecution'] as const;
/**
 * The Service Authorization Reference lists no resource type for the SendTask* actions (i.e. "*"), yet
 * Step Functions authorizes a Lambda callback against the state machine that issued the token: its
 * AccessDenied names `...:stateMachine:<name>`, and CDK's own `grantTaskResponse` scopes to the machine.
 * So the grant names the KYC machine, not "*". Heartbeats are not used (the waits set no HeartbeatSeconds).
 */
export const WORKFLOW_DECIDE_ACTIONS = ['states:SendTaskSuccess', 'states:SendTaskFailure'] as const;
/** Appending to the audit trail: a transaction of puts, each conditioned on the item not existing. */
export const AUDIT_APPEND_ACTIONS = ['dynamodb:PutItem', 'dynamodb:ConditionCheckItem'] as const;
export const SECURITY_EVENT_ACTIONS = ['dynamodb:PutItem'] as const;
/** SQS-managed SSE: senders need no KMS permission. */
export const NOTIFICATIONS_SEND_ACTIONS = ['sqs:SendMessage'] as const;
/**
 * A presigned request carries exactly its signer's permissions: the request handler may put objects under
 * `kyc/` (the policy then pins one key), and S3 needs a data key from the bucket's KMS key for SSE-KMS.
 */
export const DOCUMENTS_UPLOAD_ACTIONS = ['s3:PutObject'] as const;
export const DOCUMENTS_UPLOAD_KEY_ACTIONS = ['kms:GenerateDataKey'] as const;
/** Staff views: read only (a version when the link names one), and decrypt. */
export const DOCUMENTS_VIEW_ACTIONS = ['s3:GetObject', 's3:GetObjectVersion'] as const;
export const DOCUMENTS_VIEW_KEY_ACTIONS = ['kms:Decrypt'] as const;
/** The check on arrival: read the object (and its size), and delete a rejected version. */
export const DOCUMENTS_CHECK_ACTIONS = [
  's3:GetObject',
  's3:GetObjectVersion',
  's3:DeleteObject',
  's3:DeleteObjectVersion',
] as const;
export const DOCUMENTS_CHECK_KEY_ACTIONS = ['kms:Decrypt'] as const;

const assertNever = (value: never): never => {
  throw new Error(`Unbound capability ${JSON.stringify(value)}`);
};

/**
 * One Lambda function per route or workflow task with the house defaults (Node.js 22 on arm64, esbuild
 * bundle with source maps, X-Ray, a log group with retention), granted exactly what its capabilities say.
 */
export class BankingFunction extends NodejsFunction {
  private readonly config: StageConfig;

  constructor(scope: Construct, id: string, props: BankingFunctionProps) {
    const { definition, config } = props;
    const functionName = `${config.namePrefix}-${definition.id}`;
    // An explicit log group: retention and removal follow the stage instead of "never expire".
    const logGroup = new LogGroup(scope, `${id}LogGroup`, {
      logGroupName: `/aws/lambda/${functionName}`,
      retention: config.logRetention,
      removalPolicy: config.removalPolicy,
    });
    // Its own role instead of the default one with AWSLambdaBasicExecutionRole (logs:* on every group):
    // it may write to its own log group only.
    const role = new Role(scope, `${id}Role`, {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      // The table's resource policy names the audit writer's role (a second writer fails to synthesize).
      ...(definition.capabilities.includes('audit:append') ? { roleName: auditWriterRoleName(config) } : {}),
      description: `${functionName}: ${definition.capabilities.join(', ') || 'no capabilities'}`,
    });
    role.addToPrincipalPolicy(
      new PolicyStatement({ actions: [...LOG_WRITE_ACTIONS], resources: [logGroup.logGroupArn] }),
    );
    super(scope, id, {
      functionName,
      description: props.description ?? definition.summary,
      entry: join(REPO_ROOT, definition.handler),
      handler: 'handler',
      projectRoot: REPO_ROOT,
      depsLockFilePath: join(REPO_ROOT, 'package-lock.json'),
      runtime: Runtime.NODEJS_22_X,
      architecture: Architecture.ARM_64,
      memorySize: 512,
      timeout: Duration.seconds(10),
      tracing: Tracing.ACTIVE,
      role,
      logGroup,
      environment: {
        [ENV.stage]: config.stage,
        [ENV.logLevel]: config.logLevel,
        NODE_OPTIONS: '--enable-source-maps',
        AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
      },
      bundling: {
        forceDockerBundling: false,
        format: OutputFormat.CJS,
        target: 'node22',
        minify: true,
        sourceMap: true,
        sourcesContent: false,
        tsconfig: join(REPO_ROOT, 'tsconfig.json'),
        // The runtime ships SDK v3's clients and libs. Everything else, @aws-crypto/client-node and the S3
        // presigners (@aws-sdk/s3-presigned-post, s3-request-presigner) included, is bundled.
        externalModules: ['@aws-sdk/client-*', '@aws-sdk/lib-*', '@aws-sdk/util-dynamodb'],
        ...(props.bundledFiles
          ? {
              commandHooks: {
                beforeBundling: () => [],
                beforeInstall: () => [],
                afterBundling: (_inputDir: string, outputDir: string) => [
                  copyCommand(props.bundledFiles as BundledFiles, outputDir),
                ],
              },
            }
          : {}),
      },
    });

    this.config = config;
    for (const capability of definition.capabilities) this.bind(capability, props.resources);

    // cdk-nag (AwsSolutions), for every route and task function:
    Validations.of(this).acknowledge({
      id: 'AwsSolutions-L1',
      reason:
        'Runtime pinned to nodejs22.x on purpose (supported by Lambda until 2027): the esbuild target, the ' +
        'local runtime and LocalStack are all checked against Node 22; moving to a newer runtime is one ' +
        'deliberate, tested change for all functions.',
    });
    Validations.of(role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'Only xray:PutTraceSegments and xray:PutTelemetryRecords (added by tracing: ACTIVE) use "*": X-Ray ' +
        'has no resource-level permissions for them. Every capability grant names its resources (the ' +
        'infra tests check that no action is a wildcard and what each function may touch).',
    });
  }

  /** Sets the environment variables a capability needs and grants exactly its actions, together. */
  public bind(capability: Capability, resources: CapabilityResources): void {
    switch (capability) {
      case 'table:read':
        this.addEnvironment(ENV.tableName, resources.table.tableName);
        this.allow(TABLE_READ_ACTIONS, [
          resources.table.tableArn,
          ...INDEX_NAMES.map((indexName) => `${resources.table.tableArn}/index/${indexName}`),
        ]);
        return;
      case 'table:write':
        this.addEnvironment(ENV.tableName, resources.table.tableName);
        this.allow(TABLE_WRITE_ACTIONS, [resources.table.tableArn]);
        return;
      case 'pii:encrypt':
        this.addEnvironment(ENV.piiKeyArn, resources.piiKey.keyArn);
        this.allow(PII_ENCRYPT_ACTIONS, [resources.piiKey.keyArn]);
        return;
      case 'pii:decrypt':
        this.addEnvironment(ENV.piiKeyArn, resources.piiKey.keyArn);
        this.allow(PII_DECRYPT_ACTIONS, [resources.piiKey.keyArn]);
        return;
      case 'pii:blind-index':
        this.addEnvironment(ENV.blindIndexKeyArn, resources.blindIndexKey.keyArn);
        this.allow(BLIND_INDEX_ACTIONS, [resources.blindIndexKey.keyArn]);
        return;
      case 'identity:admin':
        this.bindUserPool(resources);
        this.allow(IDENTITY_ADMIN_ACTIONS, [resources.userPool.userPoolArn]);
        return;
      case 'identity:sign-in':
        // InitiateAuth and RevokeToken are public Cognito APIs: they need the ids, not IAM.
        this.bindUserPool(resources);
        return;
      case 'workflow:start':
        this.addEnvironment(ENV.kycStateMachineArn, resources.kycStateMachineArn);
        this.allow(WORKFLOW_START_ACTIONS, [resources.kycStateMachineArn]);
        return;
      case 'workflow:decide':
        this.addEnvironment(ENV.kycStateMachineArn, resources.kycStateMachineArn);
        this.allow(WORKFLOW_DECIDE_ACTIONS, [resources.kycStateMachineArn]);
        return;
      case 'notifications:send':
        this.addEnvironment(ENV.notificationsQueueUrl, resources.notificationsQueue.queueUrl);
        this.allow(NOTIFICATIONS_SEND_ACTIONS, [resources.notificationsQueue.queueArn]);
        return;
      case 'audit:append':
        this.addEnvironment(ENV.tableName, resources.table.tableName);
        this.allowOnKeys(AUDIT_APPEND_ACTIONS, resources.table, KEY_PREFIXES.audit);
        return;
      case 'security-events:record':
        this.addEnvironment(ENV.tableName, resources.table.tableName);
        this.allowOnKeys(SECURITY_EVENT_ACTIONS, resources.table, KEY_PREFIXES.securityEvent);
        return;
      case 'documents:presign-upload':
        this.bindDocuments(resources, capability, DOCUMENTS_UPLOAD_ACTIONS, DOCUMENTS_UPLOAD_KEY_ACTIONS);
        return;
      case 'documents:presign-view':
        this.bindDocuments(resources, capability, DOCUMENTS_VIEW_ACTIONS, DOCUMENTS_VIEW_KEY_ACTIONS);
        return;
      case 'documents:check':
        this.bindDocuments(resources, capability, DOCUMENTS_CHECK_ACTIONS, DOCUMENTS_CHECK_KEY_ACTIONS);
        return;
      case 'kyc:policy':
        this.addEnvironment(
          ENV.kycRequireIdentityDocument,
          String(this.config.kycPolicy.requireIdentityDocument),
        );
        return;
      default:
        assertNever(capability);
    }
  }

  /**
   * Object actions on `kyc/*` of the documents bucket, and the bucket key's KMS actions. The ARN is built
   * from the bucket's name (fixed by the contract), so every function names the same, readable resource.
   */
  private bindDocuments(
    resources: CapabilityResources,
    capability: Capability,
    objectActions: readonly string[],
    keyActions: readonly string[],
  ): void {
    const documents = resources.documents;
    if (!documents) throw new Error(`${capability} needs the KYC documents bucket in the resources`);
    this.addEnvironment(ENV.documentsBucket, documents.bucketName);
    const partition = Stack.of(this).partition;
    const objects = `arn:${partition}:s3:::${documents.bucketName}/${DOCUMENT_KEY_PREFIX}*`;
    this.allow(objectActions, [objects]);
    this.allow(keyActions, [documents.key.keyArn]);
    if (!Token.isUnresolved(documents.bucketName)) {
      // cdk-nag names the resource as rendered: an unresolved partition appears as <AWS::Partition>.
      const rendered = Token.isUnresolved(partition)
        ? objects.replace(partition, '<AWS::Partition>')
        : objects;
      Validations.of(this.role ?? this).acknowledge({
        id: `AwsSolutions-IAM5[Resource::${rendered}]`,
        reason:
          `Objects under ${DOCUMENT_KEY_PREFIX} only: their keys are opaque ids created per upload, so no fixed ` +
          'list exists. The presigned POST policy then pins one exact key; reads happen by exact key.',
      });
    }
  }

  private bindUserPool(resources: CapabilityResources): void {
    this.addEnvironment(ENV.userPoolId, resources.userPool.userPoolId);
    this.addEnvironment(ENV.userPoolClientId, resources.userPoolClient.userPoolClientId);
  }

  private allow(actions: readonly string[], resources: string[]): void {
    this.addToRolePolicy(new PolicyStatement({ actions: [...actions], resources }));
  }

  /** Item writes limited to partition keys that start with `prefix` (every item of a transaction too). */
  private allowOnKeys(actions: readonly string[], table: ITable, prefix: string): void {
    this.addToRolePolicy(
      new PolicyStatement({
        actions: [...actions],
        resources: [table.tableArn],
        conditions: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': [`${prefix}*`] } },
      }),
    );
  }
}
