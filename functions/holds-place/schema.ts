import * as z from 'zod';
import { amountField } from '@kit/money-fields';
import { requiredString } from '@kit/validation';

/** POST /api/accounts/{account_number}/holds/: how much to reserve, and why. */
export const placeHoldBody = z.object({ amount: amountField(), reason: requiredString(255) });
