import type { APIGatewayProxyEvent } from 'aws-lambda';
import { isRole, type Role } from '@contract/roles';

export interface Caller {
  sub: string;
  groups: Role[];
}

/**
 * API Gateway's Cognito authorizer hands the verified claims over flattened to strings; `cognito:groups`
 * arrives as "A,B", "[A B]" or (from other sources) an array. Unknown groups are ignored.
 */
const parseGroups = (raw: unknown): Role[] => {
  const values = Array.isArray(raw)
    ? raw.map(String)
    : typeof raw === 'string'
      ? raw.replace(/^\[|\]$/g, '').split(/[\s,]+/)
      : [];
  return values.filter(isRole);
};

/** The caller as the authorizer verified it, or undefined on a public route or without claims. */
export const callerFrom = (event: APIGatewayProxyEvent): Caller | undefined => {
  const claims = event.requestContext.authorizer?.claims as Record<string, unknown> | undefined;
  const sub = claims?.sub;
  if (typeof sub !== 'string' || sub.length === 0) return undefined;
  return { sub, groups: parseGroups(claims?.['cognito:groups']) };
};
