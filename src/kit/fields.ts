import * as z from 'zod';
import { PASSWORD_POLICY } from '@contract/auth';
import { REQUIRED, requiredString } from './validation';
import { ageInYears, isValidSsn, MINIMUM_AGE, parseIsoDate } from '@domain/identity/rules';

/*
 * Field rules of the seed, shared by every schema that accepts them (registration, profile update, the
 * operator's create-user command). Messages follow Django's, which the seed's error examples quote.
 */
const requiredRaw = {
  error: (issue: { input: unknown }) => (issue.input == null ? REQUIRED : 'Not a valid string.'),
};

export const usernameField = requiredString(150).regex(
  /^[A-Za-z0-9_]+$/,
  'Enter a valid username. This value may contain only letters, numbers, and _ characters.',
);

export const emailField = requiredString(254).pipe(z.email('Enter a valid email address.'));

/** Never trimmed: spaces are part of a password. */
export const passwordField = z
  .string(requiredRaw)
  .min(
    PASSWORD_POLICY.minLength,
    `This password is too short. It must contain at least ${PASSWORD_POLICY.minLength} characters.`,
  )
  .max(128, 'Ensure this field has no more than 128 characters.')
  .regex(/[A-Z]/, 'This password must contain at least one uppercase letter.')
  .regex(/[a-z]/, 'This password must contain at least one lowercase letter.')
  .regex(/\d/, 'This password must contain at least one digit.');

export const phoneField = requiredString(16).regex(
  /^\+\d{9,15}$/,
  "Phone number must be entered in the format: '+999999999'. Up to 15 digits allowed.",
);

export const dateOfBirthField = requiredString(10).superRefine((value, ctx) => {
  const date = parseIsoDate(value);
  if (!date) {
    ctx.addIssue({
      code: 'custom',
      message: 'Date has wrong format. Use one of these formats instead: YYYY-MM-DD.',
    });
    return;
  }
  const today = new Date();
  if (Date.UTC(date.year, date.month - 1, date.day) > today.getTime()) {
    ctx.addIssue({ code: 'custom', message: 'Date of birth cannot be in the future.' });
  } else if (ageInYears(date, today) < MINIMUM_AGE) {
    ctx.addIssue({ code: 'custom', message: `You must be at least ${MINIMUM_AGE} years old to register.` });
  }
});

export const ssnField = requiredString(11).refine(isValidSsn, 'Enter a valid SSN in the format XXX-XX-XXXX.');

export const nameField = requiredString(150);

/** A Cognito refresh token is an encrypted JWT of roughly 1.8 KB. */
export const refreshTokenField = requiredString(8192);
