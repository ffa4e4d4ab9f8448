import { Stack, type StackProps } from 'aws-cdk-lib';
import { AnyPrincipal, Effect, PolicyDocument, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { AttributeType, BillingMode, ProjectionType, StreamViewType, Table } from 'aws-cdk-lib/aws-dynamodb';
import { Key, KeySpec, KeyUsage } from 'aws-cdk-lib/aws-kms';
import type { Construct } from 'constructs';
import { KEY_PREFIXES, TABLE } from '@contract/table';
import { auditWriterRoleName, type StageConfig } from '../config';

export interface DataStackProps extends StackProps {
  readonly config: StageConfig;
}

/**
 * The audit trail is append-only for every principal of the account, administrators included: explicit
 * denies in the table's own policy outrank any Allow in any role. Nobody updates or deletes an `AUDIT#`
 * item, and only the audit consumer's role puts one (its appends are conditioned on the item not existing,
 * so it cannot overwrite one either). PartiQL writes are refused outright: nothing uses them, and their
 * IAM checks do not see the item's key. The resource is `*` (this table): a policy cannot name the ARN of
 * the table it is created with.
 */
const appendOnlyAuditTrail = (stack: Stack, config: StageConfig): PolicyDocument => {
  const auditKeys = { 'ForAnyValue:StringLike': { 'dynamodb:LeadingKeys': [`${KEY_PREFIXES.audit}*`] } };
  return new PolicyDocument({
    statements: [
      new PolicyStatement({
        sid: 'AuditRecordsAreNeverChanged',
        effect: Effect.DENY,
        principals: [new AnyPrincipal()],
        actions: ['dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:BatchWriteItem'],
        resources: ['*'],
        conditions: auditKeys,
      }),
      new PolicyStatement({
        sid: 'OnlyTheAuditWriterAppends',
        effect: Effect.DENY,
        principals: [new AnyPrincipal()],
        actions: ['dynamodb:PutItem'],
        resources: ['*'],
        conditions: {
          ...auditKeys,
          ArnNotEquals: {
            'aws:PrincipalArn': stack.formatArn({
              service: 'iam',
              region: '',
              resource: 'role',
              resourceName: auditWriterRoleName(config),
            }),
          },
        },
      }),
      new PolicyStatement({
        sid: 'NoPartiQLWrites',
        effect: Effect.DENY,
        principals: [new AnyPrincipal()],
        actions: ['dynamodb:PartiQLInsert', 'dynamodb:PartiQLUpdate', 'dynamodb:PartiQLDelete'],
        resources: ['*'],
      }),
    ],
  });
};

/** State that outlives every deployment: the single table and the keys that protect PII in it. */
export class DataStack extends Stack {
  public readonly table: Table;
  /** Envelope encryption of SSN and address (AWS Encryption SDK, one data key per value). */
  public readonly piiKey: Key;
  /** HMAC key for the SSN blind index, so duplicates are found without decrypting anything. */
  public readonly blindIndexKey: Key;

  constructor(scope: Construct, id: string, props: DataStackProps) {
    super(scope, id, props);
    const { config } = props;

    this.table = new Table(this, 'Table', {
      partitionKey: { name: TABLE.partitionKey, type: AttributeType.STRING },
      sortKey: { name: TABLE.sortKey, type: AttributeType.STRING },
      billingMode: BillingMode.PAY_PER_REQUEST,
      // The stream is the outbox for the audit and fraud consumers.
      stream: StreamViewType[TABLE.streamView],
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      timeToLiveAttribute: TABLE.ttlAttribute,
      deletionProtection: config.protectData,
      removalPolicy: config.removalPolicy,
      // LocalStack's free edition enforces no IAM at all, so the policy would only be decoration there.
      ...(config.target === 'aws' ? { resourcePolicy: appendOnlyAuditTrail(this, config) } : {}),
    });
    for (const [indexName, keys] of Object.entries(TABLE.indexes)) {
      this.table.addGlobalSecondaryIndex({
        indexName,
        partitionKey: { name: keys.partitionKey, type: AttributeType.STRING },
        sortKey: { name: keys.sortKey, type: AttributeType.STRING },
        projectionType: ProjectionType.ALL,
      });
    }

    this.piiKey = new Key(this, 'PiiKey', {
      description: `${config.namePrefix}: envelope encryption of customer PII (SSN, address)`,
      alias: `alias/${config.namePrefix}/pii`,
      enableKeyRotation: true,
      pendingWindow: config.keyPendingWindow,
      removalPolicy: config.removalPolicy,
    });

    this.blindIndexKey = new Key(this, 'BlindIndexKey', {
      description: `${config.namePrefix}: HMAC blind index of SSNs for duplicate detection`,
      alias: `alias/${config.namePrefix}/ssn-blind-index`,
      keySpec: KeySpec.HMAC_256,
      keyUsage: KeyUsage.GENERATE_VERIFY_MAC,
      // KMS cannot rotate HMAC keys (only symmetric encryption keys). Rotating it would be wrong anyway:
      // a new key gives every SSN a new MAC, so stored blind indexes would stop matching duplicates.
      enableKeyRotation: false,
      pendingWindow: config.keyPendingWindow,
      removalPolicy: config.removalPolicy,
    });
  }
}
