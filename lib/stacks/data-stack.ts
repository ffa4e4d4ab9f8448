import { Stack, type StackProps } from 'aws-cdk-lib';
import { AttributeType, BillingMode, ProjectionType, StreamViewType, Table } from 'aws-cdk-lib/aws-dynamodb';
import { Key, KeySpec, KeyUsage } from 'aws-cdk-lib/aws-kms';
import type { Construct } from 'constructs';
import { TABLE } from '@contract/table';
import type { StageConfig } from '../config';

export interface DataStackProps extends StackProps {
  readonly config: StageConfig;
}

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
