import * as z from 'zod';
import { TRANSACTION_TYPES } from '@domain/ledger/products';
import { accountNumberField, amountField } from '@kit/money-fields';

/** The seed's bodies for DEPOSIT, WITHDRAWAL, TRANSFER and PAYMENT (FEE and INTEREST: staff only). */
export const createTransactionBody = z.object({
  transaction_type: z.enum(TRANSACTION_TYPES, {
    error: (issue) =>
      issue.input === undefined
        ? 'This field is required.'
        : `"${String(issue.input)}" is not a valid choice.`,
  }),
  amount: amountField(),
  from_account_number: accountNumberField.optional(),
  to_account_number: accountNumberField.optional(),
  description: z.string().trim().max(255, 'Ensure this field has no more than 255 characters.').default(''),
});
