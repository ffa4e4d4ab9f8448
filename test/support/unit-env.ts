// Unit tests run handlers in-process with every AWS client mocked; these are the values CDK would set.
process.env.TABLE_NAME = 'core-banking-test';
process.env.USER_POOL_ID = 'us-east-1_TestPool';
process.env.USER_POOL_CLIENT_ID = 'test-client-id';
process.env.PII_KEY_ARN = 'arn:aws:kms:us-east-1:111122223333:key/11111111-2222-3333-4444-555555555555';
process.env.BLIND_INDEX_KEY_ARN =
  'arn:aws:kms:us-east-1:111122223333:key/66666666-7777-8888-9999-000000000000';
process.env.AWS_REGION = 'us-east-1';
process.env.AWS_ACCESS_KEY_ID = 'test';
process.env.AWS_SECRET_ACCESS_KEY = 'test';
process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
process.env.KYC_STATE_MACHINE_ARN =
  'arn:aws:states:us-east-1:111122223333:stateMachine:core-banking-test-kyc-review';
process.env.NOTIFICATIONS_QUEUE_URL =
  'https://sqs.us-east-1.amazonaws.com/111122223333/core-banking-test-notifications';
process.env.DOCUMENTS_BUCKET = 'core-banking-test-kyc-documents-111122223333-us-east-1';
process.env.KYC_REQUIRE_IDENTITY_DOCUMENT = 'false';
