/** Cognito user-pool groups are the roles. Declared once; CDK, the local runtime and handlers read this. */
export const ROLES = ['CUSTOMER', 'BANK_ADMIN', 'AUDITOR'] as const;
export type Role = (typeof ROLES)[number];

export const ROLE_INFO: Record<Role, { id: number; description: string; precedence: number }> = {
  CUSTOMER: { id: 1, description: 'Bank Customer', precedence: 30 },
  BANK_ADMIN: { id: 2, description: 'Bank Administrator', precedence: 10 },
  AUDITOR: { id: 3, description: 'Auditor', precedence: 20 },
};

export const isRole = (value: string): value is Role => (ROLES as readonly string[]).includes(value);
