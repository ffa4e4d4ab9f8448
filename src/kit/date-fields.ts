import * as z from 'zod';
import { parseIsoDate } from '@domain/identity/rules';

/** A calendar date query parameter (YYYY-MM-DD). */
export const dateParam = z
  .string()
  .refine(
    (value) => parseIsoDate(value) !== undefined,
    'Date has wrong format. Use one of these formats instead: YYYY-MM-DD.',
  );
