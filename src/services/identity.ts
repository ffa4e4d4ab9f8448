import { LOGIN_PROTECTION } from '@contract/auth';
import { ENV } from '@contract/env';
import { cognitoClient, documentClient, kmsClient } from '@adapters/aws-clients';
import { CognitoIdentityProvider } from '@adapters/cognito-identity';
import { DynamoLoginThrottle } from '@adapters/dynamodb/login-throttle';
import { DynamoUserRepository } from '@adapters/dynamodb/user-repository';
import { KmsPiiVault } from '@adapters/kms-pii-vault';
import { requireEnv } from '@kit/config';

/*
 * The composition root for identity: each factory reads exactly the environment its adapter needs, so a
 * function given fewer capabilities fails at cold start only if it asks for something it was not granted.
 */
export const userRepository = () => new DynamoUserRepository(documentClient, requireEnv(ENV.tableName));

export const loginThrottle = () =>
  new DynamoLoginThrottle(documentClient, requireEnv(ENV.tableName), LOGIN_PROTECTION.attemptsPerIpPerMinute);

export const identityProvider = () =>
  new CognitoIdentityProvider(cognitoClient, requireEnv(ENV.userPoolId), requireEnv(ENV.userPoolClientId));

export const piiVault = () =>
  new KmsPiiVault(kmsClient, requireEnv(ENV.piiKeyArn), requireEnv(ENV.blindIndexKeyArn));

export const systemClock = () => new Date();
