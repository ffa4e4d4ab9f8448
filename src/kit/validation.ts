import * as z from 'zod';
import { ValidationError, type FieldErrors } from '@domain/errors';

export const REQUIRED = 'This field is required.';

/** A required string field with the seed's (Django's) messages for missing, null, wrong type and blank. */
export const requiredString = (max: number) =>
  z
    .string({
      error: (issue) =>
        issue.input === undefined || issue.input === null ? REQUIRED : 'Not a valid string.',
    })
    .trim()
    .min(1, 'This field may not be blank.')
    .max(max, `Ensure this field has no more than ${max} characters.`);

const NON_FIELD = 'non_field_errors';

/** zod issues -> the seed's `{"field": ["message", ...]}`; unknown keys are reported under their own names. */
export const toFieldErrors = (error: z.ZodError, unknownKeyMessage: string): FieldErrors => {
  // A Map, not an object: a body key named `__proto__` or `constructor` must not resolve to Object.prototype.
  const fields = new Map<string, string[]>();
  const add = (field: string, message: string) => {
    const messages = fields.get(field) ?? [];
    if (!messages.includes(message)) messages.push(message);
    fields.set(field, messages);
  };
  for (const issue of error.issues) {
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) add(key, unknownKeyMessage);
      continue;
    }
    const [head] = issue.path;
    if (issue.path.length === 0 && issue.code === 'invalid_type') {
      add(NON_FIELD, 'Invalid data. Expected a JSON object.');
      continue;
    }
    add(head === undefined ? NON_FIELD : String(head), issue.message);
  }
  return Object.fromEntries(fields);
};

/** Parses `input` with `schema`, throwing the domain ValidationError the kit maps to 400. */
export const parseOrThrow = <S extends z.ZodType>(
  schema: S,
  input: unknown,
  unknownKeyMessage = 'Unknown field.',
): z.infer<S> => {
  const result = schema.safeParse(input);
  if (!result.success) throw new ValidationError(toFieldErrors(result.error, unknownKeyMessage));
  return result.data;
};
