import { createRemoteJWKSet, errors, jwtVerify } from 'jose';
import { ACCESS_TOKEN_SCOPE } from '@contract/auth';
import { flattenClaims } from './claims';
import type { Authorizer } from './gateway';

export interface CognitoAuthorizerOptions {
  /** cognito-local's endpoint, e.g. http://127.0.0.1:9229 */
  cognitoEndpoint: string;
  userPoolId: string;
  userPoolClientId: string;
}

/**
 * The Cognito user-pool authorizer of the REST API, against cognito-local: the signature is checked with the
 * pool's JWKS (fetched from cognito-local itself; its openid-configuration advertises a fixed port 9229, so
 * it is not used), then issuer, expiry, RS256, an access token of our app client carrying the scope the
 * API's methods require. Group membership is NOT checked here: as in AWS, the handler does it.
 */
export const createCognitoAuthorizer = ({
  cognitoEndpoint,
  userPoolId,
  userPoolClientId,
}: CognitoAuthorizerOptions): Authorizer => {
  const issuer = `${cognitoEndpoint}/${userPoolId}`;
  const jwks = createRemoteJWKSet(new URL(`${issuer}/.well-known/jwks.json`));
  return async (token) => {
    try {
      const { payload } = await jwtVerify(token, jwks, { issuer, algorithms: ['RS256'] });
      const scopes = typeof payload.scope === 'string' ? payload.scope.split(' ') : [];
      if (payload.token_use !== 'access' || payload.client_id !== userPoolClientId) return undefined;
      if (!scopes.includes(ACCESS_TOKEN_SCOPE)) return undefined;
      if (typeof payload.sub !== 'string') return undefined;
      return flattenClaims(payload);
    } catch (error) {
      // Only a bad token is the caller's fault (401). An unreachable or slow JWKS is ours: the gateway
      // answers 5xx, as API Gateway does when its authorizer cannot run.
      if (!(error instanceof errors.JOSEError) || error instanceof errors.JWKSTimeout) throw error;
      return undefined;
    }
  };
};
