import * as z from 'zod';

export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;

/** Query parameters every list route accepts. */
export const pageQuery = {
  page_size: z.coerce
    .number({ error: 'A valid integer is required.' })
    .int('A valid integer is required.')
    .min(1, 'Ensure this value is greater than or equal to 1.')
    .max(MAX_PAGE_SIZE, `Ensure this value is less than or equal to ${MAX_PAGE_SIZE}.`)
    .default(DEFAULT_PAGE_SIZE),
  cursor: z.string().max(2048).optional(),
};

interface PageRequest {
  path: string;
  query: Record<string, string | undefined>;
  host: string | undefined;
  proto: string | undefined;
}

/** The link to the next page: the same request with the next cursor, absolute when the host is known. */
const nextLink = (request: PageRequest, cursor: string): string => {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(request.query))
    if (value !== undefined && key !== 'cursor') params.set(key, value);
  params.set('cursor', cursor);
  const relative = `${request.path}?${params.toString()}`;
  return request.host ? `${request.proto ?? 'https'}://${request.host}${relative}` : relative;
};

/**
 * The seed's list shape `{count, next, previous, results}`. Pages are keyset cursors (DynamoDB's), so
 * `next` links forward and `previous` is always null: clients go back by keeping the links they followed.
 */
export const pageOf = <T>(
  request: PageRequest,
  page: { count: number; next: string | null },
  results: T[],
) => ({
  count: page.count,
  next: page.next ? nextLink(request, page.next) : null,
  previous: null,
  results,
});
