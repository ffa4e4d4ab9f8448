import type { Template } from 'aws-cdk-lib/assertions';
import { ENV } from '@contract/env';
import type { Capability, FunctionDefinition } from '@contract/routes';
import { functionStatements, onlyResource } from './support';

/**
 * What each capability must put in the environment and in the role: the spec BankingFunction implements,
 * written out independently of it so a change on either side shows up here.
 */
export const CAPABILITY_SPEC: Record<Capability, { env: string[]; actions: string[] }> = {
  'table:read': {
    env: [ENV.tableName],
    actions: ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query', 'dynamodb:ConditionCheckItem'],
  },
  'table:write': {
    env: [ENV.tableName],
    actions: [
      'dynamodb:PutItem',
      'dynamodb:UpdateItem',
      'dynamodb:DeleteItem',
      'dynamodb:BatchWriteItem',
      'dynamodb:ConditionCheckItem',
    ],
  },
  'pii:encrypt': { env: [ENV.piiKeyArn], actions: ['kms:GenerateDataKey', 'kms:Encrypt'] },
  'pii:decrypt': { env: [ENV.piiKeyArn], actions: ['kms:Decrypt'] },
  'pii:blind-index': { env: [ENV.blindIndexKeyArn], actions: ['kms:GenerateMac'] },
  'identity:admin': {
    env: [ENV.userPoolId, ENV.userPoolClientId],
    actions: [
      'cognito-idp:AdminCreateUser',
      'cognito-idp:AdminSetUserPassword',
      'cognito-idp:AdminAddUserToGroup',
      'cognito-idp:AdminDeleteUser',
      'cognito-idp:AdminGetUser',
      'cognito-idp:AdminListGroupsForUser',
      'cognito-idp:AdminUpdateUserAttributes',
    ],
  },
  'identity:sign-in': { env: [ENV.userPoolId, ENV.userPoolClientId], actions: [] },
  'workflow:start': { env: [ENV.kycStateMachineArn], actions: ['states:StartExecution'] },
  'workflow:decide': {
    env: [ENV.kycStateMachineArn],
    actions: ['states:SendTaskSuccess', 'states:SendTaskFailure'],
  },
  'notifications:send': { env: [ENV.notificationsQueueUrl], actions: ['sqs:SendMessage'] },
  'audit:append': { env: [ENV.tableName], actions: ['dynamodb:PutItem', 'dynamodb:ConditionCheckItem'] },
  'security-events:record': { env: [ENV.tableName], actions: ['dynamodb:PutItem'] },
  'documents:presign-upload': {
    env: [ENV.documentsBucket],
    actions: ['s3:PutObject', 'kms:GenerateDataKey'],
  },
  'documents:presign-view': {
    env: [ENV.documentsBucket],
    actions: ['s3:GetObject', 's3:GetObjectVersion', 'kms:Decrypt'],
  },
  'documents:check': {
    env: [ENV.documentsBucket],
    actions: [
      's3:GetObject',
      's3:GetObjectVersion',
      's3:DeleteObject',
      's3:DeleteObjectVersion',
      'kms:Decrypt',
    ],
  },
  'kyc:policy': { env: [ENV.kycRequireIdentityDocument], actions: [] },
};

/** Every function gets these, whatever its capabilities. */
export const BASE_ENV = [
  ENV.stage,
  ENV.logLevel,
  'NODE_OPTIONS',
  'AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED',
];
/** Granted by `tracing: ACTIVE`, not by a capability. */
export const TRACING_ACTIONS = ['xray:PutTelemetryRecords', 'xray:PutTraceSegments'];
/** Every function writes to its own log group (and only there), whatever its capabilities. */
export const LOGGING_ACTIONS = ['logs:CreateLogStream', 'logs:PutLogEvents'];

export const unique = (values: readonly string[]): string[] => [...new Set(values)].sort();

export const expectedEnv = (definition: FunctionDefinition): string[] =>
  unique([...BASE_ENV, ...definition.capabilities.flatMap((capability) => CAPABILITY_SPEC[capability].env)]);

export const expectedActions = (definition: FunctionDefinition): string[] =>
  unique([
    ...TRACING_ACTIONS,
    ...LOGGING_ACTIONS,
    ...definition.capabilities.flatMap((capability) => CAPABILITY_SPEC[capability].actions),
  ]);

/** The function deployed for a route or task, found by its stage-prefixed name. */
export const functionOf = (template: Template, definition: FunctionDefinition, stage = 'dev') =>
  onlyResource(template, 'AWS::Lambda::Function', { FunctionName: `core-banking-${stage}-${definition.id}` });

export const environmentOf = (template: Template, definition: FunctionDefinition): Record<string, unknown> =>
  (functionOf(template, definition).properties.Environment as { Variables: Record<string, unknown> })
    .Variables;

export const grantedActions = (template: Template, definition: FunctionDefinition): string[] =>
  unique(
    functionStatements(template, functionOf(template, definition).logicalId).flatMap(
      (statement) => statement.Action,
    ),
  );
