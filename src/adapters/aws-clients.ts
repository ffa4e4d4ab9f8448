import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { KMS } from '@aws-sdk/client-kms';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

/*
 * SDK clients, created once per Lambda container (module scope), never per request. Endpoints come from
 * the standard AWS_ENDPOINT_URL_<SERVICE> variables, so the same code talks to AWS or to local emulators.
 */
export const documentClient = DynamoDBDocumentClient.from(new DynamoDBClient({}), {
  marshallOptions: { removeUndefinedValues: true },
});

// Admin and sign-in calls are not safe to repeat blindly (a retried AdminCreateUser can report a user
// it just created as a duplicate), so the SDK retries only throttling-class errors a few times.
export const cognitoClient = new CognitoIdentityProviderClient({ maxAttempts: 2 });

// The aggregated client: the Encryption SDK's keyring calls its generateDataKey/decrypt methods.
export const kmsClient = new KMS({});
