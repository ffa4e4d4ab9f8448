import { Match } from 'aws-cdk-lib/assertions';
import { TABLE } from '@contract/table';
import { synthesize } from './support';

const dev = synthesize('dev');
const prod = synthesize('prod');

describe('data stack: the single table', () => {
  it('has string PK/SK keys and is billed on demand', () => {
    dev.data.hasResourceProperties('AWS::DynamoDB::Table', {
      KeySchema: [
        { AttributeName: TABLE.partitionKey, KeyType: 'HASH' },
        { AttributeName: TABLE.sortKey, KeyType: 'RANGE' },
      ],
      AttributeDefinitions: Match.arrayWith([
        { AttributeName: TABLE.partitionKey, AttributeType: 'S' },
        { AttributeName: TABLE.sortKey, AttributeType: 'S' },
      ]),
      BillingMode: 'PAY_PER_REQUEST',
    });
    dev.data.resourceCountIs('AWS::DynamoDB::Table', 1);
  });

  it.each(Object.entries(TABLE.indexes))(
    'has the %s index with string keys and ALL projection',
    (name, keys) => {
      dev.data.hasResourceProperties('AWS::DynamoDB::Table', {
        GlobalSecondaryIndexes: Match.arrayWith([
          {
            IndexName: name,
            KeySchema: [
              { AttributeName: keys.partitionKey, KeyType: 'HASH' },
              { AttributeName: keys.sortKey, KeyType: 'RANGE' },
            ],
            Projection: { ProjectionType: 'ALL' },
          },
        ]),
        AttributeDefinitions: Match.arrayWith([
          { AttributeName: keys.partitionKey, AttributeType: 'S' },
          { AttributeName: keys.sortKey, AttributeType: 'S' },
        ]),
      });
    },
  );

  it('has exactly the indexes of the contract', () => {
    const table = Object.values(dev.data.findResources('AWS::DynamoDB::Table'))[0];
    const indexes = (table?.Properties.GlobalSecondaryIndexes as { IndexName: string }[]).map(
      (i) => i.IndexName,
    );
    expect(indexes.sort()).toEqual(Object.keys(TABLE.indexes).sort());
  });

  it('streams new and old images, keeps point-in-time recovery and expires items by TTL', () => {
    dev.data.hasResourceProperties('AWS::DynamoDB::Table', {
      StreamSpecification: { StreamViewType: 'NEW_AND_OLD_IMAGES' },
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      TimeToLiveSpecification: { AttributeName: TABLE.ttlAttribute, Enabled: true },
    });
  });

  it('is deletion-protected and retained in prod', () => {
    prod.data.hasResource('AWS::DynamoDB::Table', {
      Properties: Match.objectLike({ DeletionProtectionEnabled: true }),
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
    });
  });

  it('can be thrown away in dev', () => {
    dev.data.hasResource('AWS::DynamoDB::Table', {
      Properties: Match.objectLike({ DeletionProtectionEnabled: false }),
      DeletionPolicy: 'Delete',
    });
  });
});

describe('data stack: KMS keys', () => {
  it('has a rotating symmetric PII key with a stage alias', () => {
    dev.data.hasResourceProperties('AWS::KMS::Key', {
      EnableKeyRotation: true,
      KeySpec: Match.absent(),
      Description: Match.stringLikeRegexp('PII'),
    });
    dev.data.hasResourceProperties('AWS::KMS::Alias', { AliasName: 'alias/core-banking-dev/pii' });
  });

  it('has an HMAC_256 blind-index key for GenerateMac, without rotation', () => {
    dev.data.hasResourceProperties('AWS::KMS::Key', {
      KeySpec: 'HMAC_256',
      KeyUsage: 'GENERATE_VERIFY_MAC',
      EnableKeyRotation: false,
    });
    dev.data.hasResourceProperties('AWS::KMS::Alias', {
      AliasName: 'alias/core-banking-dev/ssn-blind-index',
    });
  });

  it('retains both keys in prod and schedules their deletion in dev', () => {
    expect(Object.keys(prod.data.findResources('AWS::KMS::Key', { DeletionPolicy: 'Retain' }))).toHaveLength(
      2,
    );
    expect(Object.keys(dev.data.findResources('AWS::KMS::Key', { DeletionPolicy: 'Delete' }))).toHaveLength(
      2,
    );
    prod.data.resourcePropertiesCountIs('AWS::KMS::Key', { PendingWindowInDays: 30 }, 2);
  });
});

describe('data stack: the audit trail is append-only for everyone', () => {
  const policyOf = (template: typeof dev.data) => {
    const [table] = Object.values(template.findResources('AWS::DynamoDB::Table'));
    return (table?.Properties.ResourcePolicy as { PolicyDocument: { Statement: Record<string, unknown>[] } })
      .PolicyDocument.Statement;
  };
  const auditKeys = { 'ForAnyValue:StringLike': { 'dynamodb:LeadingKeys': ['AUDIT#*'] } };

  it('denies every principal any update or delete of an AUDIT# item', () => {
    expect(policyOf(dev.data)).toContainEqual({
      Sid: 'AuditRecordsAreNeverChanged',
      Effect: 'Deny',
      Principal: { AWS: '*' },
      Action: ['dynamodb:BatchWriteItem', 'dynamodb:DeleteItem', 'dynamodb:UpdateItem'],
      Resource: '*',
      Condition: auditKeys,
    });
  });

  it('lets only the audit writer role put AUDIT# items', () => {
    const onlyWriter = policyOf(prod.data).find((statement) => statement.Sid === 'OnlyTheAuditWriterAppends');
    expect(onlyWriter).toMatchObject({
      Effect: 'Deny',
      Principal: { AWS: '*' },
      Action: 'dynamodb:PutItem',
      Resource: '*',
      Condition: { ...auditKeys, ArnNotEquals: { 'aws:PrincipalArn': expect.anything() } },
    });
    expect(JSON.stringify(onlyWriter)).toContain(':role/core-banking-prod-audit-writer');
  });

  it('is left out of the LocalStack variant, which enforces no IAM', () => {
    const localstack = synthesize('dev', { target: 'localstack' });
    const [table] = Object.values(localstack.data.findResources('AWS::DynamoDB::Table'));
    expect(table?.Properties.ResourcePolicy).toBeUndefined();
  });

  it('refuses PartiQL writes, whose checks cannot see the key', () => {
    expect(policyOf(dev.data)).toContainEqual(
      expect.objectContaining({
        Effect: 'Deny',
        Action: ['dynamodb:PartiQLDelete', 'dynamodb:PartiQLInsert', 'dynamodb:PartiQLUpdate'],
      }),
    );
  });
});
