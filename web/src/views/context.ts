import type { ApiClient, StaffUser } from '../api';

/** What every screen receives: the API client and who is signed in. */
export interface ScreenContext {
  api: ApiClient;
  user: StaffUser;
}

export const isAdmin = (user: StaffUser): boolean => user.roles.includes('BANK_ADMIN');

/** A screen's error, as the person reading it needs it. */
export const messageOf = (error: unknown): string =>
  error instanceof Error ? error.message : 'Something went wrong. Please try again.';
