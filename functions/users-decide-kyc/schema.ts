import * as z from 'zod';

/** The seed's `{"kyc_status": ...}` plus the reason a rejection must carry. */
export const decideKycBody = z.object({
  kyc_status: z.enum(['APPROVED', 'REJECTED'], {
    error: (issue) =>
      issue.input === undefined
        ? 'This field is required.'
        : issue.input === 'PENDING'
          ? 'A KYC case can only be decided: choose APPROVED or REJECTED.'
          : 'Select a valid choice: APPROVED, REJECTED.',
  }),
  reason: z.string().trim().max(500, 'Ensure this field has no more than 500 characters.').optional(),
});
