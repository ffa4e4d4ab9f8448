import {
  AdminAddUserToGroupCommand,
  AdminCreateUserCommand,
  AdminSetUserPasswordCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { BatchGetCommand, GetCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { CloudFormationCustomResourceEvent } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { handler } from '@functions/admin-bootstrap/handler';
import { cognito, cognitoCreatesUsers, dynamo, resetAwsMocks } from '@test/aws-mocks';

const secrets = mockClient(SecretsManagerClient);
const PASSWORD = 'Gen3rated!Passw0rd-from-secrets-manager';
const SECRET_ARN =
  'arn:aws:secretsmanager:us-east-1:000000000000:secret:core-banking-dev/first-admin-password-AbCdEf';

const cfnEvent = (
  requestType: 'Create' | 'Update' | 'Delete',
  props: Record<string, string> = {},
): CloudFormationCustomResourceEvent =>
  ({
    RequestType: requestType,
    ServiceToken: 'arn:aws:lambda:us-east-1:000000000000:function:provider',
    ResponseURL: 'https://cloudformation-custom-resource-response.example/',
    StackId: 'arn:aws:cloudformation:us-east-1:000000000000:stack/CoreBanking-dev-FirstAdmin/1',
    RequestId: 'request-1',
    LogicalResourceId: 'FirstBankAdmin',
    ResourceType: 'Custom::FirstBankAdmin',
    ...(requestType === 'Create' ? {} : { PhysicalResourceId: 'first-admin:admin' }),
    ...(requestType === 'Update' ? { OldResourceProperties: {} } : {}),
    ResourceProperties: {
      ServiceToken: 'arn:aws:lambda:us-east-1:000000000000:function:provider',
      Username: 'admin',
      Email: 'ops@bank.example',
      PasswordSecretArn: SECRET_ARN,
      ...props,
    },
  }) as CloudFormationCustomResourceEvent;

const TABLE = 'core-banking-test';

beforeEach(() => {
  resetAwsMocks();
  secrets.reset();
  secrets.on(GetSecretValueCommand, { SecretId: SECRET_ARN }).resolves({ SecretString: PASSWORD });
  dynamo.on(UpdateCommand).resolves({ Attributes: { value: 1 } });
  dynamo.on(TransactWriteCommand).resolves({});
});

describe('first bank admin custom resource', () => {
  it('creates the admin in Cognito (BANK_ADMIN group) and the table, with the password from the secret', async () => {
    dynamo.on(BatchGetCommand).resolves({ Responses: { [TABLE]: [] } });
    const sub = cognitoCreatesUsers();

    const response = await handler(cfnEvent('Create'));

    expect(response).toEqual({
      PhysicalResourceId: 'first-admin:admin',
      Data: { Username: 'admin', UserId: '1' },
    });
    expect(cognito).toHaveReceivedCommandWith(AdminCreateUserCommand, {
      Username: 'ops@bank.example',
      MessageAction: 'SUPPRESS',
    });
    expect(cognito).toHaveReceivedCommandWith(AdminSetUserPasswordCommand, {
      Password: PASSWORD,
      Permanent: true,
    });
    expect(cognito).toHaveReceivedCommandWith(AdminAddUserToGroupCommand, {
      Username: sub,
      GroupName: 'BANK_ADMIN',
    });
    const profile = dynamo
      .commandCalls(TransactWriteCommand)
      .flatMap((call) => call.args[0].input.TransactItems ?? [])
      .map((item) => item.Put?.Item)
      .find((item) => item?.SK === 'PROFILE');
    expect(profile).toMatchObject({ username: 'admin', roles: ['BANK_ADMIN'], kycStatus: 'APPROVED' });
    // The password reaches Cognito and nothing that CloudFormation or the table keeps.
    expect(JSON.stringify(response)).not.toContain(PASSWORD);
    expect(JSON.stringify(dynamo.calls().map((call) => call.args[0].input))).not.toContain(PASSWORD);
  });

  it('leaves an existing bank admin alone on a redeploy (no new user, no new password)', async () => {
    dynamo.on(BatchGetCommand).resolves({ Responses: { [TABLE]: [{ PK: 'UNIQUE#USERNAME#admin' }] } });
    dynamo
      .on(GetCommand, { Key: { PK: 'UNIQUE#USERNAME#admin', SK: 'UNIQUE' } })
      .resolves({ Item: { sub: 'sub-admin' } });
    dynamo.on(GetCommand, { Key: { PK: 'USER#sub-admin', SK: 'PROFILE' } }).resolves({
      Item: { PK: 'USER#sub-admin', SK: 'PROFILE', id: 1, username: 'admin', roles: ['BANK_ADMIN'] },
    });

    const response = await handler(cfnEvent('Update'));

    expect(response.PhysicalResourceId).toBe('first-admin:admin');
    expect(cognito).not.toHaveReceivedCommand(AdminCreateUserCommand);
    expect(dynamo).not.toHaveReceivedCommand(TransactWriteCommand);
  });

  it('refuses to treat a customer holding the username as the admin', async () => {
    dynamo.on(BatchGetCommand).resolves({ Responses: { [TABLE]: [{ PK: 'UNIQUE#USERNAME#admin' }] } });
    dynamo
      .on(GetCommand, { Key: { PK: 'UNIQUE#USERNAME#admin', SK: 'UNIQUE' } })
      .resolves({ Item: { sub: 'sub-c' } });
    dynamo
      .on(GetCommand, { Key: { PK: 'USER#sub-c', SK: 'PROFILE' } })
      .resolves({ Item: { PK: 'USER#sub-c', SK: 'PROFILE', id: 9, username: 'admin', roles: ['CUSTOMER'] } });

    await expect(handler(cfnEvent('Create'))).rejects.toThrow(
      /not a bank admin: deploy with another -c adminUsername/,
    );
    expect(cognito).not.toHaveReceivedCommand(AdminCreateUserCommand);
  });

  it('says which field is taken when the e-mail belongs to someone else', async () => {
    dynamo
      .on(BatchGetCommand)
      .resolves({ Responses: { [TABLE]: [{ PK: 'UNIQUE#EMAIL#ops@bank.example' }] } });

    await expect(handler(cfnEvent('Create'))).rejects.toThrow(
      'The first bank admin cannot be created (email: A user with that email already exists.)',
    );
  });

  it('keeps the user on Delete (its profile lives in the retained table) and touches nothing', async () => {
    const response = await handler(cfnEvent('Delete'));

    expect(response).toEqual({ PhysicalResourceId: 'first-admin:admin' });
    expect(secrets).not.toHaveReceivedCommand(GetSecretValueCommand);
    expect(dynamo.calls()).toHaveLength(0);
    expect(cognito.calls()).toHaveLength(0);
  });
});
