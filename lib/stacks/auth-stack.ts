import { Duration, Stack, Validations, type StackProps } from 'aws-cdk-lib';
import {
  AccountRecovery,
  CfnUserPoolGroup,
  ClientAttributes,
  FeaturePlan,
  StringAttribute,
  UserPool,
  type UserPoolClient,
} from 'aws-cdk-lib/aws-cognito';
import type { Construct } from 'constructs';
import { KYC_STATUS_ATTRIBUTE, PASSWORD_POLICY, TOKEN_VALIDITY } from '@contract/auth';
import { ROLE_INFO, ROLES, type Role } from '@contract/roles';
import type { StageConfig } from '../config';

export interface AuthStackProps extends StackProps {
  readonly config: StageConfig;
}

/** `BANK_ADMIN` -> `BankAdmin`, for readable construct ids. */
const pascalCase = (role: Role): string =>
  role
    .toLowerCase()
    .split('_')
    .map((word) => word.charAt(0).toUpperCase() + word.slice(1))
    .join('');

/** Identity: the Cognito user pool, its groups (our roles) and the API's app client. */
export class AuthStack extends Stack {
  public readonly userPool: UserPool;
  public readonly userPoolClient: UserPoolClient;

  constructor(scope: Construct, id: string, props: AuthStackProps) {
    super(scope, id, props);
    const { config } = props;

    this.userPool = new UserPool(this, 'UserPool', {
      userPoolName: config.namePrefix,
      // Users sign in by e-mail; the seed's username lives in our table and is mapped to the e-mail.
      signInAliases: { email: true },
      signInCaseSensitive: false,
      standardAttributes: { email: { required: true, mutable: true } },
      // Set by the KYC workflow (AdminUpdateUserAttributes) only; the app client below cannot write it.
      customAttributes: { [KYC_STATUS_ATTRIBUTE]: new StringAttribute({ mutable: true }) },
      // Registration goes through our API (KYC, uniqueness checks), never straight to Cognito.
      selfSignUpEnabled: false,
      passwordPolicy: {
        minLength: PASSWORD_POLICY.minLength,
        requireUppercase: PASSWORD_POLICY.requireUppercase,
        requireLowercase: PASSWORD_POLICY.requireLowercase,
        requireDigits: PASSWORD_POLICY.requireDigits,
        requireSymbols: PASSWORD_POLICY.requireSymbols,
      },
      accountRecovery: AccountRecovery.EMAIL_ONLY,
      // Lockout and per-IP limits are enforced by the app and WAF; nothing here needs Essentials or Plus.
      featurePlan: FeaturePlan.LITE,
      deletionProtection: config.protectData,
      removalPolicy: config.removalPolicy,
    });

    // cdk-nag (AwsSolutions) findings accepted on the user pool, each for a reason of the seed's contract:
    Validations.of(this.userPool).acknowledge(
      {
        id: 'AwsSolutions-COG1',
        reason:
          "The password rule is the seed's: 8+ characters with upper case, lower case and a digit; symbols " +
          'are not required (NIST SP 800-63B advises against composition rules). Registration validates ' +
          'the same policy (src/contract/auth.ts) before Cognito sees the password.',
      },
      {
        id: 'AwsSolutions-COG2',
        reason:
          "MFA is not part of the seed's contract: login answers {access, refresh, user} for username and " +
          'password (profiles show two_factor_enabled: false). Brute force is met by the 5-attempt lockout, ' +
          'the per-address throttle and the WAF login rate rule. Adding MFA is a product decision.',
      },
      {
        id: 'AwsSolutions-COG8',
        reason:
          'The Lite feature plan on purpose: what Plus adds (threat protection, adaptive authentication) is ' +
          'covered by the app (lockout after 5 failures, per-address throttle, login audit trail) and WAF; ' +
          'Plus costs per monthly active user.',
      },
    );

    for (const role of ROLES) {
      new CfnUserPoolGroup(this, `${pascalCase(role)}Group`, {
        userPoolId: this.userPool.userPoolId,
        groupName: role,
        description: ROLE_INFO[role].description,
        precedence: ROLE_INFO[role].precedence,
      });
    }

    this.userPoolClient = this.userPool.addClient('ApiClient', {
      userPoolClientName: `${config.namePrefix}-api`,
      // Our Lambdas call InitiateAuth on behalf of the user; a secret would only add a SECRET_HASH to compute.
      generateSecret: false,
      // ALLOW_USER_PASSWORD_AUTH; CDK adds ALLOW_REFRESH_TOKEN_AUTH whenever a flow is enabled.
      authFlows: { userPassword: true },
      // No hosted UI or OAuth redirects: tokens come only from our login endpoint.
      disableOAuth: true,
      accessTokenValidity: Duration.minutes(TOKEN_VALIDITY.accessTokenMinutes),
      idTokenValidity: Duration.minutes(TOKEN_VALIDITY.idTokenMinutes),
      refreshTokenValidity: Duration.days(TOKEN_VALIDITY.refreshTokenDays),
      enableTokenRevocation: true,
      preventUserExistenceErrors: true,
      readAttributes: new ClientAttributes()
        .withStandardAttributes({ email: true, emailVerified: true })
        .withCustomAttributes(KYC_STATUS_ATTRIBUTE),
      // With an access token a user may call UpdateUserAttributes on anything this list allows. An EMPTY
      // list means "every standard attribute" to Cognito, so it names one harmless attribute instead:
      // email (the table is its source of truth) and custom:kyc_status (the workflow's verdict) stay
      // unwritable.
      writeAttributes: new ClientAttributes().withStandardAttributes({ locale: true }),
    });
  }
}
