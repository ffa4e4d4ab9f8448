import { ageInYears, isValidSsn, normalizeSsn, parseIsoDate } from '@domain/identity/rules';

describe('isValidSsn', () => {
  it.each(['123-45-6789', '987-65-4321', '001-01-0001', '999-99-9999'])(
    'accepts %s (the seed uses 987-65-4321)',
    (ssn) => {
      expect(isValidSsn(ssn)).toBe(true);
    },
  );

  it.each([
    ['000-12-3456', 'area 000'],
    ['666-12-3456', 'area 666'],
    ['123-00-4567', 'group 00'],
    ['123-45-0000', 'serial 0000'],
    ['123456789', 'no dashes'],
    ['123-45-678', 'too short'],
    ['12a-45-6789', 'letters'],
    [' 123-45-6789', 'leading space'],
  ])('refuses %s (%s)', (ssn) => {
    expect(isValidSsn(ssn)).toBe(false);
  });

  it('normalizes to nine digits', () => {
    expect(normalizeSsn('123-45-6789')).toBe('123456789');
  });
});

describe('parseIsoDate', () => {
  it('parses a real date', () => {
    expect(parseIsoDate('1990-01-15')).toEqual({ year: 1990, month: 1, day: 15 });
  });

  it.each(['2023-02-30', '1990-13-01', '1990-1-15', '15/01/1990', ''])('refuses %s', (value) => {
    expect(parseIsoDate(value)).toBeUndefined();
  });
});

describe('ageInYears', () => {
  const today = new Date('2026-11-25T10:00:00Z');

  it('counts a birthday that happened today', () => {
    expect(ageInYears({ year: 2008, month: 11, day: 25 }, today)).toBe(18);
  });

  it('does not count a birthday that is tomorrow', () => {
    expect(ageInYears({ year: 2008, month: 11, day: 26 }, today)).toBe(17);
  });

  it('counts a 29 February birthday on 1 March of a common year', () => {
    expect(ageInYears({ year: 2008, month: 2, day: 29 }, new Date('2026-02-28T00:00:00Z'))).toBe(17);
    expect(ageInYears({ year: 2008, month: 2, day: 29 }, new Date('2026-03-01T00:00:00Z'))).toBe(18);
  });
});
