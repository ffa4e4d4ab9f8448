import type { FunctionDefinition } from './routes';

/**
 * The first bank admin of a deployment (`cdk deploy -c adminEmail=...`): a CloudFormation custom resource
 * creates the user once, with a generated password kept in Secrets Manager. Later staff are created by an
 * admin's own tooling; this only breaks the chicken-and-egg of an empty user pool.
 */
export const FIRST_ADMIN_FUNCTION = {
  id: 'FirstAdmin',
  handler: 'functions/admin-bootstrap/handler.ts',
  capabilities: ['table:read', 'table:write', 'identity:admin'],
  summary: 'Creates the first bank admin of a deployment (CloudFormation custom resource)',
} as const satisfies FunctionDefinition;

/** What the custom resource passes to the function: never the password itself, only where it is. */
export interface FirstAdminProperties {
  readonly Username: string;
  readonly Email: string;
  readonly PasswordSecretArn: string;
}

export const DEFAULT_ADMIN_USERNAME = 'admin';
