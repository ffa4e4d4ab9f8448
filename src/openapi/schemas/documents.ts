import * as z from 'zod';
import { DOCUMENT_CONTENT_TYPES, DOCUMENT_TYPES } from '@contract/documents';
import { DOCUMENT_STATUSES } from '@domain/documents/document';
import { timestamp } from './common';

/* Response bodies of the KYC document routes (views in src/domain/documents/document.ts). */

const documentFields = {
  document_id: z
    .string()
    .meta({ description: 'Opaque id: `DOC` and a ULID', example: 'DOC01JDQ8Z6Y3K4M5N6P7Q8R9S0T1' }),
  document_type: z.enum(DOCUMENT_TYPES),
  content_type: z.enum(DOCUMENT_CONTENT_TYPES),
  status: z.enum(DOCUMENT_STATUSES).meta({
    description:
      '`AWAITING_UPLOAD` until the file arrives; then `VERIFIED` or `REJECTED` (with a reason) by the ' +
      'check on arrival; `SUPERSEDED` once a newer document of the same type is registered',
  }),
  reason: z.string().nullable().meta({ description: 'Why the file was rejected or superseded' }),
  document_number_last4: z.string().meta({ description: 'Never the number in clear: its last 4 characters' }),
  size_bytes: z.number().int().nullable().meta({ description: 'Size of the stored file, once uploaded' }),
  declared_size_bytes: z.number().int(),
  created_at: timestamp(),
  uploaded_at: timestamp().nullable(),
};

export const KycDocument = z.strictObject(documentFields).meta({ id: 'KycDocument' });

export const DocumentUpload = z
  .strictObject({
    ...documentFields,
    upload: z
      .strictObject({
        url: z.string().meta({ description: 'POST the form here' }),
        fields: z.record(z.string(), z.string()).meta({
          description:
            'Send every field as a form field, in this order, then the file as the last field `file`',
        }),
      })
      .meta({
        description: 'A presigned POST: key, content type and size (1 B to 5 MB) fixed by its policy',
      }),
    expires_at: timestamp().meta({ description: 'The upload form works until then (5 minutes)' }),
  })
  .meta({ id: 'DocumentUpload' });

export const AdminKycDocument = z
  .strictObject({
    ...documentFields,
    user_id: z.number().int(),
    customer_id: z.string(),
    sha256: z.string().nullable().meta({ description: 'SHA-256 of the stored file (hex)' }),
    duplicate_file: z.boolean().meta({ description: 'The same file was uploaded by another customer' }),
    checked_at: timestamp().nullable(),
    view_url: z
      .string()
      .nullable()
      .meta({ description: 'Presigned GET of a VERIFIED file, valid 5 minutes; handing it out is audited' }),
    view_url_expires_at: timestamp().nullable(),
  })
  .meta({ id: 'AdminKycDocument' });

export const QueueDocument = z
  .strictObject({
    document_id: z.string(),
    document_type: z.enum(DOCUMENT_TYPES),
    status: z.enum(DOCUMENT_STATUSES),
    reason: z.string().nullable(),
    duplicate_file: z.boolean(),
    uploaded_at: timestamp().nullable(),
  })
  .meta({ id: 'QueueDocument' });
