import {
  AddCustomAttributesCommand,
  CognitoIdentityProviderClient,
  CreateGroupCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  DescribeUserPoolClientCommand,
  DescribeUserPoolCommand,
  ListGroupsCommand,
  UpdateGroupCommand,
  UpdateUserPoolClientCommand,
  type ExplicitAuthFlowsType,
} from '@aws-sdk/client-cognito-identity-provider';
import {
  CreateTableCommand,
  DescribeTableCommand,
  DescribeTimeToLiveCommand,
  DynamoDBClient,
  UpdateTableCommand,
  UpdateTimeToLiveCommand,
  type AttributeDefinition,
  type GlobalSecondaryIndex,
  type TableDescription,
} from '@aws-sdk/client-dynamodb';
import { CreateKeyCommand, DescribeKeyCommand, KMSClient } from '@aws-sdk/client-kms';
import {
  CreateQueueCommand,
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  SQSClient,
  SetQueueAttributesCommand,
  type QueueAttributeName,
} from '@aws-sdk/client-sqs';
import {
  KYC_STATUS_ATTRIBUTE,
  PASSWORD_POLICY,
  TOKEN_VALIDITY,
  USER_POOL_CLIENT_AUTH_FLOWS,
} from '@contract/auth';
import { QUEUES, type QueueId } from '@contract/queues';
import { ROLE_INFO, ROLES } from '@contract/roles';
import { INDEX_NAMES, TABLE } from '@contract/table';
import { FAKE_CREDENTIALS, LOCAL_REGION } from './emulators/support';
import type { QueueResources, Resources } from './state';
import { LOCAL_KYC_STATE_MACHINE_ARN, LOCAL_NAME_PREFIX } from './workflows';

/*
 * Creates, idempotently, the table, user pool, groups, app client and KMS keys the app needs, from the SAME
 * contract definitions the CDK stacks read (src/contract), so local and AWS cannot drift apart. Everything
 * goes through the AWS SDK, exactly as it would against LocalStack or an account.
 */

export const LOCAL_NAMES = {
  table: LOCAL_NAME_PREFIX,
  userPool: LOCAL_NAME_PREFIX,
  userPoolClient: `${LOCAL_NAME_PREFIX}-api`,
  queue: (name: string) => `${LOCAL_NAME_PREFIX}-${name}`,
  deadLetterQueue: (name: string) => `${LOCAL_NAME_PREFIX}-${name}-dlq`,
  documentsBucket: `${LOCAL_NAME_PREFIX}-kyc-documents`,
  documentCheckDeadLetterQueue: `${LOCAL_NAME_PREFIX}-kyc-document-check-dlq`,
} as const;

export interface BootstrapEndpoints {
  dynamodb: string;
  cognito: string;
  kms: string;
  sqs: string;
}

export type StepOutcome = 'created' | 'reused' | 'updated';

export interface BootstrapReport {
  resources: Resources;
  steps: { name: string; outcome: StepOutcome; ms: number }[];
}

const clientConfig = (endpoint: string) => ({
  endpoint,
  region: LOCAL_REGION,
  credentials: FAKE_CREDENTIALS,
  maxAttempts: 2,
});

const errorName = (error: unknown) => (error instanceof Error ? error.name : '');

// ---------------------------------------------------------------------------------------------- DynamoDB

const keyAttributes = (): string[] => [
  TABLE.partitionKey,
  TABLE.sortKey,
  ...INDEX_NAMES.flatMap((name) => [TABLE.indexes[name].partitionKey, TABLE.indexes[name].sortKey]),
];

const attributeDefinitions = (names: string[]): AttributeDefinition[] =>
  [...new Set(names)].map((AttributeName) => ({ AttributeName, AttributeType: 'S' }));

// Projection ALL is what the CDK data stack uses too (its default): queries on an index return whole items.
const indexDefinition = (name: (typeof INDEX_NAMES)[number]): GlobalSecondaryIndex => ({
  IndexName: name,
  KeySchema: [
    { AttributeName: TABLE.indexes[name].partitionKey, KeyType: 'HASH' },
    { AttributeName: TABLE.indexes[name].sortKey, KeyType: 'RANGE' },
  ],
  Projection: { ProjectionType: 'ALL' },
});

