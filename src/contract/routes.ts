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
  | 'identity:sign-in';

export interface RouteDefinition {
  /** Readable, stable id: the CDK construct id, the function name suffix and the OpenAPI operationId. */
  readonly id: string;
  readonly method: HttpMethod;
  /** The seed's path, trailing slash included; path parameters as `{name}`. */
  readonly path: string;
  /** Handler module relative to the repository root; it exports `handler`. */
  readonly handler: string;
  /** `public`, or the Cognito groups allowed to call it (checked by the authorizer AND the handler kit). */
  readonly access: 'public' | readonly Role[];
  readonly capabilities: readonly Capability[];
  readonly summary: string;
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
    capabilities: ['table:read', 'table:write', 'pii:encrypt', 'pii:blind-index', 'identity:admin'],
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
    capabilities: ['identity:sign-in'],
    summary: 'Revoke a refresh token',
  },
  {
    id: 'GetProfile',
    method: 'GET',
    path: '/api/profile/',
    handler: 'functions/profile-get/handler.ts',
    access: ANY_ROLE,
    capabilities: ['table:read'],
    summary: "Retrieve the caller's profile",
  },
  {
    id: 'UpdateProfile',
    method: 'PUT',
    path: '/api/profile/',
    handler: 'functions/profile-update/handler.ts',
    access: ANY_ROLE,
    capabilities: ['table:read', 'table:write'],
    summary: "Update the caller's first name, last name or phone number",
  },
] as const satisfies readonly RouteDefinition[];

export type RouteId = (typeof ROUTES)[number]['id'];

export const routeById = (id: RouteId): RouteDefinition => {
  const route = ROUTES.find((candidate) => candidate.id === id);
  if (!route) throw new Error(`Unknown route ${id}`);
  return route;
};
