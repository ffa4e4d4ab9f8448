import * as z from 'zod';
import {
  dateOfBirthField,
  emailField,
  nameField,
  passwordField,
  phoneField,
  ssnField,
  usernameField,
} from '@kit/fields';
import { requiredString } from '@kit/validation';

/** POST /api/auth/register/ body, exactly the seed's fields; unknown fields are ignored as Django does. */
export const registerBody = z
  .object({
    username: usernameField,
    email: emailField,
    password: passwordField,
    confirm_password: z.string({
      error: (issue) => (issue.input == null ? 'This field is required.' : 'Not a valid string.'),
    }),
    first_name: nameField,
    last_name: nameField,
    phone_number: phoneField,
    date_of_birth: dateOfBirthField,
    ssn: ssnField,
    address: requiredString(500),
  })
  .refine((body) => body.password === body.confirm_password, {
    message: "Password fields didn't match.",
    path: ['confirm_password'],
    // Report the mismatch together with the other field errors, as long as both values are strings.
    when: (payload) => {
      const value = payload.value as Partial<Record<'password' | 'confirm_password', unknown>> | undefined;
      return typeof value?.password === 'string' && typeof value.confirm_password === 'string';
    },
  });

export type RegisterBody = z.infer<typeof registerBody>;
