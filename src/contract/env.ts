/**
 * Environment variable names shared by the CDK constructs (which set them) and the handlers (which read
 * them through `@kit/config`). Endpoints are never configured here: SDK clients find emulators through the
 * standard AWS_ENDPOINT_URL_<SERVICE> variables.
 */
export const ENV = {
  stage: 'STAGE',
  tableName: 'TABLE_NAME',
  userPoolId: 'USER_POOL_ID',
  userPoolClientId: 'USER_POOL_CLIENT_ID',
  piiKeyArn: 'PII_KEY_ARN',
  blindIndexKeyArn: 'BLIND_INDEX_KEY_ARN',
  logLevel: 'LOG_LEVEL',
  kycStateMachineArn: 'KYC_STATE_MACHINE_ARN',
  notificationsQueueUrl: 'NOTIFICATIONS_QUEUE_URL',
  /** The KYC documents bucket. */
  documentsBucket: 'DOCUMENTS_BUCKET',
  /**
   * `true` for an S3 endpoint that cannot serve virtual-hosted bucket names (the local emulator): the S3
   * client then addresses buckets by path. Unset in AWS.
   */
  s3ForcePathStyle: 'S3_FORCE_PATH_STYLE',
  /** `true` when approving a KYC case needs a verified identity document (the stage's policy). */
  kycRequireIdentityDocument: 'KYC_REQUIRE_IDENTITY_DOCUMENT',
  /** Origins a browser may call from (set only with `-c allowedOrigins=...`). */
  allowedOrigins: 'ALLOWED_ORIGINS',
} as const;
export type EnvName = (typeof ENV)[keyof typeof ENV];

export const STAGES = ['dev', 'staging', 'prod'] as const;
export type Stage = (typeof STAGES)[number];
export const isStage = (value: unknown): value is Stage =>
  typeof value === 'string' && (STAGES as readonly string[]).includes(value);
