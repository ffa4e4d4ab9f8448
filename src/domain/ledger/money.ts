/**
 * Money is integer minor units (cents) inside and a decimal string at the API ("1000.00"). Never a float:
 * amounts are parsed from and formatted to strings digit by digit.
 */
export type Minor = number;

const AMOUNT = /^(\d{1,13})(?:\.(\d{1,2}))?$/;

/** Largest amount the API accepts (well inside Number.MAX_SAFE_INTEGER in cents). */
export const MAX_AMOUNT_MINOR: Minor = 999_999_999_999_99;

export type ParseResult = { ok: true; minor: Minor } | { ok: false; reason: 'format' | 'precision' };

/** "500", "500.5", "500.50" -> 50000 / 50050 / 50050. Signs, exponents, spaces and a third decimal are refused. */
export const parseAmount = (value: string): ParseResult => {
  if (/^\d+\.\d{3,}$/.test(value)) return { ok: false, reason: 'precision' };
  const match = AMOUNT.exec(value);
  if (!match) return { ok: false, reason: 'format' };
  const units = Number(match[1]);
  const cents = Number((match[2] ?? '').padEnd(2, '0'));
  return { ok: true, minor: units * 100 + cents };
};

/** 50050 -> "500.50"; -100 -> "-1.00". */
export const formatMinor = (minor: Minor): string => {
  if (!Number.isSafeInteger(minor)) throw new Error('Money must be an integer number of minor units');
  const sign = minor < 0 ? '-' : '';
  const abs = Math.abs(minor);
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
};
