import { LOGIN_PROTECTION } from '@contract/auth';
import { ENV } from '@contract/env';
import { documentClient } from '@adapters/dynamodb/client';
import { DynamoLoginThrottle } from '@adapters/dynamodb/login-throttle';
import { DynamoSecurityEvents } from '@adapters/dynamodb/security-events';
import { DynamoUserRepository } from '@adapters/dynamodb/user-repository';
import { requireEnv } from '@kit/config';

/*
 * Composition: each factory reads exactly the environment its adapter needs (failing at cold start when
 * it is missing), and each service module imports only its own SDK, so a function bundles what it uses.
 */
export const userRepository = () => new DynamoUserRepository(documentClient, requireEnv(ENV.tableName));

export const loginThrottle = () =>
  new DynamoLoginThrottle(documentClient, requireEnv(ENV.tableName), LOGIN_PROTECTION.attemptsPerIpPerMinute);

export const systemClock = () => new Date();

export const securityEvents = () => new DynamoSecurityEvents(documentClient, requireEnv(ENV.tableName));
