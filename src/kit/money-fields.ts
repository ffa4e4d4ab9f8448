import * as z from 'zod';
import { ValidationError } from '@domain/errors';
import { MAX_AMOUNT_MINOR, parseAmount, type Minor } from '@domain/ledger/money';
import { REQUIRED } from './validation';

/**
 * A decimal amount as the seed writes it ("500.00"), parsed straight to integer minor units. A JSON number
 * is read through its decimal text, so 100.1 is 10010; nothing is ever computed in floating point.
 */
export const amountField = (options: { allowZero?: boolean } = {}) =>
  z
    .union([z.string(), z.number()], {
      error: (issue) => (issue.input == null ? REQUIRED : 'A valid number is required.'),
    })
    .transform((value, ctx): Minor => {
      const text = typeof value === 'number' ? String(value) : value.trim();
      if (/^-\d/.test(text)) {
        ctx.addIssue({ code: 'custom', message: 'Ensure this value is greater than 0.' });
        return z.NEVER;
      }
      const parsed = parseAmount(text);
      if (!parsed.ok) {
        ctx.addIssue({
          code: 'custom',
          message:
            parsed.reason === 'precision'
              ? 'Ensure that there are no more than 2 decimal places.'
              : 'A valid number is required.',
        });
        return z.NEVER;
      }
      if (!options.allowZero && parsed.minor === 0) {
        ctx.addIssue({ code: 'custom', message: 'Ensure this value is greater than 0.' });
        return z.NEVER;
      }
      if (parsed.minor > MAX_AMOUNT_MINOR) {
        ctx.addIssue({ code: 'custom', message: 'Ensure this value is not too large.' });
        return z.NEVER;
      }
      return parsed.minor;
    });

/** SAV/CUR + 9 digits, FD + 9 digits. */
export const accountNumberField = z
  .string({ error: 'A valid account number is required.' })
  .trim()
  .regex(/^(SAV|CUR|FD)\d{9}$/, 'Enter a valid account number.');

/** The Idempotency-Key header: printable, at most 255 characters. */
export const idempotencyKeyOf = (headers: Record<string, string | undefined>): string | undefined => {
  const key = headers['idempotency-key'];
  if (key === undefined) return undefined;
  if (!/^[\x21-\x7e]{1,255}$/.test(key)) {
    throw new ValidationError({
      'Idempotency-Key': ['Use 1 to 255 printable characters.'],
    });
  }
  return key;
};
