/**
 * What the API says about itself: the OpenAPI `info` block and the API root (`GET /`). The version follows
 * package.json (a unit test keeps them equal); bump both together.
 */
export const API_INFO = {
  name: 'Core Banking API',
  version: '0.1.0',
  description:
    'Customer registration with KYC review, accounts and a double-entry ledger. Every 4xx body is either ' +
    'the field-error shape `{"field": ["message", ...]}` (bad input) or `{"error": "message"}`; a 500 says ' +
    'only `{"error": "Internal server error.", "request_id": "..."}`.',
} as const;
