import fc from 'fast-check';

/*
 * Hostile inputs for the property-based tests. Seeded (FUZZ_SEED) and bounded (FUZZ_RUNS) so a run is
 * reproducible and CI stays fast; a failure prints the seed and the counterexample path to replay it.
 */
export const FUZZ_SEED = Number(process.env.FUZZ_SEED ?? 20_261_125);
export const FUZZ_RUNS = Number(process.env.FUZZ_RUNS ?? 60);
export const fuzzParameters = (numRuns = FUZZ_RUNS): fc.Parameters<unknown> => ({
  seed: FUZZ_SEED,
  numRuns,
  endOnFailure: true,
});

/** PII planted in hostile bodies: no response may ever carry it back. */
export const PII = {
  ssn: '987-65-4329',
  ssnDigits: '987654329',
  address: '742 Evergreen Terrace PIIMARKER',
  password: 'Hunter2Secret!PIIMARKER',
  dateOfBirth: '1961-07-04',
} as const;

const PII_VALUES = Object.values(PII);

/** The response text carries none of the planted PII. */
export const echoesPii = (text: string): string | undefined =>
  PII_VALUES.find((value) => text.includes(value));

const SPECIAL_STRINGS = [
  '',
  ' ',
  '\u0000',
  '\ud800',
  '\u202e',
  '\ufeff100.00',
  '𝟙𝟘𝟘',
  '１００.００',
  '٣٠٠',
  'NaN',
  'Infinity',
  '-Infinity',
  '-0',
  '1e309',
  '1e-7',
  '0x10',
  '0b11',
  '100.001',
  '-100.00',
  '+100.00',
  ' 100.00 ',
  '100,00',
  '99999999999999999999.99',
  '9007199254740993',
  'true',
  'null',
  '[]',
  '{}',
  '<script>alert(1)</script>',
  "' OR '1'='1' --",
  '{"$ne": null}',
  '${jndi:ldap://x/a}',
  '../../../etc/passwd',
  '%00%2e%2e',
  'SAV000000001\u0000',
  'TXN000000000000',
  '__proto__',
  'constructor',
  PII.ssn,
  PII.ssnDigits,
  PII.address,
  PII.password,
  PII.dateOfBirth,
];

/** Keys that attack the object model, plus ordinary and odd ones. */
export const hostileKey = fc.oneof(
  fc.constantFrom('__proto__', 'constructor', 'prototype', 'toString', 'valueOf', 'hasOwnProperty', ''),
  fc.string({ maxLength: 12 }),
);

export const hostileString = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...SPECIAL_STRINGS) },
  { weight: 2, arbitrary: fc.string({ maxLength: 40 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  { weight: 1, arbitrary: fc.integer().map(String) },
  { weight: 1, arbitrary: fc.double().map(String) },
  { weight: 1, arbitrary: fc.constantFrom(70_000, 300_000).map((n) => 'A'.repeat(n)) },
  { weight: 1, arbitrary: fc.constantFrom(...PII_VALUES).map((pii) => `${'x'.repeat(300)}${pii}`) },
);

/** Any JSON value, with hostile strings, numbers and keys, nested a little. */
export const hostileValue: fc.Arbitrary<unknown> = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', maxDepth: 3 },
    hostileString,
    fc.integer(),
    fc.double({ noNaN: true }),
    fc.constantFrom(0, -0, 1e21, Number.MAX_SAFE_INTEGER + 2, 100.001, 1e-7),
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(hostileKey, tie('value'), { maxKeys: 4 }),
  ),
})).value;

const nest = (depth: number, open: string, close: string, inner = '1') =>
  `${open.repeat(depth)}${inner}${close.repeat(depth)}`;

/** Raw bodies that are not a well-formed small JSON object. */
export const hostileRawBody = fc.constantFrom(
  '',
  '{',
  '{"a":',
  'null',
  '"a string"',
  '12',
  '[]',
  'true',
  '1e999',
  '{"amount": 1e999}',
  '\ufeff{}',
  '{"a":1,"a":2}',
  nest(5_000, '[', ']'),
  nest(5_000, '{"a":', '}'),
  `{"x":"${'A'.repeat(1024 * 1024)}"}`,
  `{"__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}}}`,
  `{"ssn":"${PII.ssn}","address":"${PII.address}"`,
);

/** Prototype-pollution payloads merged into an otherwise valid body (JSON text keeps `__proto__` as a key). */
export const pollutingBody = (valid: Record<string, unknown>): string =>
  JSON.stringify(valid).replace(
    /^\{/,
    '{"__proto__":{"polluted":true,"isAdmin":true},"constructor":{"prototype":{"polluted":true}},',
  );

/** A valid body with one field replaced, removed or added (the replacement hostile). */
export const mutatedBody = (valid: Record<string, unknown>) => {
  const fields = Object.keys(valid);
  return fc.oneof(
    fc
      .tuple(fc.constantFrom(...fields), hostileValue)
      .map(([field, value]) => JSON.stringify({ ...valid, [field]: value })),
    fc.constantFrom(...fields).map((field) => {
      const rest = { ...valid };
      delete rest[field];
      return JSON.stringify(rest);
    }),
    fc
      .tuple(hostileKey, hostileValue)
      .map(([key, value]) => JSON.stringify({ ...valid, [key === '__proto__' ? 'proto' : key]: value })),
    fc.constant(pollutingBody(valid)),
    // Numbers sent as strings and strings sent as numbers.
    fc.constantFrom(...fields).map((field) => {
      const value = valid[field];
      const flipped =
        typeof value === 'string' && /^-?\d+(\.\d+)?$/.test(value)
          ? Number(value)
          : typeof value === 'number'
            ? String(value)
            : [value];
      return JSON.stringify({ ...valid, [field]: flipped });
    }),
  );
};

/** Any body for a route: hostile JSON, raw hostile text, or a mutation of its valid example. */
export const hostileBody = (valid: Record<string, unknown> | undefined): fc.Arbitrary<string> =>
  fc.oneof(
    { weight: 2, arbitrary: hostileValue.map((value) => JSON.stringify(value) ?? 'null') },
    { weight: 1, arbitrary: hostileRawBody },
    ...(valid ? [{ weight: 4, arbitrary: mutatedBody(valid) }] : []),
  );

/** Query strings and path parameters as API Gateway passes them: string values, hostile content. */
export const hostileParams = fc.dictionary(
  fc.oneof(
    fc.constantFrom(
      'page',
      'page_size',
      'cursor',
      'kyc_status',
      'status',
      'severity',
      'from',
      'to',
      'account_number',
      'transaction_type',
      'username',
      'action',
      'customer_id',
      '__proto__',
    ),
    fc.string({ maxLength: 8 }),
  ),
  hostileString,
  { maxKeys: 4 },
);
