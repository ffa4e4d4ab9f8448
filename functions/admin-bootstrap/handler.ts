import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { CloudFormationCustomResourceEvent } from 'aws-lambda';
import * as z from 'zod';
import { logger } from '@kit/logger';
import { ensureFirstAdmin } from '@services/create-user';

const secrets = new SecretsManagerClient({});

const properties = z.object({
  Username: z.string().min(1),
  Email: z.string().min(3),
  PasswordSecretArn: z.string().startsWith('arn:'),
});

/** What CDK's custom-resource provider framework expects back from its onEvent handler. */
export interface ProviderResponse {
  PhysicalResourceId: string;
  Data?: Record<string, string>;
}

/**
 * onEvent handler of the FirstAdmin custom resource. Create and Update make sure the admin exists (an
 * existing admin is left as it is); Delete keeps the user, like the table that holds its profile. The
 * password is read from Secrets Manager here and goes nowhere else: not in the response, not in a log.
 */
export const handler = async (event: CloudFormationCustomResourceEvent): Promise<ProviderResponse> => {
  if (event.RequestType === 'Delete') return { PhysicalResourceId: event.PhysicalResourceId };

  const { Username, Email, PasswordSecretArn } = properties.parse(event.ResourceProperties);
  const secret = await secrets.send(new GetSecretValueCommand({ SecretId: PasswordSecretArn }));
  if (!secret.SecretString) throw new Error('The first admin password secret has no value.');

  const { outcome, id } = await ensureFirstAdmin({
    username: Username,
    email: Email,
    password: secret.SecretString,
  });
  logger.info('First bank admin', { outcome, userId: id, requestType: event.RequestType });
  return { PhysicalResourceId: `first-admin:${Username}`, Data: { Username, UserId: String(id) } };
};
