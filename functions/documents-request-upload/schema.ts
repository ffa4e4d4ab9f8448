import * as z from 'zod';
import { DOCUMENT_CONTENT_TYPES, DOCUMENT_LIMITS, DOCUMENT_TYPES } from '@contract/documents';
import { validateDocumentNumber } from '@domain/documents/document';
import { REQUIRED, requiredString } from '@kit/validation';

const choice = (values: readonly string[]) => ({
  error: (issue: { input: unknown }) =>
    issue.input === undefined || issue.input === null
      ? REQUIRED
      : `Select a valid choice: ${values.join(', ')}.`,
});

/** POST /api/kyc/documents/: what will be uploaded. The number is checked against its type's format. */
export const requestUploadBody = z
  .object({
    document_type: z.enum(DOCUMENT_TYPES, choice(DOCUMENT_TYPES)),
    document_number: requiredString(40),
    content_type: z.enum(DOCUMENT_CONTENT_TYPES, choice(DOCUMENT_CONTENT_TYPES)),
    size_bytes: z
      .number({
        error: (issue) =>
          issue.input === undefined || issue.input === null ? REQUIRED : 'A valid integer is required.',
      })
      .int('A valid integer is required.')
      .min(
        DOCUMENT_LIMITS.minBytes,
        `Ensure this value is greater than or equal to ${DOCUMENT_LIMITS.minBytes}.`,
      )
      .max(
        DOCUMENT_LIMITS.maxBytes,
        `Ensure this value is less than or equal to ${DOCUMENT_LIMITS.maxBytes} (5 MB).`,
      ),
  })
  .superRefine((body, ctx) => {
    const number = validateDocumentNumber(body.document_type, body.document_number);
    if (!number.ok) ctx.addIssue({ code: 'custom', path: ['document_number'], message: number.message });
  });

export type RequestUploadBody = z.infer<typeof requestUploadBody>;
