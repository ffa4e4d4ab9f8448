import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import * as z from 'zod';
import { ValidationError } from '@domain/errors';
import { parseOrThrow } from '@kit/validation';
import { updateAccountStatusBody } from '@functions/accounts-update-status/schema';
import { REPO_ROOT } from '@test/local-stack';
import { echoesPii, fuzzParameters, hostileParams, hostileValue, PII } from './arbitraries';

/*
 * Every request schema (bodies and query strings of functions/<route>/schema.ts), fed hostile values
 * directly: parsing either succeeds or throws the one ValidationError the kit maps to 400, in the seed's
 * shape ({"field": ["message", ...]}), whose messages never carry planted PII. Nothing else is thrown.
 */

const schemas: [string, z.ZodType][] = readdirSync(join(REPO_ROOT, 'functions'), { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .flatMap((entry) => {
    const file = join(REPO_ROOT, 'functions', entry.name, 'schema.ts');
    let module: Record<string, unknown>;
    try {
      module = jest.requireActual<Record<string, unknown>>(file);
    } catch {
      return [];
    }
    return Object.entries(module)
      .filter((pair): pair is [string, z.ZodType] => pair[1] instanceof z.ZodType)
      .map(([name, schema]) => [`${entry.name}/${name}`, schema] as [string, z.ZodType]);
  });

const inSeedShape = (fields: unknown) =>
  typeof fields === 'object' &&
  fields !== null &&
  Object.values(fields).every(
    (messages) => Array.isArray(messages) && messages.every((message) => typeof message === 'string'),
  );

it('finds the request schemas of the routes', () => {
  expect(schemas.length).toBeGreaterThanOrEqual(15);
});

describe.each(schemas)('%s', (_name, schema) => {
  it('accepts or refuses hostile input with a 400 in the seed shape, never echoing PII', () => {
    const isQuery = _name.toLowerCase().includes('query');
    fc.assert(
      fc.property(isQuery ? hostileParams : hostileValue, (input) => {
        try {
          parseOrThrow(schema, input);
        } catch (error) {
          expect(error).toBeInstanceOf(ValidationError);
          const { fields } = error as ValidationError;
          expect(inSeedShape(fields)).toBe(true);
          expect(echoesPii(JSON.stringify(fields))).toBeUndefined();
        }
      }),
      fuzzParameters(200),
    );
  });
});

describe('prototype-pollution keys in a body', () => {
  it('are reported as unknown fields of a strict schema, not resolved to Object.prototype', () => {
    const body = JSON.parse('{"__proto__":{"polluted":true},"constructor":{"x":1},"status":"FROZEN"}');

    const refusal = (() => {
      try {
        parseOrThrow(updateAccountStatusBody, body);
      } catch (error) {
        return error;
      }
    })();

    expect(refusal).toBeInstanceOf(ValidationError);
    const fields = (refusal as ValidationError).fields;
    expect(Object.hasOwn(fields, '__proto__')).toBe(true);
    expect(Object.hasOwn(fields, 'constructor')).toBe(true);
    expect(JSON.parse(JSON.stringify(fields))).toEqual(
      JSON.parse('{"__proto__":["Unknown field."],"constructor":["Unknown field."]}'),
    );
    expect(Object.prototype).not.toHaveProperty('polluted');
  });
});

describe('the PII detector used by the fuzz tests', () => {
  it('finds planted PII inside a longer text', () => {
    expect(echoesPii(JSON.stringify({ ssn: ['Enter a valid SSN.'] }))).toBeUndefined();
    expect(echoesPii(`{"error":"x${PII.address}"}`)).toBe(PII.address);
  });
});