const describeTable = async (dynamodb: DynamoDBClient, TableName: string) => {
  try {
    return (await dynamodb.send(new DescribeTableCommand({ TableName }))).Table;
  } catch (error) {
    if (errorName(error) === 'ResourceNotFoundException') return undefined;
    throw error;
  }
};

const assertSameKeys = (table: TableDescription) => {
  const key = (type: 'HASH' | 'RANGE') => table.KeySchema?.find((k) => k.KeyType === type)?.AttributeName;
  if (key('HASH') !== TABLE.partitionKey || key('RANGE') !== TABLE.sortKey) {
    throw new Error(
      `Table ${table.TableName} has keys ${key('HASH')}/${key('RANGE')}, the contract says ` +
        `${TABLE.partitionKey}/${TABLE.sortKey}: restart with --fresh to recreate the local data.`,
    );
  }
};

/** The table, its indexes, its stream and TTL; indexes added to the contract later are added in place. */
export const ensureTable = async (dynamodb: DynamoDBClient, TableName: string): Promise<StepOutcome> => {
  let outcome: StepOutcome = 'reused';
  const existing = await describeTable(dynamodb, TableName);
  if (!existing) {
    await dynamodb.send(
      new CreateTableCommand({
        TableName,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: attributeDefinitions(keyAttributes()),
        KeySchema: [
          { AttributeName: TABLE.partitionKey, KeyType: 'HASH' },
          { AttributeName: TABLE.sortKey, KeyType: 'RANGE' },
        ],
        GlobalSecondaryIndexes: INDEX_NAMES.map(indexDefinition),
        StreamSpecification: { StreamEnabled: true, StreamViewType: TABLE.streamView },
      }),
    );
    outcome = 'created';
  } else {
    assertSameKeys(existing);
    const present = new Set(existing.GlobalSecondaryIndexes?.map((index) => index.IndexName));
    // DynamoDB accepts one new GSI per UpdateTable call.
    for (const name of INDEX_NAMES.filter((candidate) => !present.has(candidate))) {
      await dynamodb.send(
        new UpdateTableCommand({
          TableName,
          AttributeDefinitions: attributeDefinitions([
            TABLE.indexes[name].partitionKey,
            TABLE.indexes[name].sortKey,
          ]),
          GlobalSecondaryIndexUpdates: [{ Create: indexDefinition(name) }],
        }),
      );
      outcome = 'updated';
    }
    const stream = existing.StreamSpecification;
    if (!stream?.StreamEnabled || stream.StreamViewType !== TABLE.streamView) {
      if (stream?.StreamEnabled) {
        await dynamodb.send(
          new UpdateTableCommand({ TableName, StreamSpecification: { StreamEnabled: false } }),
        );
      }
      await dynamodb.send(
        new UpdateTableCommand({
          TableName,
          StreamSpecification: { StreamEnabled: true, StreamViewType: TABLE.streamView },
        }),
      );
      outcome = 'updated';
    }
  }

  const ttl = await dynamodb.send(new DescribeTimeToLiveCommand({ TableName }));
  const ttlDescription = ttl.TimeToLiveDescription;
  if (ttlDescription?.TimeToLiveStatus !== 'ENABLED' || ttlDescription.AttributeName !== TABLE.ttlAttribute) {
    await dynamodb.send(
      new UpdateTimeToLiveCommand({
        TableName,
        TimeToLiveSpecification: { Enabled: true, AttributeName: TABLE.ttlAttribute },
      }),
    );
    if (outcome === 'reused') outcome = 'updated';
  }
  return outcome;
};

// ----------------------------------------------------------------------------------------------- Cognito

const describePool = async (cognito: CognitoIdentityProviderClient, UserPoolId: string | undefined) => {
  if (!UserPoolId) return undefined;
  try {
    return (await cognito.send(new DescribeUserPoolCommand({ UserPoolId }))).UserPool;
  } catch (error) {
    if (errorName(error) === 'ResourceNotFoundException') return undefined;
    throw error;
  }
};

