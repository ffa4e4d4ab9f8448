/** Identity settings shared by the Cognito stack, the local user pool and the login handler. */
export const PASSWORD_POLICY = {
  minLength: 8,
  requireUppercase: true,
  requireLowercase: true,
  requireDigits: true,
  requireSymbols: false,
} as const;

/** The seed: access token 60 min, refresh token 7 days. */
export const TOKEN_VALIDITY = {
  accessTokenMinutes: 60,
  idTokenMinutes: 60,
  refreshTokenDays: 7,
} as const;

/** The seed: lock after 5 failed attempts for 30 minutes; 5 attempts per minute per IP. */
export const LOGIN_PROTECTION = {
  maxFailedAttempts: 5,
  lockMinutes: 30,
  attemptsPerIpPerMinute: 5,
} as const;

/** Scope carried by access tokens from USER_PASSWORD_AUTH; REST API Cognito authorizers need it to accept access tokens. */
export const ACCESS_TOKEN_SCOPE = 'aws.cognito.signin.user.admin';

/**
 * The KYC outcome mirrored on the Cognito user (set by the workflow only; the app client may read it but
 * never write it, so a user cannot approve themselves through Cognito's own API).
 */
export const KYC_STATUS_ATTRIBUTE = 'kyc_status';

export const USER_POOL_CLIENT_AUTH_FLOWS = ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'] as const;
