import { formatMinor, parseAmount } from '@domain/ledger/money';

describe('parseAmount', () => {
  it.each([
    ['500', 50000],
    ['500.5', 50050],
    ['500.50', 50050],
    ['0.01', 1],
    ['0', 0],
    ['9999999999999.99', 999999999999999],
  ])('parses %s to %d minor units', (text, minor) => {
    expect(parseAmount(text)).toEqual({ ok: true, minor });
  });

  it.each([
    '-1.00',
    '+1',
    '1e3',
    ' 1.00',
    '1.00 ',
    '1,000.00',
    '.50',
    '1.',
    'abc',
    '',
    '10000000000000.00',
    'NaN',
  ])('refuses %j', (text) => {
    expect(parseAmount(text)).toEqual({ ok: false, reason: 'format' });
  });

  it('refuses more than two decimals as a precision error', () => {
    expect(parseAmount('1.005')).toEqual({ ok: false, reason: 'precision' });
  });
});

describe('formatMinor', () => {
  it.each([
    [0, '0.00'],
    [1, '0.01'],
    [50050, '500.50'],
    [-100, '-1.00'],
    [999999999999999, '9999999999999.99'],
  ])('formats %d as %s', (minor, text) => {
    expect(formatMinor(minor)).toBe(text);
  });

  it('round-trips every amount it formats', () => {
    for (let minor = 0; minor < 100_000; minor += 7) {
      expect(parseAmount(formatMinor(minor))).toEqual({ ok: true, minor });
    }
  });

  it('refuses a fraction of a cent', () => {
    expect(() => formatMinor(0.5)).toThrow();
  });
});
