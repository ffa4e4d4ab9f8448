import * as z from 'zod';
import { ACCOUNT_TYPES } from '@domain/ledger/products';
import { amountField } from '@kit/money-fields';

/** The seed's body: `{"account_type": "SAVINGS", "minimum_balance": "100.00"}`. */
export const createAccountBody = z.object({
  account_type: z.enum(ACCOUNT_TYPES, {
    error: (issue) =>
      issue.input === undefined
        ? 'This field is required.'
        : `"${String(issue.input)}" is not a valid choice.`,
  }),
  minimum_balance: amountField({ allowZero: true }).optional(),
});
