import { ENV } from '@contract/env';
import { CognitoIdentityProvider, cognitoClient } from '@adapters/cognito-identity';
import { requireEnv } from '@kit/config';

export const identityProvider = () =>
  new CognitoIdentityProvider(cognitoClient, requireEnv(ENV.userPoolId), requireEnv(ENV.userPoolClientId));
