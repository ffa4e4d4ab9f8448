import type { Role } from './roles';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/**
 * What a route's function may touch. The API stack turns each capability into the matching environment
 * variables and least-privilege grants (one `bind` per capability); nothing else grants anything.
 */
export type Capability =
  | 'table:read'
  | 'table:write'
  | 'pii:encrypt'
  | 'pii:decrypt'
  | 'pii:blind-index'
  | 'identity:admin'
  | 'identity:sign-in'
  /** Start the KYC review workflow (states:StartExecution). */
  | 'workflow:start'
  /** Resume a waiting workflow task (states:SendTaskSuccess / SendTaskFailure). */
  | 'workflow:decide'
  /** Publish to the notifications queue (sqs:SendMessage). */
  | 'notifications:send'
  /** Append to the audit trail: puts on `AUDIT#` items only (the audit consumer; nothing may change them). */
  | 'audit:append'
  /** Record a security event (a refused call): puts on `SECURITY#` items only. */
  | 'security-events:record'
  /**
   * Presign POST uploads of KYC documents (s3:PutObject under `kyc/*` and the bucket key's
   * GenerateDataKey): a presigned request carries exactly the signer's permissions, so this is all it can do.
   */
  | 'documents:presign-upload'
  /** Presign GETs of KYC documents for staff (s3:GetObject under `kyc/*`, kms:Decrypt on the bucket key). */
  | 'documents:presign-view'
  /** The file check on arrival: read, and delete a rejected object's version. */
  | 'documents:check'
  /** Reads the stage's KYC policy (whether approval needs a verified identity document); env only. */
  | 'kyc:policy';

/** What every deployed function declares: the API stack, the workflow stack and the local runtime read it. */
export interface FunctionDefinition {
  /** Readable, stable id: the CDK construct id and the function name suffix. */
  readonly id: string;
  /** Handler module relative to the repository root; it exports `handler`. */
  readonly handler: string;
  readonly capabilities: readonly Capability[];
  readonly summary: string;
}

export interface RouteDefinition extends FunctionDefinition {
  readonly method: HttpMethod;
  /** The seed's path, trailing slash included; path parameters as `{name}`. */
  readonly path: string;
  /** `public`, or the Cognito groups allowed to call it (checked by the authorizer AND the handler kit). */
  readonly access: 'public' | readonly Role[];
}

const ANY_ROLE = ['CUSTOMER', 'BANK_ADMIN', 'AUDITOR'] as const satisfies readonly Role[];

