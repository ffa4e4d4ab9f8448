import * as z from 'zod';
import { nameField, phoneField } from '@kit/fields';

/** Only these three fields may change; any other key (ssn, address, kyc_status, roles, ...) is refused by name. */
export const updateProfileBody = z
  .strictObject({
    first_name: nameField.optional(),
    last_name: nameField.optional(),
    phone_number: phoneField.optional(),
  })
  .refine((body) => Object.keys(body).length > 0, {
    message: 'Provide at least one of first_name, last_name, phone_number.',
    // Only when nothing else is wrong: a refused field is the whole answer, not "nothing to update".
    when: (payload) => payload.issues.length === 0,
  });

export const READ_ONLY_FIELD = 'This field cannot be updated.';
