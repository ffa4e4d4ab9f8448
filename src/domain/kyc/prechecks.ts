import { ageInYears, MINIMUM_AGE, parseIsoDate } from '@domain/identity/rules';
import type { PreCheckResult } from './case';
import { screenName, type WatchListEntry } from './screening';

/** Age from the date of birth on the profile (registration already refused minors; this records it). */
export const checkAge = (dateOfBirth: string | null, today: Date): PreCheckResult => {
  const birth = dateOfBirth ? parseIsoDate(dateOfBirth) : undefined;
  if (!birth) return { check: 'AGE', outcome: 'FLAG', detail: 'No valid date of birth on file.' };
  const age = ageInYears(birth, today);
  return age >= MINIMUM_AGE
    ? { check: 'AGE', outcome: 'PASS', detail: `Age ${age} meets the minimum of ${MINIMUM_AGE}.` }
    : { check: 'AGE', outcome: 'FAIL', detail: `Age ${age} is below the minimum of ${MINIMUM_AGE}.` };
};

/** Other customers with the same name and date of birth (different SSN) may be one person twice. */
export const checkDuplicateIdentity = (otherCustomers: number): PreCheckResult =>
  otherCustomers === 0
    ? {
        check: 'DUPLICATE_IDENTITY',
        outcome: 'PASS',
        detail: 'No other customer has this name and date of birth.',
      }
    : {
        check: 'DUPLICATE_IDENTITY',
        outcome: 'FLAG',
        detail: `${otherCustomers} other customer(s) share this name and date of birth.`,
      };

export const checkWatchList = (fullName: string, entries: readonly WatchListEntry[]): PreCheckResult => {
  const matches = screenName(fullName, entries);
  return matches.length === 0
    ? {
        check: 'WATCH_LIST',
        outcome: 'PASS',
        detail: `Screened against ${entries.length} watch-list entries.`,
      }
    : {
        check: 'WATCH_LIST',
        outcome: 'FLAG',
        detail: `Name matches watch-list entries from: ${[...new Set(matches.map((match) => match.source))].join(', ')}.`,
      };
};

export const IDENTITY_DOCUMENT_REQUIRED =
  "KYC approval needs a verified identity document (passport, driver's license or national ID), and this customer has none yet.";

/**
 * A verified passport, driver's license or national ID on file. Missing, it is a FLAG only where the
 * stage's policy requires one for approval; elsewhere the reviewer is told and may still approve.
 */
export const checkIdentityDocument = (verified: boolean, required: boolean): PreCheckResult =>
  verified
    ? { check: 'IDENTITY_DOCUMENT', outcome: 'PASS', detail: 'A verified identity document is on file.' }
    : required
      ? {
          check: 'IDENTITY_DOCUMENT',
          outcome: 'FLAG',
          detail: 'No verified identity document yet; approval requires one on this stage.',
        }
      : {
          check: 'IDENTITY_DOCUMENT',
          outcome: 'PASS',
          detail: 'No verified identity document yet; not required for approval on this stage.',
        };
