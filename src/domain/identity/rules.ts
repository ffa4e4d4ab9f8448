/**
 * Identity rules of the seed that are more than a format: plain functions, no AWS, no framework.
 */

const SSN_FORMAT = /^(\d{3})-(\d{2})-(\d{4})$/;

/**
 * NNN-NN-NNNN and never issued: area 000 or 666, group 00, serial 0000.
 * Areas 900-999 are accepted on purpose: the seed's own registration example uses 987-65-4321, and the
 * 9xx range also carries ITINs, which banks accept in the SSN field.
 */
export const isValidSsn = (ssn: string): boolean => {
  const match = SSN_FORMAT.exec(ssn);
  if (!match) return false;
  const [, area = '', group = '', serial = ''] = match;
  return area !== '000' && area !== '666' && group !== '00' && serial !== '0000';
};

/** The SSN reduced to its nine digits: the form the blind index is computed over. */
export const normalizeSsn = (ssn: string): string => ssn.replace(/\D/g, '');

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Parses YYYY-MM-DD into a calendar date, refusing impossible days such as 2023-02-30. */
export const parseIsoDate = (value: string): { year: number; month: number; day: number } | undefined => {
  const match = ISO_DATE.exec(value);
  if (!match) return undefined;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) {
    return undefined;
  }
  return { year, month, day };
};

/** Whole years between a birth date and `today` (UTC calendar dates); a 29 February birthday counts on 1 March. */
export const ageInYears = (birth: { year: number; month: number; day: number }, today: Date): number => {
  const [y, m, d] = [today.getUTCFullYear(), today.getUTCMonth() + 1, today.getUTCDate()];
  const hadBirthday = m > birth.month || (m === birth.month && d >= birth.day);
  return y - birth.year - (hadBirthday ? 0 : 1);
};

export const MINIMUM_AGE = 18;