/** Custom attributes, as the auth stack declares them (mutable strings, set by the KYC workflow only). */
const CUSTOM_ATTRIBUTES = [
  { Name: KYC_STATUS_ATTRIBUTE, AttributeDataType: 'String', Mutable: true },
] as const;

const clientExists = async (
  cognito: CognitoIdentityProviderClient,
  UserPoolId: string,
  ClientId?: string,
) => {
  if (!ClientId) return false;
  try {
    await cognito.send(new DescribeUserPoolClientCommand({ UserPoolId, ClientId }));
    return true;
  } catch (error) {
    if (errorName(error) === 'ResourceNotFoundException') return false;
    throw error;
  }
};

/** App client settings from the contract; applied on create and re-applied on every start. */
const appClientSettings = {
  ExplicitAuthFlows: [...USER_POOL_CLIENT_AUTH_FLOWS] as ExplicitAuthFlowsType[],
  // cognito-local honours these when it signs tokens (it otherwise issues 24 h access tokens).
  AccessTokenValidity: TOKEN_VALIDITY.accessTokenMinutes,
  IdTokenValidity: TOKEN_VALIDITY.idTokenMinutes,
  RefreshTokenValidity: TOKEN_VALIDITY.refreshTokenDays,
  TokenValidityUnits: { AccessToken: 'minutes', IdToken: 'minutes', RefreshToken: 'days' },
  PreventUserExistenceErrors: 'ENABLED',
  EnableTokenRevocation: true,
  // As the auth stack: the app client reads the KYC status but cannot write it (nor e-mail).
  ReadAttributes: ['email', 'email_verified', `custom:${KYC_STATUS_ATTRIBUTE}`] as string[],
  WriteAttributes: ['locale'] as string[],
} as const;

export const ensureUserPool = async (
  cognito: CognitoIdentityProviderClient,
  previous: { userPoolId?: string; userPoolClientId?: string },
): Promise<{ userPoolId: string; userPoolClientId: string; outcome: StepOutcome }> => {
  let outcome: StepOutcome = 'reused';
  let userPoolId = previous.userPoolId;
  const existingPool = await describePool(cognito, userPoolId);
  if (!userPoolId || !existingPool) {
    const { UserPool } = await cognito.send(
      new CreateUserPoolCommand({
        PoolName: LOCAL_NAMES.userPool,
        // cognito-local signs in by e-mail whatever is asked; in AWS the pool does the same (see the stack).
        UsernameAttributes: ['email'],
        AutoVerifiedAttributes: ['email'],
        AdminCreateUserConfig: { AllowAdminCreateUserOnly: true },
        Schema: CUSTOM_ATTRIBUTES.map((attribute) => ({ ...attribute })),
        Policies: {
          PasswordPolicy: {
            MinimumLength: PASSWORD_POLICY.minLength,
            RequireUppercase: PASSWORD_POLICY.requireUppercase,
            RequireLowercase: PASSWORD_POLICY.requireLowercase,
            RequireNumbers: PASSWORD_POLICY.requireDigits,
            RequireSymbols: PASSWORD_POLICY.requireSymbols,
          },
        },
      }),
    );
    if (!UserPool?.Id) throw new Error('CreateUserPool returned no pool id');
    userPoolId = UserPool.Id;
    outcome = 'created';
  } else {
    // A pool from an older start: custom attributes added to the contract since then are added in place.
    const present = new Set(existingPool.SchemaAttributes?.map((attribute) => attribute.Name));
    const missing = CUSTOM_ATTRIBUTES.filter((attribute) => !present.has(`custom:${attribute.Name}`));
    if (missing.length) {
      await cognito.send(
        new AddCustomAttributesCommand({
          UserPoolId: userPoolId,
          CustomAttributes: missing.map((attribute) => ({ ...attribute })),
        }),
      );
      outcome = 'updated';
    }
  }

  // Listed, not fetched one by one: cognito-local's CreateGroup silently overwrites an existing group, and
  // its GetGroup fails with a 500 on a pool that has no group yet.
  const existing = new Map<string, { Description?: string; Precedence?: number }>();
  let NextToken: string | undefined;
  do {
    const page = await cognito.send(new ListGroupsCommand({ UserPoolId: userPoolId, NextToken }));
    for (const group of page.Groups ?? []) if (group.GroupName) existing.set(group.GroupName, group);
    NextToken = page.NextToken;
  } while (NextToken);

  for (const role of ROLES) {
    const group = {
      UserPoolId: userPoolId,
      GroupName: role,
      Description: ROLE_INFO[role].description,
      Precedence: ROLE_INFO[role].precedence,
    };
    const current = existing.get(role);
    if (!current) {
      await cognito.send(new CreateGroupCommand(group));
      if (outcome === 'reused') outcome = 'updated';
    } else if (current.Description !== group.Description || current.Precedence !== group.Precedence) {
      await cognito.send(new UpdateGroupCommand(group));
      if (outcome === 'reused') outcome = 'updated';
    }
  }

  let userPoolClientId = outcome === 'created' ? undefined : previous.userPoolClientId;
  if (userPoolClientId && (await clientExists(cognito, userPoolId, userPoolClientId))) {
    await cognito.send(
      new UpdateUserPoolClientCommand({
        UserPoolId: userPoolId,
        ClientId: userPoolClientId,
        ClientName: LOCAL_NAMES.userPoolClient,
        ...appClientSettings,
      }),
    );
  } else {
    const { UserPoolClient } = await cognito.send(
      new CreateUserPoolClientCommand({
        UserPoolId: userPoolId,
        ClientName: LOCAL_NAMES.userPoolClient,
        GenerateSecret: false,
        ...appClientSettings,
      }),
    );
    if (!UserPoolClient?.ClientId) throw new Error('CreateUserPoolClient returned no client id');
    userPoolClientId = UserPoolClient.ClientId;
    if (outcome === 'reused') outcome = 'updated';
  }
  return { userPoolId, userPoolClientId, outcome };
};

