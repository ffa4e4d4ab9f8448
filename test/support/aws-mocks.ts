import { randomBytes } from 'node:crypto';
import {
  AdminAddUserToGroupCommand,
  AdminCreateUserCommand,
  AdminSetUserPasswordCommand,
  CognitoIdentityProviderClient,
} from '@aws-sdk/client-cognito-identity-provider';
import { GenerateDataKeyCommand, GenerateMacCommand, KMSClient } from '@aws-sdk/client-kms';
import { SFNClient } from '@aws-sdk/client-sfn';
import { SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';

/** One mock per SDK client class; tests reset them in beforeEach. */
export const dynamo = mockClient(DynamoDBDocumentClient);
export const cognito = mockClient(CognitoIdentityProviderClient);
export const kms = mockClient(KMSClient);
export const sfn = mockClient(SFNClient);
export const sqs = mockClient(SQSClient);

/** KMS answers as AWS would: a fresh 256-bit data key and a deterministic HMAC per message. */
export const kmsAnswersLikeAws = () => {
  kms.on(GenerateDataKeyCommand).callsFake((input: { KeyId: string }) => ({
    KeyId: input.KeyId,
    Plaintext: new Uint8Array(randomBytes(32)),
    CiphertextBlob: new Uint8Array(randomBytes(64)),
  }));
  kms.on(GenerateMacCommand).callsFake((input: { Message: Uint8Array }) => ({
    Mac: new Uint8Array(Buffer.from(`mac:${Buffer.from(input.Message).toString('hex')}`)),
    MacAlgorithm: 'HMAC_SHA_256',
  }));
};

/** Cognito creates the user (its Username is the sub, as in an email-username pool). */
export const cognitoCreatesUsers = (sub = '8a4b0c1d-0000-4000-8000-000000000001') => {
  cognito.on(AdminCreateUserCommand).resolves({
    User: { Username: sub, Attributes: [{ Name: 'sub', Value: sub }] },
  });
  cognito.on(AdminSetUserPasswordCommand).resolves({});
  cognito.on(AdminAddUserToGroupCommand).resolves({});
  return sub;
};

export const resetAwsMocks = () => {
  dynamo.reset();
  cognito.reset();
  kms.reset();
  sfn.reset();
  sqs.reset();
};
