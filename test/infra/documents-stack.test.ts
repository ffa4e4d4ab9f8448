import { Match } from 'aws-cdk-lib/assertions';
import { DOCUMENT_CHECK, DOCUMENT_RETENTION } from '@contract/documents';
import { ENV } from '@contract/env';
import { routeById } from '@contract/routes';
import { environmentOf, expectedActions, expectedEnv, functionOf, grantedActions } from './capabilities';
import { functionStatements, iamStatements, onlyResource, resourcesOf, synthesize } from './support';

const dev = synthesize('dev');
const prod = synthesize('prod');
const withOrigins = synthesize('dev', { allowedOrigins: 'https://console.bank.example' });

const BUCKET_NAME = 'core-banking-dev-kyc-documents-000000000000-us-east-1';
const documentsBucket = (template = dev.documents) =>
  onlyResource(template, 'AWS::S3::Bucket', { BucketName: Match.stringLikeRegexp('kyc-documents') });

describe('documents stack: the KYC documents bucket', () => {
  it('blocks every form of public access and enforces bucket-owner ownership', () => {
    expect(documentsBucket().properties).toMatchObject({
      BucketName: BUCKET_NAME,
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
      OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
    });
  });

  it("encrypts with SSE-KMS under the project's key, with an S3 bucket key", () => {
    expect(documentsBucket().properties.BucketEncryption).toEqual({
      ServerSideEncryptionConfiguration: [
        {
          BucketKeyEnabled: true,
          ServerSideEncryptionByDefault: {
            SSEAlgorithm: 'aws:kms',
            KMSMasterKeyID: { 'Fn::ImportValue': expect.stringMatching(/^CoreBanking-dev-Data:.*PiiKey/) },
          },
        },
      ],
    });
  });

  it('keeps versions and writes server access logs to its own log bucket', () => {
    const logs = onlyResource(dev.documents, 'AWS::S3::Bucket', {
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
      },
    });
    expect(documentsBucket().properties).toMatchObject({
      VersioningConfiguration: { Status: 'Enabled' },
      LoggingConfiguration: {
        DestinationBucketName: { Ref: logs.logicalId },
        LogFilePrefix: 'kyc-documents/',
      },
    });
  });

  it('refuses every request that is not over TLS (bucket policy)', () => {
    const bucket = documentsBucket();
    dev.documents.hasResourceProperties('AWS::S3::BucketPolicy', {
      Bucket: { Ref: bucket.logicalId },
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: 'Deny',
            Principal: { AWS: '*' },
            Action: 's3:*',
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          }),
        ]),
      },
    });
  });

  it.each([
    ['dev', dev],
    ['prod', prod],
  ] as const)('expires documents and replaced versions after the %s retention', (stage, built) => {
    const retention = DOCUMENT_RETENTION[stage];
    expect(documentsBucket(built.documents).properties.LifecycleConfiguration).toEqual({
      Rules: expect.arrayContaining([
        {
          Id: 'kyc-document-retention',
          Prefix: 'kyc/',
          Status: 'Enabled',
          ExpirationInDays: retention.retentionDays,
          NoncurrentVersionExpiration: { NoncurrentDays: retention.noncurrentDays },
          AbortIncompleteMultipartUpload: { DaysAfterInitiation: retention.abortIncompleteUploadDays },
        },
      ]),
    });
  });

  it('has no CORS unless origins are configured, then POST from exactly those', () => {
    expect(documentsBucket().properties.CorsConfiguration).toBeUndefined();
    expect(documentsBucket(withOrigins.documents).properties.CorsConfiguration).toEqual({
      CorsRules: [
        expect.objectContaining({
          AllowedOrigins: ['https://console.bank.example'],
          AllowedMethods: ['POST'],
        }),
      ],
    });
  });
});

