import { NotFoundError } from '@domain/errors';

/** The seed's integer `{user_id}`; anything else cannot name a user, so it is a 404 like Django's. */
export const userIdParam = (params: Record<string, string | undefined>): number => {
  const raw = params.user_id ?? '';
  if (!/^[1-9]\d{0,11}$/.test(raw)) throw new NotFoundError('User not found.');
  return Number(raw);
};