/** The route manifest: every route is declared here once. */
export const ROUTES = [
  {
    id: 'RegisterUser',
    method: 'POST',
    path: '/api/auth/register/',
    handler: 'functions/auth-register/handler.ts',
    access: 'public',
    capabilities: [
      'table:read',
      'table:write',
      'pii:encrypt',
      'pii:blind-index',
      'identity:admin',
      'workflow:start',
    ],
    summary: 'Register a new customer with KYC verification',
  },
  {
    id: 'LoginUser',
    method: 'POST',
    path: '/api/auth/login/',
    handler: 'functions/auth-login/handler.ts',
    access: 'public',
    capabilities: ['table:read', 'table:write', 'identity:sign-in'],
    summary: 'Authenticate and receive access and refresh tokens',
  },
  {
    id: 'RefreshToken',
    method: 'POST',
    path: '/api/auth/refresh/',
    handler: 'functions/auth-refresh/handler.ts',
    access: 'public',
    capabilities: ['identity:sign-in'],
    summary: 'Exchange a refresh token for a new access token',
  },
  {
    id: 'LogoutUser',
    method: 'POST',
    path: '/api/auth/logout/',
    handler: 'functions/auth-logout/handler.ts',
    access: 'public',
    capabilities: ['identity:sign-in', 'table:write'],
    summary: 'Revoke a refresh token',
  },
  {
    id: 'GetProfile',
    method: 'GET',
    path: '/api/profile/',
    handler: 'functions/profile-get/handler.ts',
    access: ANY_ROLE,
    capabilities: ['table:read', 'security-events:record'],
    summary: "Retrieve the caller's profile",
  },
  {
    id: 'UpdateProfile',
    method: 'PUT',
    path: '/api/profile/',
    handler: 'functions/profile-update/handler.ts',
    access: ANY_ROLE,
    capabilities: ['table:read', 'table:write', 'security-events:record'],
    summary: "Update the caller's first name, last name or phone number",
  },
  {
    id: 'ListUsers',
    method: 'GET',
    path: '/api/users/',
    handler: 'functions/users-list/handler.ts',
    access: ['BANK_ADMIN'],
    capabilities: ['table:read', 'security-events:record'],
    summary: 'List users (filter by kyc_status), oldest first',
  },
  {
    id: 'GetUser',
    method: 'GET',
    path: '/api/users/{user_id}/',
    handler: 'functions/users-get/handler.ts',
    access: ['BANK_ADMIN'],
    capabilities: ['table:read', 'pii:decrypt', 'security-events:record'],
    summary: 'One user, with the SSN and address masked',
  },
  {
    id: 'DecideKyc',
    method: 'PUT',
    path: '/api/users/{user_id}/',
    handler: 'functions/users-decide-kyc/handler.ts',
    access: ['BANK_ADMIN'],
    capabilities: ['table:read', 'table:write', 'workflow:decide', 'kyc:policy', 'security-events:record'],
    summary: "Approve or reject a user's pending KYC case (resumes the review workflow)",
  },
  {
    id: 'ListPendingKyc',
    method: 'GET',
    path: '/api/kyc/pending/',
    handler: 'functions/kyc-pending/handler.ts',
    access: ['BANK_ADMIN'],
    capabilities: ['table:read', 'security-events:record'],
    summary: 'The KYC review queue, oldest first, with pre-check outcomes',
  },
  {
    id: 'RequestDocumentUpload',
    method: 'POST',
    path: '/api/kyc/documents/',
    handler: 'functions/documents-request-upload/handler.ts',
    access: ['CUSTOMER'],
    capabilities: [
      'table:read',
      'table:write',
      'pii:encrypt',
      'pii:blind-index',
      'documents:presign-upload',
      'security-events:record',
    ],
    summary: 'Register a KYC document and get a presigned POST to upload it straight to S3',
  },
  {
    id: 'ListDocuments',
    method: 'GET',
    path: '/api/kyc/documents/',
    handler: 'functions/documents-list/handler.ts',
    access: ['CUSTOMER'],
    capabilities: ['table:read', 'security-events:record'],
    summary: "The caller's KYC documents, newest first",
  },
  {
    id: 'GetDocument',
    method: 'GET',
    path: '/api/kyc/documents/{document_id}/',
    handler: 'functions/documents-get/handler.ts',
    access: ['CUSTOMER'],
    capabilities: ['table:read', 'security-events:record'],
    summary: "One of the caller's KYC documents: type, status, reason, size",
  },
  {
    id: 'ListUserDocuments',
    method: 'GET',
    path: '/api/users/{user_id}/documents/',
    handler: 'functions/users-documents/handler.ts',
    access: ['BANK_ADMIN'],
    capabilities: ['table:read', 'table:write', 'documents:presign-view', 'security-events:record'],
    summary: "A user's KYC documents with short-lived view links (every view is audited)",
  },
  {
    id: 'ListNotifications',
    method: 'GET',
    path: '/api/notifications/',
    handler: 'functions/notifications-list/handler.ts',
    access: ANY_ROLE,
    capabilities: ['table:read', 'security-events:record'],
    summary: "The caller's notifications (and their role's), newest first",
  },
  {
    id: 'CreateAccount',
    method: 'POST',
    path: '/api/accounts/',
    handler: 'functions/accounts-create/handler.ts',
    access: ['CUSTOMER', 'BANK_ADMIN'],
    capabilities: ['table:read', 'table:write', 'security-events:record'],
    summary: 'Open a bank account (KYC approval required)',
  },
  {
    id: 'ListAccounts',
    method: 'GET',
    path: '/api/accounts/',
    handler: 'functions/accounts-list/handler.ts',
    access: ['CUSTOMER', 'BANK_ADMIN'],
    capabilities: ['table:read', 'security-events:record'],
    summary: "The caller's own accounts",
  },
  {
    id: 'GetAccount',
    method: 'GET',
    path: '/api/accounts/{account_number}/',
    handler: 'functions/accounts-get/handler.ts',
    access: ANY_ROLE,
    capabilities: ['table:read', 'security-events:record'],
    summary: 'One account (its owner, or staff)',
  },
  {
    id: 'CreateTransaction',
    method: 'POST',
    path: '/api/transactions/',
    handler: 'functions/transactions-create/handler.ts',
    access: ['CUSTOMER', 'BANK_ADMIN'],
    capabilities: ['table:read', 'table:write', 'security-events:record'],
    summary: 'Deposit, withdraw, transfer or pay (FEE and INTEREST: bank admins)',
  },
  {
    id: 'ListTransactions',
    method: 'GET',
    path: '/api/transactions/',
    handler: 'functions/transactions-list/handler.ts',
    access: ['CUSTOMER', 'BANK_ADMIN'],
    capabilities: ['table:read', 'security-events:record'],
    summary: "The caller's transactions, newest first (filter by type, account, dates)",
  },
  {
    id: 'GetTransaction',
    method: 'GET',
    path: '/api/transactions/{transaction_id}/',
    handler: 'functions/transactions-get/handler.ts',
    access: ANY_ROLE,
    capabilities: ['table:read', 'security-events:record'],
    summary: 'One transaction (its parties, or staff)',
  },
  {
    id: 'AccountStatement',
    method: 'GET',
    path: '/api/accounts/{account_number}/statement/',
    handler: 'functions/accounts-statement/handler.ts',
    access: ANY_ROLE,
    capabilities: ['table:read', 'security-events:record'],
    summary: 'Opening balance, entries with running balance, closing balance',
  },
  {
    id: 'UpdateAccountStatus',
    method: 'PATCH',
    path: '/api/accounts/{account_number}/',
    handler: 'functions/accounts-update-status/handler.ts',
    access: ['BANK_ADMIN'],
    capabilities: ['table:read', 'table:write', 'security-events:record'],
    summary: 'Freeze, unfreeze or close an account (close only at zero balance)',
  },
  {
    id: 'PlaceHold',
    method: 'POST',
    path: '/api/accounts/{account_number}/holds/',
    handler: 'functions/holds-place/handler.ts',
    access: ['BANK_ADMIN'],
    capabilities: ['table:read', 'table:write', 'security-events:record'],
    summary: 'Place a hold on part of the balance (reduces available_balance)',
  },
  {
    id: 'ReleaseHold',
    method: 'DELETE',
    path: '/api/accounts/{account_number}/holds/{hold_id}/',
    handler: 'functions/holds-release/handler.ts',
    access: ['BANK_ADMIN'],
    capabilities: ['table:read', 'table:write', 'security-events:record'],
    summary: 'Release a hold',
  },
  {
    id: 'ListFraudAlerts',
    method: 'GET',
    path: '/api/fraud-alerts/',
    handler: 'functions/fraud-alerts-list/handler.ts',
    access: ['BANK_ADMIN', 'AUDITOR'],
    capabilities: ['table:read', 'security-events:record'],
    summary: 'Fraud alerts, newest first (filter by status, severity, customer, dates)',
  },
  {
    id: 'GetFraudAlert',
    method: 'GET',
    path: '/api/fraud-alerts/{alert_id}/',
    handler: 'functions/fraud-alerts-get/handler.ts',
    access: ['BANK_ADMIN', 'AUDITOR'],
    capabilities: ['table:read', 'security-events:record'],
    summary: 'One fraud alert with its reason codes',
  },
  {
    id: 'UpdateFraudAlert',
    method: 'PATCH',
    path: '/api/fraud-alerts/{alert_id}/',
    handler: 'functions/fraud-alerts-update/handler.ts',
    access: ['BANK_ADMIN'],
    capabilities: ['table:read', 'table:write', 'security-events:record'],
    summary: 'Investigate, resolve or dismiss an alert (closing releases its hold)',
  },
  {
    id: 'ListAuditLogs',
    method: 'GET',
    path: '/api/audit-logs/',
    handler: 'functions/audit-logs-list/handler.ts',
    access: ['AUDITOR'],
    capabilities: ['table:read', 'security-events:record'],
    summary: 'The audit trail, newest first (filter by user, action, target, dates)',
  },
  {
    id: 'VerifyAuditLogs',
    method: 'GET',
    path: '/api/audit-logs/verify/',
    handler: 'functions/audit-logs-verify/handler.ts',
    access: ['AUDITOR'],
    capabilities: ['table:read', 'security-events:record'],
    summary: "Recompute the audit trail's hash chain and report the first broken link",
  },
  // Documentation routes
  {
    id: 'ApiRoot',
    method: 'GET',
    path: '/',
    handler: 'functions/docs-root/handler.ts',
    access: 'public',
    capabilities: [],
    summary: 'API root: name, version and links to the documentation',
  },
  {
    id: 'GetOpenApiDocument',
    method: 'GET',
    path: '/api/openapi.json',
    handler: 'functions/docs-openapi/handler.ts',
    access: 'public',
    capabilities: [],
    summary: 'This API as an OpenAPI 3.1 document',
  },
  {
    id: 'SwaggerUi',
    method: 'GET',
    path: '/api/docs/swagger/',
    handler: 'functions/docs-swagger/handler.ts',
    access: 'public',
    capabilities: [],
    summary: 'Swagger UI for the OpenAPI document',
  },
  {
    id: 'SwaggerUiAsset',
    method: 'GET',
    path: '/api/docs/swagger/{asset}',
    handler: 'functions/docs-swagger-asset/handler.ts',
    access: 'public',
    capabilities: [],
    summary: "Swagger UI's JavaScript and CSS, served by the API itself",
  },
] as const satisfies readonly RouteDefinition[];

export type RouteId = (typeof ROUTES)[number]['id'];

export const routeById = (id: RouteId): RouteDefinition => {
  const route = ROUTES.find((candidate) => candidate.id === id);
  if (!route) throw new Error(`Unknown route ${id}`);
  return route;
};
