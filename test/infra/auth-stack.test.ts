import { Match } from 'aws-cdk-lib/assertions';
import {
  KYC_STATUS_ATTRIBUTE,
  PASSWORD_POLICY,
  TOKEN_VALIDITY,
  USER_POOL_CLIENT_AUTH_FLOWS,
} from '@contract/auth';
import { ROLE_INFO, ROLES } from '@contract/roles';
import { onlyResource, synthesize } from './support';

const dev = synthesize('dev');
const prod = synthesize('prod');

describe('auth stack: user pool', () => {
  it('signs users in by e-mail and refuses self sign-up', () => {
    dev.auth.hasResourceProperties('AWS::Cognito::UserPool', {
      UsernameAttributes: ['email'],
      AliasAttributes: Match.absent(),
      AdminCreateUserConfig: { AllowAdminCreateUserOnly: true },
      UsernameConfiguration: { CaseSensitive: false },
    });
  });

  it('enforces the contract password policy', () => {
    dev.auth.hasResourceProperties('AWS::Cognito::UserPool', {
      Policies: {
        PasswordPolicy: Match.objectLike({
          MinimumLength: PASSWORD_POLICY.minLength,
          RequireUppercase: PASSWORD_POLICY.requireUppercase,
          RequireLowercase: PASSWORD_POLICY.requireLowercase,
          RequireNumbers: PASSWORD_POLICY.requireDigits,
          RequireSymbols: PASSWORD_POLICY.requireSymbols,
        }),
      },
    });
  });

  it(`has the mutable custom:${KYC_STATUS_ATTRIBUTE} string attribute the workflow sets`, () => {
    dev.auth.hasResourceProperties('AWS::Cognito::UserPool', {
      Schema: Match.arrayWith([{ Name: KYC_STATUS_ATTRIBUTE, AttributeDataType: 'String', Mutable: true }]),
    });
  });

  it('recovers accounts by e-mail only', () => {
    dev.auth.hasResourceProperties('AWS::Cognito::UserPool', {
      AccountRecoverySetting: { RecoveryMechanisms: [{ Name: 'verified_email', Priority: 1 }] },
    });
  });

  it('is protected and retained in prod, disposable in dev', () => {
    prod.auth.hasResource('AWS::Cognito::UserPool', {
      Properties: Match.objectLike({ DeletionProtection: 'ACTIVE' }),
      DeletionPolicy: 'Retain',
    });
    dev.auth.hasResource('AWS::Cognito::UserPool', {
      Properties: Match.objectLike({ DeletionProtection: 'INACTIVE' }),
      DeletionPolicy: 'Delete',
    });
  });
});

describe('auth stack: groups are the roles', () => {
  it('has exactly one group per role', () => {
    dev.auth.resourceCountIs('AWS::Cognito::UserPoolGroup', ROLES.length);
  });

  it.each(ROLES)('has the %s group with its description and precedence', (role) => {
    dev.auth.hasResourceProperties('AWS::Cognito::UserPoolGroup', {
      GroupName: role,
      Description: ROLE_INFO[role].description,
      Precedence: ROLE_INFO[role].precedence,
      UserPoolId: { Ref: Match.stringLikeRegexp('^UserPool') },
    });
  });
});

describe('auth stack: app client', () => {
  it('has no secret and only the password and refresh flows', () => {
    dev.auth.resourceCountIs('AWS::Cognito::UserPoolClient', 1);
    const { properties } = onlyResource(dev.auth, 'AWS::Cognito::UserPoolClient');
    expect(properties.GenerateSecret).toBe(false);
    expect([...(properties.ExplicitAuthFlows as string[])].sort()).toEqual(
      [...USER_POOL_CLIENT_AUTH_FLOWS].sort(),
    );
  });

  it('offers no hosted-UI OAuth flows', () => {
    dev.auth.hasResourceProperties('AWS::Cognito::UserPoolClient', {
      AllowedOAuthFlowsUserPoolClient: false,
      AllowedOAuthFlows: Match.absent(),
      CallbackURLs: Match.absent(),
    });
  });

  it('issues 60-minute access and id tokens and 7-day refresh tokens', () => {
    dev.auth.hasResourceProperties('AWS::Cognito::UserPoolClient', {
      AccessTokenValidity: TOKEN_VALIDITY.accessTokenMinutes,
      IdTokenValidity: TOKEN_VALIDITY.idTokenMinutes,
      RefreshTokenValidity: TOKEN_VALIDITY.refreshTokenDays * 24 * 60,
      TokenValidityUnits: { AccessToken: 'minutes', IdToken: 'minutes', RefreshToken: 'minutes' },
    });
    expect(TOKEN_VALIDITY).toEqual({ accessTokenMinutes: 60, idTokenMinutes: 60, refreshTokenDays: 7 });
  });

  it('revokes tokens and hides whether a user exists', () => {
    dev.auth.hasResourceProperties('AWS::Cognito::UserPoolClient', {
      EnableTokenRevocation: true,
      PreventUserExistenceErrors: 'ENABLED',
    });
  });

  const client = () => onlyResource(dev.auth, 'AWS::Cognito::UserPoolClient').properties;
  const kycStatus = `custom:${KYC_STATUS_ATTRIBUTE}`;

  it('lets the client read the e-mail and the KYC status', () => {
    expect([...(client().ReadAttributes as string[])].sort()).toEqual(
      ['email', 'email_verified', kycStatus].sort(),
    );
  });

  it('lets users write neither their e-mail nor their KYC status through Cognito', () => {
    const writable = client().WriteAttributes as string[] | undefined;
    // Absent or empty, Cognito makes every standard attribute writable: the list must name something.
    expect(writable?.length).toBeGreaterThan(0);
    for (const attribute of ['email', 'email_verified', kycStatus]) expect(writable).not.toContain(attribute);
    expect(writable).toEqual(['locale']);
  });
});
