import * as z from 'zod';

/*
 * Shapes every route shares: the seed's error bodies and its list envelope. The handler kit produces them
 * (`@kit/errors`, `@kit/pagination`); these schemas document them and the tests hold the two together.
 */

/** The seed's timestamps: ISO 8601 in UTC to the second. */
export const timestamp = () => z.iso.datetime().meta({ example: '2024-01-15T10:30:00Z' });

/** Bad input (400): every offending field with its messages; body-level problems under `non_field_errors`. */
export const ValidationErrors = z.record(z.string(), z.array(z.string())).meta({
  id: 'ValidationErrors',
  description:
    'Bad input: each offending field names its messages. Malformed JSON or a body that is not an object ' +
    'is reported under `non_field_errors`.',
  example: {
    username: ['A user with that username already exists.'],
    email: ['Enter a valid email address.'],
    confirm_password: ["Password fields didn't match."],
  },
});

/** Every other 4xx: one message. */
export const ErrorBody = z
  .strictObject({ error: z.string() })
  .meta({ id: 'Error', example: { error: 'Authentication credentials were not provided.' } });

/** 403 on login while the account is locked. */
export const AccountLocked = z.strictObject({ error: z.string(), locked_until: timestamp() }).meta({
  id: 'AccountLocked',
  example: {
    error: 'Account locked due to too many failed login attempts. Try again in 30 minutes.',
    locked_until: '2024-01-15T11:00:00Z',
  },
});

/** 500: nothing but a request id to quote to support; the details stay in the logs. */
export const InternalError = z.strictObject({ error: z.string(), request_id: z.string() }).meta({
  id: 'InternalError',
  example: { error: 'Internal server error.', request_id: 'c0ffee00-0000-4000-8000-000000000000' },
});

/**
 * The seed's list envelope `{count, next, previous, results}`. Pages are keyset cursors: `next` is the
 * link to the following page (null on the last), `previous` is always null.
 */
export const page = <T extends z.ZodType>(id: string, item: T) =>
  z
    .strictObject({
      count: z.number().int().min(0).meta({ description: 'Items on this page' }),
      next: z.string().nullable().meta({ description: 'Link to the next page (same query, next cursor)' }),
      previous: z.null(),
      results: z.array(item),
    })
    .meta({ id });

/** Query parameters every list route accepts (the handlers use `@kit/pagination`'s `pageQuery`). */
export const PAGE_QUERY_DESCRIPTIONS = {
  page_size: 'Items per page, 1 to 100 (default 20)',
  cursor: "Opaque cursor taken from the previous page's `next` link",
} as const;

/**
 * The values of a string union type, checked by the compiler to be all of them: when the domain adds a
 * value the documentation's enum fails to compile instead of silently falling behind.
 */
export const allOf =
  <T extends string>() =>
  <const V extends readonly T[]>(values: V & ([Exclude<T, V[number]>] extends [never] ? unknown : never)) =>
    values as V;