// ------------------------------------------------------------------------------------------------- KMS

const KEYS = {
  pii: {
    KeyUsage: 'ENCRYPT_DECRYPT',
    KeySpec: 'SYMMETRIC_DEFAULT',
    Description: 'core-banking local: PII envelope encryption',
  },
  blindIndex: {
    KeyUsage: 'GENERATE_VERIFY_MAC',
    KeySpec: 'HMAC_256',
    Description: 'core-banking local: blind index HMAC',
  },
} as const;

const ensureKey = async (
  kms: KMSClient,
  spec: (typeof KEYS)[keyof typeof KEYS],
  previousArn: string | undefined,
): Promise<{ arn: string; created: boolean }> => {
  if (previousArn) {
    try {
      const { KeyMetadata } = await kms.send(new DescribeKeyCommand({ KeyId: previousArn }));
      if (KeyMetadata?.KeyUsage === spec.KeyUsage && KeyMetadata.Arn)
        return { arn: KeyMetadata.Arn, created: false };
    } catch (error) {
      if (errorName(error) !== 'NotFoundException') throw error;
    }
  }
  const { KeyMetadata } = await kms.send(new CreateKeyCommand(spec));
  if (!KeyMetadata?.Arn) throw new Error('CreateKey returned no ARN');
  return { arn: KeyMetadata.Arn, created: true };
};

// ------------------------------------------------------------------------------------------------- SQS

const DAY = 24 * 3600;

/** Creates the queue, or brings an existing one back to the contract's attributes. */
const ensureQueue = async (
  sqs: SQSClient,
  QueueName: string,
  Attributes: Partial<Record<QueueAttributeName, string>>,
): Promise<{ url: string; arn: string; created: boolean }> => {
  let url: string | undefined;
  try {
    url = (await sqs.send(new GetQueueUrlCommand({ QueueName }))).QueueUrl;
  } catch (error) {
    if (!/QueueDoesNotExist|NonExistentQueue/.test(errorName(error))) throw error;
  }
  const created = !url;
  if (url) await sqs.send(new SetQueueAttributesCommand({ QueueUrl: url, Attributes }));
  else url = (await sqs.send(new CreateQueueCommand({ QueueName, Attributes }))).QueueUrl;
  if (!url) throw new Error(`CreateQueue returned no URL for ${QueueName}`);
  // local-aws-sqs honours only 'All' (see ARCHITECTURE.md).
  const { Attributes: actual } = await sqs.send(
    new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['All'] }),
  );
  if (!actual?.QueueArn) throw new Error(`Queue ${QueueName} has no ARN`);
  return { url, arn: actual.QueueArn, created };
};

