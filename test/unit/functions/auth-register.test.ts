import {
  AdminAddUserToGroupCommand,
  AdminCreateUserCommand,
  AdminDeleteUserCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { BatchGetCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { handler } from '@functions/auth-register/handler';
import { StartExecutionCommand } from '@aws-sdk/client-sfn';
import { cognito, cognitoCreatesUsers, dynamo, kmsAnswersLikeAws, resetAwsMocks, sfn } from '@test/aws-mocks';
import { apiEvent, bodyOf, lambdaContext } from '@test/events';

const seedBody = {
  username: 'jane_doe',
  email: 'Jane@Example.com',
  password: 'SecurePass123!',
  confirm_password: 'SecurePass123!',
  first_name: 'Jane',
  last_name: 'Doe',
  phone_number: '+1234567890',
  date_of_birth: '1992-05-20',
  ssn: '987-65-4321',
  address: '456 Oak Ave, City, ST 12345',
};

const register = (body: unknown) =>
  handler(apiEvent({ method: 'POST', path: '/api/auth/register/', body }), lambdaContext('RegisterUser'));

describe('POST /api/auth/register/', () => {
  beforeEach(() => {
    resetAwsMocks();
    kmsAnswersLikeAws();
    dynamo.on(BatchGetCommand).resolves({ Responses: { 'core-banking-test': [] } });
    dynamo.on(UpdateCommand).resolves({ Attributes: { value: 42 } });
    dynamo.on(TransactWriteCommand).resolves({});
  });

  it('creates the customer and answers 201 with exactly the seed fields', async () => {
    // Prepare
    const sub = cognitoCreatesUsers();

    // Act
    const result = await register(seedBody);

    // Assess
    expect(result.statusCode).toBe(201);
    const body = bodyOf(result);
    expect(Object.keys(body).sort()).toEqual(
      [
        'id',
        'username',
        'email',
        'first_name',
        'last_name',
        'customer_id',
        'kyc_status',
        'risk_profile',
        'is_account_verified',
      ].sort(),
    );
    expect(body).toMatchObject({
      id: 42,
      username: 'jane_doe',
      email: 'jane@example.com',
      kyc_status: 'PENDING',
      risk_profile: 'LOW',
      is_account_verified: false,
    });
    expect(body.customer_id).toMatch(/^CUST\d{10}$/);
    expect(cognito).toHaveReceivedCommandWith(AdminCreateUserCommand, {
      Username: 'jane@example.com',
      MessageAction: 'SUPPRESS',
    });
    expect(cognito).toHaveReceivedCommandWith(AdminAddUserToGroupCommand, {
      Username: sub,
      GroupName: 'CUSTOMER',
    });
  });

  it('writes the profile and every uniqueness item in one conditional transaction, with SSN and address encrypted', async () => {
    cognitoCreatesUsers();

    await register(seedBody);

    const [call] = dynamo.commandCalls(TransactWriteCommand);
    const items = call?.args[0].input.TransactItems ?? [];
    const keys = items.map((item) => String(item.Put?.Item?.PK));
    expect(keys).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^USER#/),
        'UNIQUE#USERNAME#jane_doe',
        'UNIQUE#EMAIL#jane@example.com',
        expect.stringMatching(/^UNIQUE#SSN#/),
        expect.stringMatching(/^UNIQUE#CUSTOMER_ID#CUST/),
        'UNIQUE#USER_ID#42',
      ]),
    );
    for (const item of items) expect(item.Put?.ConditionExpression).toBe('attribute_not_exists(PK)');
    const written = JSON.stringify(items);
    expect(written).not.toContain('987-65-4321');
    expect(written).not.toContain('987654321');
    expect(written).not.toContain('456 Oak Ave');
    expect(written).not.toContain('SecurePass123!');
  });

  it('opens the KYC case with the profile and starts the review workflow named after the user', async () => {
    cognitoCreatesUsers();

    await register(seedBody);

    const [call] = dynamo.commandCalls(TransactWriteCommand);
    const kycCase = call?.args[0].input.TransactItems?.find((item) => item.Put?.Item?.PK === 'KYC#42');
    expect(kycCase?.Put?.Item).toMatchObject({ status: 'PENDING', GSI2PK: 'KYCCASE#OPEN' });
    expect(sfn).toHaveReceivedCommandWith(StartExecutionCommand, {
      name: 'kyc-42',
      input: JSON.stringify({ userId: 42 }),
    });
  });

  it('still answers 201 when the workflow cannot start (the case stays open in the queue)', async () => {
    cognitoCreatesUsers();
    sfn.on(StartExecutionCommand).rejects(new Error('Service unavailable'));

    const result = await register(seedBody);

    expect(result.statusCode).toBe(201);
  });

  it('refuses a taken username and e-mail before creating any identity', async () => {
    dynamo.on(BatchGetCommand).resolves({
      Responses: {
        'core-banking-test': [{ PK: 'UNIQUE#USERNAME#jane_doe' }, { PK: 'UNIQUE#EMAIL#jane@example.com' }],
      },
    });

    const result = await register(seedBody);

    expect(result.statusCode).toBe(400);
    expect(bodyOf(result)).toEqual({
      username: ['A user with that username already exists.'],
      email: ['A user with that email already exists.'],
    });
    expect(cognito).not.toHaveReceivedCommand(AdminCreateUserCommand);
    expect(dynamo).not.toHaveReceivedCommand(TransactWriteCommand);
  });

  it('deletes the Cognito user again when a racing registration won the uniqueness items', async () => {
    const sub = cognitoCreatesUsers();
    dynamo.on(TransactWriteCommand).rejects(
      new TransactionCanceledException({
        message: 'Transaction cancelled',
        $metadata: {},
        CancellationReasons: [
          { Code: 'None' },
          { Code: 'None' },
          { Code: 'None' },
          { Code: 'ConditionalCheckFailed' },
        ],
      }),
    );

    const result = await register(seedBody);

    expect(result.statusCode).toBe(400);
    expect(bodyOf(result)).toEqual({ ssn: ['An account with this SSN already exists.'] });
    expect(cognito).toHaveReceivedCommandWith(AdminDeleteUserCommand, { Username: sub });
  });

  it('answers a generic 500 with a request id, and removes the identity, when the table write fails', async () => {
    const sub = cognitoCreatesUsers();
    dynamo.on(TransactWriteCommand).rejects(new Error('socket hang up at 10.0.0.1 for jane@example.com'));

    const result = await register(seedBody);

    expect(result.statusCode).toBe(500);
    expect(bodyOf(result)).toEqual({ error: 'Internal server error.', request_id: 'req-0001' });
    expect(cognito).toHaveReceivedCommandWith(AdminDeleteUserCommand, { Username: sub });
  });

  it.each([
    [
      'username',
      { username: 'jane doe!' },
      'Enter a valid username. This value may contain only letters, numbers, and _ characters.',
    ],
    ['email', { email: 'not-an-email' }, 'Enter a valid email address.'],
    [
      'password',
      { password: 'short1A', confirm_password: 'short1A' },
      'This password is too short. It must contain at least 8 characters.',
    ],
    [
      'password',
      { password: 'alllowercase1', confirm_password: 'alllowercase1' },
      'This password must contain at least one uppercase letter.',
    ],
    [
      'password',
      { password: 'ALLUPPERCASE1', confirm_password: 'ALLUPPERCASE1' },
      'This password must contain at least one lowercase letter.',
    ],
    [
      'password',
      { password: 'NoDigitsHere', confirm_password: 'NoDigitsHere' },
      'This password must contain at least one digit.',
    ],
    ['confirm_password', { confirm_password: 'SecurePass123?' }, "Password fields didn't match."],
    [
      'phone_number',
      { phone_number: '1234567890' },
      "Phone number must be entered in the format: '+999999999'. Up to 15 digits allowed.",
    ],
    [
      'phone_number',
      { phone_number: '+12345678' },
      "Phone number must be entered in the format: '+999999999'. Up to 15 digits allowed.",
    ],
    [
      'date_of_birth',
      { date_of_birth: `${new Date().getUTCFullYear() - 17}-01-01` },
      'You must be at least 18 years old to register.',
    ],
    [
      'date_of_birth',
      { date_of_birth: '1990-02-30' },
      'Date has wrong format. Use one of these formats instead: YYYY-MM-DD.',
    ],
    ['ssn', { ssn: '123456789' }, 'Enter a valid SSN in the format XXX-XX-XXXX.'],
    ['ssn', { ssn: '000-12-3456' }, 'Enter a valid SSN in the format XXX-XX-XXXX.'],
    ['ssn', { ssn: '666-12-3456' }, 'Enter a valid SSN in the format XXX-XX-XXXX.'],
    ['ssn', { ssn: '123-00-4567' }, 'Enter a valid SSN in the format XXX-XX-XXXX.'],
    ['ssn', { ssn: '123-45-0000' }, 'Enter a valid SSN in the format XXX-XX-XXXX.'],
    ['address', { address: '   ' }, 'This field may not be blank.'],
  ])('answers 400 naming %s for %j', async (field, override, message) => {
    const result = await register({ ...seedBody, ...override });

    expect(result.statusCode).toBe(400);
    expect(bodyOf(result)[field]).toEqual(expect.arrayContaining([message]));
    expect(cognito).not.toHaveReceivedCommand(AdminCreateUserCommand);
  });

  it('names every missing field at once', async () => {
    const result = await register({});

    expect(result.statusCode).toBe(400);
    const body = bodyOf(result);
    for (const field of Object.keys(seedBody)) expect(body[field]).toEqual(['This field is required.']);
  });

  it('answers 400 in the seed shape for malformed JSON and never echoes the body', async () => {
    const result = await handler(
      apiEvent({ method: 'POST', path: '/api/auth/register/', rawBody: '{"ssn": "987-65-4321",' }),
      lambdaContext(),
    );

    expect(result.statusCode).toBe(400);
    expect(bodyOf(result)).toEqual({
      non_field_errors: ['JSON parse error: the request body is not valid JSON.'],
    });
    expect(result.body).not.toContain('987-65-4321');
  });
});
