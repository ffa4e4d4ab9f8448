import * as z from 'zod';
import { ROLE_INFO, ROLES } from '@contract/roles';
import { KYC_STATUSES, RISK_PROFILES } from '@domain/identity/user';
import { timestamp } from './common';

/*
 * Response bodies of the identity routes, one schema per view in `@domain/identity/user` (the unit tests
 * parse each view's output with these strict schemas, so a field added or dropped on either side fails).
 */

export const KycStatus = z.enum(KYC_STATUSES).meta({ id: 'KycStatus' });
export const RiskProfile = z.enum(RISK_PROFILES).meta({ id: 'RiskProfile' });

export const RoleView = z
  .strictObject({ id: z.number().int(), name: z.enum(ROLES), description: z.string() })
  .meta({
    id: 'Role',
    description: `One of the roles: ${ROLES.map((role) => `${role} (${ROLE_INFO[role].description})`).join(', ')}`,
  });

const customerId = () => z.string().meta({ example: 'CUST1234567890' });

/** registrationView */
export const Registration = z
  .strictObject({
    id: z.number().int(),
    username: z.string(),
    email: z.string(),
    first_name: z.string(),
    last_name: z.string(),
    customer_id: customerId(),
    kyc_status: KycStatus,
    risk_profile: RiskProfile,
    is_account_verified: z.boolean(),
  })
  .meta({ id: 'Registration' });

/** loginUserView */
export const LoginUser = z
  .strictObject({
    id: z.number().int(),
    username: z.string(),
    email: z.string(),
    customer_id: customerId(),
    kyc_status: KycStatus,
    risk_profile: RiskProfile,
  })
  .meta({ id: 'LoginUser' });

export const LoginResponse = z
  .strictObject({
    access: z
      .string()
      .meta({ description: 'Access token (JWT) for `Authorization: Bearer`, valid 60 minutes' }),
    refresh: z.string().meta({ description: 'Refresh token for POST /api/auth/refresh/, valid 7 days' }),
    user: LoginUser,
  })
  .meta({ id: 'LoginResponse' });

export const RefreshResponse = z.strictObject({ access: z.string() }).meta({ id: 'RefreshResponse' });

export const LogoutResponse = z.strictObject({ detail: z.string() }).meta({ id: 'LogoutResponse' });

/** profileView */
export const Profile = z
  .strictObject({
    id: z.number().int(),
    username: z.string(),
    email: z.string(),
    first_name: z.string(),
    last_name: z.string(),
    phone_number: z.string().nullable(),
    customer_id: customerId(),
    kyc_status: KycStatus,
    risk_profile: RiskProfile,
    is_account_verified: z.boolean(),
    two_factor_enabled: z.boolean(),
    roles: z.array(RoleView),
    date_joined: timestamp(),
    last_login: timestamp().nullable(),
  })
  .meta({ id: 'Profile' });

const adminUserListShape = {
  id: z.number().int(),
  username: z.string(),
  email: z.string(),
  first_name: z.string(),
  last_name: z.string(),
  customer_id: customerId(),
  kyc_status: KycStatus,
  kyc_reason: z.string().nullable().meta({ description: 'Why KYC was rejected; null otherwise' }),
  risk_profile: RiskProfile,
  is_account_verified: z.boolean(),
  roles: z.array(RoleView),
  date_joined: timestamp(),
  last_login: timestamp().nullable(),
};

/** adminUserListView */
export const AdminUserListItem = z.strictObject(adminUserListShape).meta({ id: 'AdminUserListItem' });

/** adminUserView: adds contact details and the masked SSN and address (never the clear values). */
export const AdminUser = z
  .strictObject({
    ...adminUserListShape,
    phone_number: z.string().nullable(),
    date_of_birth: z.string().nullable().meta({ example: '1990-01-15' }),
    ssn_masked: z.string().nullable().meta({ example: '***-**-6789' }),
    address_masked: z.string().nullable().meta({ example: '1** M*** S*, C***, S****, Z**' }),
  })
  .meta({ id: 'AdminUser' });
