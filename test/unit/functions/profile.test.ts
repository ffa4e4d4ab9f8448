import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { handler as getProfile } from '@functions/profile-get/handler';
import { handler as updateProfile } from '@functions/profile-update/handler';
import { dynamo, resetAwsMocks } from '@test/aws-mocks';
import { apiEvent, bodyOf, lambdaContext } from '@test/events';

const storedUser = {
  PK: 'USER#sub-1',
  SK: 'PROFILE',
  id: 7,
  sub: 'sub-1',
  username: 'john_doe',
  email: 'john.doe@example.com',
  firstName: 'John',
  lastName: 'Doe',
  phoneNumber: '+1234567890',
  dateOfBirth: '1990-01-15',
  customerId: 'CUST1234567890',
  kycStatus: 'PENDING',
  riskProfile: 'LOW',
  isAccountVerified: false,
  twoFactorEnabled: false,
  roles: ['CUSTOMER'],
  piiCiphertext: 'AYADeJ...ciphertext',
  dateJoined: '2024-01-15T10:30:00Z',
  lastLogin: '2024-01-15T12:45:00Z',
  failedLoginCount: 0,
};

const customer = { sub: 'sub-1', groups: ['CUSTOMER' as const] };

describe('GET /api/profile/', () => {
  beforeEach(() => resetAwsMocks());

  it("answers the caller's own profile in the seed shape, without any ciphertext", async () => {
    dynamo.on(GetCommand, { Key: { PK: 'USER#sub-1', SK: 'PROFILE' } }).resolves({ Item: storedUser });

    const result = await getProfile(
      apiEvent({ method: 'GET', path: '/api/profile/', caller: customer }),
      lambdaContext(),
    );

    expect(result.statusCode).toBe(200);
    expect(bodyOf(result)).toEqual({
      id: 7,
      username: 'john_doe',
      email: 'john.doe@example.com',
      first_name: 'John',
      last_name: 'Doe',
      phone_number: '+1234567890',
      customer_id: 'CUST1234567890',
      kyc_status: 'PENDING',
      risk_profile: 'LOW',
      is_account_verified: false,
      two_factor_enabled: false,
      roles: [{ id: 1, name: 'CUSTOMER', description: 'Bank Customer' }],
      date_joined: '2024-01-15T10:30:00Z',
      last_login: '2024-01-15T12:45:00Z',
    });
    expect(result.body).not.toContain('ciphertext');
  });
});

describe('PUT /api/profile/', () => {
  beforeEach(() => resetAwsMocks());

  const put = (body: unknown) =>
    updateProfile(
      apiEvent({ method: 'PUT', path: '/api/profile/', body, caller: customer }),
      lambdaContext(),
    );

  it('changes only the first name, last name and phone number of the caller', async () => {
    dynamo.on(UpdateCommand).resolves({ Attributes: { ...storedUser, lastName: 'Doe Updated' } });

    const result = await put({ first_name: 'John', last_name: 'Doe Updated', phone_number: '+1234567890' });

    expect(result.statusCode).toBe(200);
    expect(bodyOf(result)).toMatchObject({ last_name: 'Doe Updated' });
    expect(dynamo).toHaveReceivedCommandWith(UpdateCommand, {
      Key: { PK: 'USER#sub-1', SK: 'PROFILE' },
      ExpressionAttributeValues: {
        ':firstName': 'John',
        ':lastName': 'Doe Updated',
        ':phoneNumber': '+1234567890',
      },
    });
  });

  it.each([
    'ssn',
    'address',
    'kyc_status',
    'roles',
    'email',
    'customer_id',
    'is_account_verified',
    'risk_profile',
  ])('refuses %s by name and writes nothing', async (field) => {
    const result = await put({ last_name: 'X', [field]: 'APPROVED' });

    expect(result.statusCode).toBe(400);
    expect(bodyOf(result)).toEqual({ [field]: ['This field cannot be updated.'] });
    expect(dynamo).not.toHaveReceivedCommand(UpdateCommand);
  });

  it('asks for at least one field when the body is empty', async () => {
    const result = await put({});

    expect(result.statusCode).toBe(400);
    expect(bodyOf(result)).toEqual({
      non_field_errors: ['Provide at least one of first_name, last_name, phone_number.'],
    });
  });

  it('validates the phone number like registration does', async () => {
    const result = await put({ phone_number: '555-1234' });

    expect(result.statusCode).toBe(400);
    expect(bodyOf(result)).toHaveProperty('phone_number');
  });

  it('refuses an anonymous call with 401', async () => {
    const result = await updateProfile(
      apiEvent({ method: 'PUT', path: '/api/profile/', body: { last_name: 'X' } }),
      lambdaContext(),
    );

    expect(result.statusCode).toBe(401);
  });
});