describe('documents stack: the check on arrival', () => {
  const check = () => functionOf(dev.documents, DOCUMENT_CHECK);

  it('is notified of every object created under kyc/', () => {
    dev.documents.hasResourceProperties('Custom::S3BucketNotifications', {
      BucketName: { Ref: documentsBucket().logicalId },
      NotificationConfiguration: {
        LambdaFunctionConfigurations: [
          {
            Events: ['s3:ObjectCreated:*'],
            Filter: { Key: { FilterRules: [{ Name: 'prefix', Value: 'kyc/' }] } },
            LambdaFunctionArn: { 'Fn::GetAtt': [check().logicalId, 'Arn'] },
          },
        ],
      },
    });
  });

  it('retries a failed event, then sends it to an encrypted dead-letter queue', () => {
    const dlq = onlyResource(dev.documents, 'AWS::SQS::Queue', {
      QueueName: 'core-banking-dev-kyc-document-check-dlq',
    });
    expect(dlq.properties).toMatchObject({ SqsManagedSseEnabled: true });
    dev.documents.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      FunctionName: { Ref: check().logicalId },
      MaximumRetryAttempts: DOCUMENT_CHECK.retryAttempts,
      DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': [dlq.logicalId, 'Arn'] } } },
    });
  });

  it('gets exactly its capabilities: read, delete rejected versions, decrypt; plus the DLQ', () => {
    expect(Object.keys(environmentOf(dev.documents, DOCUMENT_CHECK)).sort()).toEqual(
      expectedEnv(DOCUMENT_CHECK),
    );
    expect(environmentOf(dev.documents, DOCUMENT_CHECK)).toMatchObject({
      [ENV.documentsBucket]: BUCKET_NAME,
      [ENV.kycRequireIdentityDocument]: 'false',
    });
    // The on-failure destination's own grant comes with configureAsyncInvoke.
    const destination = ['sqs:GetQueueAttributes', 'sqs:GetQueueUrl', 'sqs:SendMessage'];
    expect(grantedActions(dev.documents, DOCUMENT_CHECK)).toEqual(
      [...new Set([...expectedActions(DOCUMENT_CHECK), ...destination])].sort(),
    );
    const objectStatements = functionStatements(dev.documents, check().logicalId).filter((statement) =>
      statement.Action.some((action) => action.startsWith('s3:')),
    );
    expect(objectStatements).toEqual([
      {
        Effect: 'Allow',
        Action: ['s3:DeleteObject', 's3:DeleteObjectVersion', 's3:GetObject', 's3:GetObjectVersion'].sort(),
        Resource: `arn:aws:s3:::${BUCKET_NAME}/kyc/*`,
      },
    ]);
  });
});

describe('documents: least privilege of the routes', () => {
  const objectActions = (definition: Parameters<typeof functionOf>[1]) =>
    functionStatements(dev.api, functionOf(dev.api, definition).logicalId).filter((statement) =>
      statement.Action.some((action) => action.startsWith('s3:')),
    );

  it('lets the upload route put objects under kyc/ only (what its presigned POSTs can do)', () => {
    expect(objectActions(routeById('RequestDocumentUpload'))).toEqual([
      { Effect: 'Allow', Action: ['s3:PutObject'], Resource: `arn:aws:s3:::${BUCKET_NAME}/kyc/*` },
    ]);
  });

  it('lets the staff view route only read', () => {
    expect(objectActions(routeById('ListUserDocuments'))).toEqual([
      {
        Effect: 'Allow',
        Action: ['s3:GetObject', 's3:GetObjectVersion'],
        Resource: `arn:aws:s3:::${BUCKET_NAME}/kyc/*`,
      },
    ]);
  });

  it('grants no wildcard action anywhere in the documents and API stacks', () => {
    const actions = [...iamStatements(dev.documents), ...iamStatements(dev.api)].flatMap((s) => s.Action);
    expect(actions.filter((action) => action.includes('*'))).toEqual([]);
    expect(Object.keys(resourcesOf(dev.documents, 'AWS::Lambda::Function')).length).toBeGreaterThan(0);
  });

  it('requires a verified identity document for approval in prod only (unless overridden)', () => {
    const policyOf = (built: typeof dev, stage: string) =>
      (
        functionOf(built.api, routeById('DecideKyc'), stage).properties.Environment as {
          Variables: Record<string, unknown>;
        }
      ).Variables[ENV.kycRequireIdentityDocument];
    const override = synthesize('prod', { kycRequireIdentityDocument: 'false' });
    expect([policyOf(dev, 'dev'), policyOf(prod, 'prod'), policyOf(override, 'prod')]).toEqual([
      'false',
      'true',
      'false',
    ]);
  });
});