/** Every queue of the contract with its dead-letter queue and redrive policy. */
export const ensureQueues = async (
  sqs: SQSClient,
): Promise<{ queues: Record<QueueId, QueueResources>; outcome: StepOutcome }> => {
  let outcome: StepOutcome = 'reused';
  const queues = {} as Record<QueueId, QueueResources>;
  for (const id of Object.keys(QUEUES) as QueueId[]) {
    const spec = QUEUES[id];
    const dlq = await ensureQueue(sqs, LOCAL_NAMES.deadLetterQueue(spec.name), {
      MessageRetentionPeriod: String(spec.deadLetterRetentionDays * DAY),
    });
    const queue = await ensureQueue(sqs, LOCAL_NAMES.queue(spec.name), {
      VisibilityTimeout: String(spec.visibilityTimeoutSeconds),
      MessageRetentionPeriod: String(spec.retentionDays * DAY),
      RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlq.arn, maxReceiveCount: spec.maxReceiveCount }),
    });
    if (dlq.created || queue.created) outcome = 'created';
    queues[id] = { url: queue.url, arn: queue.arn, deadLetterUrl: dlq.url, deadLetterArn: dlq.arn };
  }
  return { queues, outcome };
};

// ------------------------------------------------------------------------------------------------- all

export const bootstrap = async (
  endpoints: BootstrapEndpoints,
  previous: Partial<Resources> = {},
): Promise<BootstrapReport> => {
  const dynamodb = new DynamoDBClient(clientConfig(endpoints.dynamodb));
  const cognito = new CognitoIdentityProviderClient(clientConfig(endpoints.cognito));
  const kms = new KMSClient(clientConfig(endpoints.kms));
  const sqs = new SQSClient(clientConfig(endpoints.sqs));
  const steps: BootstrapReport['steps'] = [];
  const timed = async <T>(name: string, work: () => Promise<T>, outcome: (result: T) => StepOutcome) => {
    const started = performance.now();
    const result = await work();
    steps.push({ name, outcome: outcome(result), ms: Math.round(performance.now() - started) });
    return result;
  };

  try {
    const tableName = previous.tableName ?? LOCAL_NAMES.table;
    // Independent services: set them up concurrently.
    const [, pool, keys, queues] = await Promise.all([
      timed(
        `table ${tableName}`,
        () => ensureTable(dynamodb, tableName),
        (outcome) => outcome,
      ),
      timed(
        'user pool, groups, app client',
        () => ensureUserPool(cognito, previous),
        (result) => result.outcome,
      ),
      timed(
        'KMS keys (PII, blind index)',
        async () => {
          const pii = await ensureKey(kms, KEYS.pii, previous.piiKeyArn);
          const blindIndex = await ensureKey(kms, KEYS.blindIndex, previous.blindIndexKeyArn);
          return { pii, blindIndex };
        },
        ({ pii, blindIndex }) => (pii.created || blindIndex.created ? 'created' : 'reused'),
      ),
      timed(
        `queues ${Object.values(QUEUES)
          .map((queue) => queue.name)
          .join(', ')} (+DLQ)`,
        () => ensureQueues(sqs),
        (result) => result.outcome,
      ),
    ]);
    return {
      resources: {
        tableName,
        userPoolId: pool.userPoolId,
        userPoolClientId: pool.userPoolClientId,
        piiKeyArn: keys.pii.arn,
        blindIndexKeyArn: keys.blindIndex.arn,
        queues: queues.queues,
        kycStateMachineArn: LOCAL_KYC_STATE_MACHINE_ARN,
        // Created by the S3 emulator at start from the contract (name and CORS): see local/emulators/s3.ts.
        documentsBucket: LOCAL_NAMES.documentsBucket,
      },
      steps,
    };
  } finally {
    dynamodb.destroy();
    cognito.destroy();
    kms.destroy();
    sqs.destroy();
  }
};
