import {
  AdminAddUserToGroupCommand,
  AdminCreateUserCommand,
  AdminDeleteUserCommand,
  AdminSetUserPasswordCommand,
  AdminUpdateUserAttributesCommand,
  CognitoIdentityProviderClient,
  InitiateAuthCommand,
  RevokeTokenCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { KYC_STATUS_ATTRIBUTE } from '@contract/auth';
import type { Role } from '@contract/roles';
import { ValidationError } from '@domain/errors';
import {
  DuplicateFieldsError,
  InvalidCredentialsError,
  type IdentityProvider,
  type Tokens,
} from '@domain/identity/ports';

// One client per container. Admin and sign-in calls are not safe to repeat blindly (a retried
// AdminCreateUser can report the user it just created as a duplicate), so retries stay few.
export const cognitoClient = new CognitoIdentityProviderClient({ maxAttempts: 2 });

const REFUSED_CREDENTIALS = new Set([
  'NotAuthorizedException',
  'UserNotFoundException',
  'UserNotConfirmedException',
  'PasswordResetRequiredException',
]);

const errorName = (error: unknown): string | undefined => (error instanceof Error ? error.name : undefined);

/**
 * Cognito user pool as the identity provider. Users sign in to Cognito by e-mail (the pool's username
 * attribute); the seed's `username` lives in our table and is mapped to the e-mail before sign-in.
 */
export class CognitoIdentityProvider implements IdentityProvider {
  constructor(
    private readonly client: CognitoIdentityProviderClient,
    private readonly userPoolId: string,
    private readonly clientId: string,
  ) {}

  async createUser(input: { email: string; password: string; role: Role }): Promise<{ sub: string }> {
    let created;
    try {
      created = await this.client.send(
        new AdminCreateUserCommand({
          UserPoolId: this.userPoolId,
          Username: input.email,
          MessageAction: 'SUPPRESS',
          UserAttributes: [
            { Name: 'email', Value: input.email },
            { Name: 'email_verified', Value: 'true' },
          ],
        }),
      );
    } catch (error) {
      const name = errorName(error);
      if (name === 'UsernameExistsException' || name === 'AliasExistsException') {
        throw new DuplicateFieldsError(['email']);
      }
      throw error;
    }
    const username = created.User?.Username;
    const sub = created.User?.Attributes?.find((attribute) => attribute.Name === 'sub')?.Value ?? username;
    if (!username || !sub) throw new Error('Cognito returned no username for the created user');

    try {
      await this.client.send(
        new AdminSetUserPasswordCommand({
          UserPoolId: this.userPoolId,
          Username: username,
          Password: input.password,
          Permanent: true,
        }),
      );
      await this.client.send(
        new AdminAddUserToGroupCommand({
          UserPoolId: this.userPoolId,
          Username: username,
          GroupName: input.role,
        }),
      );
    } catch (error) {
      await this.deleteUser(username);
      if (errorName(error) === 'InvalidPasswordException') {
        throw new ValidationError({ password: ['This password does not meet the password policy.'] });
      }
      throw error;
    }
    return { sub };
  }

  async deleteUser(sub: string): Promise<void> {
    try {
      await this.client.send(new AdminDeleteUserCommand({ UserPoolId: this.userPoolId, Username: sub }));
    } catch (error) {
      if (errorName(error) !== 'UserNotFoundException') throw error;
    }
  }

  async signIn(email: string, password: string): Promise<Tokens> {
    try {
      const result = await this.client.send(
        new InitiateAuthCommand({
          ClientId: this.clientId,
          AuthFlow: 'USER_PASSWORD_AUTH',
          AuthParameters: { USERNAME: email, PASSWORD: password },
        }),
      );
      const access = result.AuthenticationResult?.AccessToken;
      const refresh = result.AuthenticationResult?.RefreshToken;
      // A challenge (e.g. NEW_PASSWORD_REQUIRED) is not something this API can complete.
      if (!access || !refresh) throw new InvalidCredentialsError();
      return { access, refresh };
    } catch (error) {
      // cognito-local answers a wrong password with InvalidPasswordException rather than NotAuthorized.
      const name = errorName(error) ?? '';
      if (REFUSED_CREDENTIALS.has(name) || name === 'InvalidPasswordException')
        throw new InvalidCredentialsError();
      throw error;
    }
  }

  async refresh(refreshToken: string): Promise<{ access: string }> {
    try {
      const result = await this.client.send(
        new InitiateAuthCommand({
          ClientId: this.clientId,
          AuthFlow: 'REFRESH_TOKEN_AUTH',
          AuthParameters: { REFRESH_TOKEN: refreshToken },
        }),
      );
      const access = result.AuthenticationResult?.AccessToken;
      if (!access) throw new InvalidCredentialsError();
      return { access };
    } catch (error) {
      if (REFUSED_CREDENTIALS.has(errorName(error) ?? '')) throw new InvalidCredentialsError();
      throw error;
    }
  }

  async revoke(refreshToken: string): Promise<void> {
    try {
      await this.client.send(new RevokeTokenCommand({ ClientId: this.clientId, Token: refreshToken }));
    } catch (error) {
      const name = errorName(error);
      if (name === 'UnsupportedTokenTypeException' || REFUSED_CREDENTIALS.has(name ?? '')) {
        throw new InvalidCredentialsError();
      }
      throw error;
    }
  }

  async setKycStatus(sub: string, status: string): Promise<void> {
    await this.client.send(
      new AdminUpdateUserAttributesCommand({
        UserPoolId: this.userPoolId,
        Username: sub,
        UserAttributes: [{ Name: `custom:${KYC_STATUS_ATTRIBUTE}`, Value: status }],
      }),
    );
  }
}
