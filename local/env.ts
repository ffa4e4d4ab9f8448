import { ENV } from '@contract/env';
import { FAKE_CREDENTIALS, LOCAL_REGION } from './emulators/support';
import type { EmulatorName, Resources } from './state';

/**
 * The environment the handlers see locally: the same variable names CDK sets in AWS, and the standard
 * AWS_ENDPOINT_URL_<SERVICE> variables that make every SDK client talk to an emulator without the code
 * knowing. Used by `npm start` and by `npm run create-user`, so both reach the same resources.
 */
export const runtimeEnv = (
  resources: Resources,
  endpoints: Omit<Record<EmulatorName, string>, 's3'> & { stepfunctions?: string; s3?: string },
  logLevel = process.env[ENV.logLevel] ?? 'INFO',
  /** The stage policy CDK sets from lib/config.ts; locally `npm start -- --require-identity-document`. */
  kycPolicy: { requireIdentityDocument: boolean } = { requireIdentityDocument: false },
): Record<string, string> => ({
  ...(resources.kycStateMachineArn ? { [ENV.kycStateMachineArn]: resources.kycStateMachineArn } : {}),
  ...(resources.queues?.notifications
    ? { [ENV.notificationsQueueUrl]: resources.queues.notifications.url }
    : {}),
  ...(endpoints.stepfunctions ? { AWS_ENDPOINT_URL_SFN: endpoints.stepfunctions } : {}),
  // s3rver serves buckets by path only (http://127.0.0.1:<port>/<bucket>), so presigned URLs use that form.
  ...(endpoints.s3 ? { AWS_ENDPOINT_URL_S3: endpoints.s3, [ENV.s3ForcePathStyle]: 'true' } : {}),
  ...(resources.documentsBucket ? { [ENV.documentsBucket]: resources.documentsBucket } : {}),
  [ENV.kycRequireIdentityDocument]: String(kycPolicy.requireIdentityDocument),
  [ENV.stage]: 'local',
  [ENV.tableName]: resources.tableName,
  [ENV.userPoolId]: resources.userPoolId,
  [ENV.userPoolClientId]: resources.userPoolClientId,
  [ENV.piiKeyArn]: resources.piiKeyArn,
  [ENV.blindIndexKeyArn]: resources.blindIndexKeyArn,
  [ENV.logLevel]: logLevel,
  AWS_REGION: LOCAL_REGION,
  AWS_DEFAULT_REGION: LOCAL_REGION,
  AWS_ACCESS_KEY_ID: FAKE_CREDENTIALS.accessKeyId,
  AWS_SECRET_ACCESS_KEY: FAKE_CREDENTIALS.secretAccessKey,
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  AWS_ENDPOINT_URL_DYNAMODB: endpoints.dynamodb,
  AWS_ENDPOINT_URL_DYNAMODB_STREAMS: endpoints.dynamodb,
  AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER: endpoints.cognito,
  AWS_ENDPOINT_URL_KMS: endpoints.kms,
  AWS_ENDPOINT_URL_SQS: endpoints.sqs,
  // Any service without an emulator fails fast on a closed loopback port instead of reaching real AWS.
  AWS_ENDPOINT_URL: 'http://127.0.0.1:9',
});

/*
 * Settings from the developer's shell that would send calls to real AWS or ignore our endpoints: a session
 * token or profile mixed with the fake keys, or a switch that disables AWS_ENDPOINT_URL_* altogether.
 */
const UNSAFE = [
  'AWS_SESSION_TOKEN',
  'AWS_SECURITY_TOKEN',
  'AWS_PROFILE',
  'AWS_DEFAULT_PROFILE',
  'AWS_IGNORE_CONFIGURED_ENDPOINT_URLS',
  'AWS_CONTAINER_CREDENTIALS_RELATIVE_URI',
  'AWS_CONTAINER_CREDENTIALS_FULL_URI',
  'AWS_WEB_IDENTITY_TOKEN_FILE',
  'AWS_ROLE_ARN',
];

/** Must run before any handler or service module is imported: they create SDK clients at module scope. */
export const applyEnv = (env: Record<string, string>): void => {
  for (const name of UNSAFE) delete process.env[name];
  Object.assign(process.env, env);
};
