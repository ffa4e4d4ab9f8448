import type { APIGatewayProxyEvent } from 'aws-lambda';
import { ENV } from '@contract/env';
import type { RouteDefinition } from '@contract/routes';
import { documentClient } from '@adapters/dynamodb/client';
import { DynamoSecurityEvents } from '@adapters/dynamodb/security-events';
import { AuthenticationError, PermissionDeniedError } from '@domain/errors';
import { callerFrom } from './identity';
import { describeError, logger } from './logger';

/** Created on first use: a route that never refuses anyone never builds it. */
let events: DynamoSecurityEvents | undefined;
const securityEvents = (): DynamoSecurityEvents | undefined => {
  const tableName = process.env[ENV.tableName];
  if (!tableName) return undefined;
  events ??= new DynamoSecurityEvents(documentClient, tableName);
  return events;
};

const isRefusal = (error: unknown): error is AuthenticationError | PermissionDeniedError =>
  error instanceof AuthenticationError || error instanceof PermissionDeniedError;

/**
 * A refused call to a protected route (401: no verified caller; 403: wrong role, or the domain said no)
 * becomes a security event, so it reaches the audit trail with who, what and from where. The route is
 * named by its template (`GET /api/users/{user_id}/`), never by the ids or anything else the caller sent.
 * Recording is best effort: the caller gets the refusal whether or not it could be written.
 */
export const recordRefusal = async (
  route: RouteDefinition,
  event: APIGatewayProxyEvent,
  error: unknown,
  status: number,
): Promise<void> => {
  if (route.access === 'public' || !isRefusal(error)) return;
  const recorder = securityEvents();
  if (!recorder) return;
  const caller = callerFrom(event);
  const target = `${route.method} ${route.path}`;
  try {
    await recorder.record({
      action: 'ACCESS_DENIED',
      description:
        status === 401
          ? `Unauthenticated call to ${target} refused`
          : `Call to ${target} refused (${route.access.join(', ')} only, or not permitted)`,
      actorSub: caller?.sub ?? null,
      targetSub: null,
      ip: event.requestContext?.identity?.sourceIp ?? 'unknown',
      userAgent: event.requestContext?.identity?.userAgent ?? null,
      target: { model: 'Route', id: target },
    });
  } catch (failure) {
    logger.warn('Could not record a refused call', { route: route.id, ...describeError(failure) });
  }
};
