import * as z from 'zod';
import { ACCOUNT_STATUSES } from '@domain/ledger/products';

/** PATCH /api/accounts/{account_number}/: the new status, nothing else. */
export const updateAccountStatusBody = z.strictObject({
  status: z.enum(ACCOUNT_STATUSES, `Select a valid choice: ${ACCOUNT_STATUSES.join(', ')}.`),
});
