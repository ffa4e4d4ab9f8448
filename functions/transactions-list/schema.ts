import * as z from 'zod';
import { TRANSACTION_TYPES } from '@domain/ledger/products';
import { dateParam } from '@kit/date-fields';
import { accountNumberField } from '@kit/money-fields';
import { pageQuery } from '@kit/pagination';

/** GET /api/transactions/: the page, then filters by type, account and calendar dates (inclusive). */
export const listTransactionsQuery = z.object({
  ...pageQuery,
  transaction_type: z
    .enum(TRANSACTION_TYPES, `Select a valid choice: ${TRANSACTION_TYPES.join(', ')}.`)
    .optional(),
  account_number: accountNumberField.optional(),
  from: dateParam.optional(),
  to: dateParam.optional(),
});
