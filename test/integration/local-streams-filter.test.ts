import { STREAM_CONSUMERS } from '@contract/stream-consumers';
import {
  compileFilter,
  describeFilter,
  FilterPatternError,
  matchesFilter,
  type FilterPattern,
} from '@test/local-stack';

/*
 * The local stream poller's event filter (Lambda FilterCriteria semantics), as a pure function: no emulator.
 */

const record = (overrides: {
  eventName?: 'INSERT' | 'MODIFY' | 'REMOVE';
  keys?: Record<string, unknown>;
  newImage?: Record<string, unknown>;
  oldImage?: Record<string, unknown>;
}) => ({
  eventID: 'e-1',
  eventName: overrides.eventName ?? 'INSERT',
  eventVersion: '1.1',
  eventSource: 'aws:dynamodb',
  awsRegion: 'us-east-1',
  dynamodb: {
    ApproximateCreationDateTime: 1_700_000_000,
    Keys: overrides.keys ?? { PK: { S: 'TX#1' }, SK: { S: 'TX#1' } },
    ...(overrides.newImage ? { NewImage: overrides.newImage } : {}),
    ...(overrides.oldImage ? { OldImage: overrides.oldImage } : {}),
    SequenceNumber: '100',
    SizeBytes: 42,
    StreamViewType: 'NEW_AND_OLD_IMAGES',
  },
  eventSourceARN: 'arn:aws:dynamodb:ddblocal:000000000000:table/t/stream/x',
});

const transaction = {
  PK: { S: 'TX#1' },
  SK: { S: 'TX#1' },
  entity: { S: 'Transaction' },
  amount: { N: '100' },
};
const account = { PK: { S: 'ACC#1' }, SK: { S: 'ACC#1' }, entity: { S: 'Account' } };

describe('stream event filters (Lambda FilterCriteria)', () => {
  describe('the contract consumers', () => {
    const fraud = STREAM_CONSUMERS.find((consumer) => consumer.id === 'FraudScoring')!;
    const audit = STREAM_CONSUMERS.find((consumer) => consumer.id === 'AuditTrail')!;

    it('FraudScoring sees inserted transactions only', () => {
      const filter = compileFilter(fraud.filterPatterns);

      expect(filter.matches(record({ eventName: 'INSERT', newImage: transaction }))).toBe(true);
      expect(
        filter.matches(record({ eventName: 'MODIFY', newImage: transaction, oldImage: transaction })),
      ).toBe(false);
      expect(filter.matches(record({ eventName: 'REMOVE', oldImage: transaction }))).toBe(false);
      expect(filter.matches(record({ eventName: 'INSERT', newImage: account }))).toBe(false);
    });

    it('AuditTrail sees every change except its own AUDIT# records', () => {
      const filter = compileFilter(audit.filterPatterns);

      expect(filter.matches(record({ keys: { PK: { S: 'ACC#1' }, SK: { S: 'ACC#1' } } }))).toBe(true);
      expect(
        filter.matches(record({ eventName: 'REMOVE', keys: { PK: { S: 'USER#1' }, SK: { S: 'P' } } })),
      ).toBe(true);
      expect(filter.matches(record({ keys: { PK: { S: 'AUDIT#2026-01-01' }, SK: { S: '1' } } }))).toBe(false);
      // A prefix is case-sensitive and anchored at the start.
      expect(filter.matches(record({ keys: { PK: { S: 'audit#x' }, SK: { S: '1' } } }))).toBe(true);
      expect(filter.matches(record({ keys: { PK: { S: 'X#AUDIT#' }, SK: { S: '1' } } }))).toBe(true);
    });

    it('describes them in one readable line each', () => {
      expect(describeFilter(fraud.filterPatterns)).toBe(
        'eventName=INSERT & dynamodb.NewImage.entity.S=Transaction',
      );
      expect(describeFilter(audit.filterPatterns)).toBe('dynamodb.Keys.PK.S anything-but prefix "AUDIT#"');
      expect(describeFilter([])).toBe('every record');
    });
  });

  describe('matching', () => {
    const event = record({ eventName: 'MODIFY', newImage: transaction, oldImage: account });

    it.each<[string, FilterPattern, boolean]>([
      ['an exact value among alternatives', { eventName: ['INSERT', 'MODIFY'] }, true],
      ['no alternative equal', { eventName: ['INSERT', 'REMOVE'] }, false],
      [
        'every field (AND)',
        { eventName: ['MODIFY'], dynamodb: { NewImage: { entity: { S: ['Account'] } } } },
        false,
      ],
      ['nested objects', { dynamodb: { OldImage: { entity: { S: ['Account'] } } } }, true],
      [
        'a number never equals its string (DynamoDB N is a string)',
        { dynamodb: { NewImage: { amount: { N: [100] } } } },
        false,
      ],
      ['a DynamoDB N as a string', { dynamodb: { NewImage: { amount: { N: ['100'] } } } }, true],
      ['a number', { dynamodb: { SizeBytes: [42] } }, true],
      ['numeric range', { dynamodb: { SizeBytes: [{ numeric: ['>', 10, '<=', 42] }] } }, true],
      ['numeric out of range', { dynamodb: { SizeBytes: [{ numeric: ['<', 42] }] } }, false],
      ['numeric on a string', { dynamodb: { NewImage: { amount: { N: [{ numeric: ['>', 1] }] } } } }, false],
      ['prefix', { dynamodb: { Keys: { PK: { S: [{ prefix: 'TX#' }] } } } }, true],
      ['prefix not at the start', { dynamodb: { Keys: { PK: { S: [{ prefix: '#1' }] } } } }, false],
      ['suffix', { dynamodb: { Keys: { PK: { S: [{ suffix: '#1' }] } } } }, true],
      ['equals-ignore-case', { eventName: [{ 'equals-ignore-case': 'modify' }] }, true],
      ['wildcard', { eventSourceARN: [{ wildcard: 'arn:aws:dynamodb:*:table/t/stream/*' }] }, true],
      ['anything-but a value', { eventName: [{ 'anything-but': 'REMOVE' }] }, true],
      ['anything-but a list that holds it', { eventName: [{ 'anything-but': ['INSERT', 'MODIFY'] }] }, false],
      [
        'anything-but prefix',
        { dynamodb: { Keys: { PK: { S: [{ 'anything-but': { prefix: 'TX#' } }] } } } },
        false,
      ],
      [
        'anything-but suffix',
        { dynamodb: { Keys: { PK: { S: [{ 'anything-but': { suffix: '#9' } }] } } } },
        true,
      ],
      [
        'anything-but on a missing field',
        { dynamodb: { NewImage: { nope: { S: [{ 'anything-but': 'x' }] } } } },
        false,
      ],
      [
        'exists: true on a present leaf',
        { dynamodb: { NewImage: { entity: { S: [{ exists: true }] } } } },
        true,
      ],
      [
        'exists: true on a missing leaf',
        { dynamodb: { NewImage: { nope: { S: [{ exists: true }] } } } },
        false,
      ],
      [
        'exists: true on an object (leaves only)',
        { dynamodb: { NewImage: { entity: [{ exists: true }] } } },
        false,
      ],
      ['exists: false on a missing field', { dynamodb: { NewImage: { nope: [{ exists: false }] } } }, true],
      // Lambda's gotcha, kept: no leaf sits at an object's own path, so this matches although it is there.
      ['exists: false on an object (leaves only)', { dynamodb: { NewImage: [{ exists: false }] } }, true],
      ['exists: false on a present leaf', { eventName: [{ exists: false }] }, false],
      ['a value under a missing parent', { dynamodb: { Missing: { S: ['x'] } } }, false],
      ['a value under a leaf', { eventName: { S: ['MODIFY'] } }, false],
      ['alternatives mixing values and operators', { eventName: ['INSERT', { prefix: 'MOD' }] }, true],
      ['an empty pattern', {}, true],
    ])('%s', (_, pattern, expected) => {
      expect(matchesFilter([pattern], event)).toBe(expected);
    });

    it('matches a record when ANY pattern does, and every record with no patterns', () => {
      const patterns = [
        { eventName: ['INSERT'] },
        { dynamodb: { Keys: { PK: { S: [{ prefix: 'TX#' }] } } } },
      ];

      expect(matchesFilter(patterns, event)).toBe(true);
      expect(matchesFilter([patterns[0]!], event)).toBe(false);
      expect(matchesFilter([], event)).toBe(true);
    });

    it('matches an array in the record when any element does', () => {
      const withList = { ...event, tags: ['a', 'b'], items: [{ kind: 'x' }, { kind: 'y' }] };

      expect(matchesFilter([{ tags: ['b'] }], withList)).toBe(true);
      expect(matchesFilter([{ tags: ['c'] }], withList)).toBe(false);
      expect(matchesFilter([{ items: { kind: ['y'] } }], withList)).toBe(true);
    });

    it('matches null only where the value is null', () => {
      expect(matchesFilter([{ value: [null] }], { value: null })).toBe(true);
      expect(matchesFilter([{ value: [null] }], {})).toBe(false);
      expect(matchesFilter([{ value: [null] }], { value: 'x' })).toBe(false);
    });
  });

  describe('validation (refused up front, as CreateEventSourceMapping does)', () => {
    it.each<[string, unknown]>([
      ['a leaf that is not a list', { eventName: 'INSERT' }],
      ['an empty list', { eventName: [] }],
      ['an unknown operator', { eventName: [{ 'starts-with': 'IN' }] }],
      ['an operator object with two keys', { eventName: [{ prefix: 'A', suffix: 'B' }] }],
      ['prefix of a number', { eventName: [{ prefix: 1 }] }],
      ['anything-but of an object with an unknown key', { eventName: [{ 'anything-but': { nope: 'x' } }] }],
      ['an empty anything-but list', { eventName: [{ 'anything-but': [] }] }],
      ['numeric with an odd list', { size: [{ numeric: ['>'] }] }],
      ['numeric with an unknown operator', { size: [{ numeric: ['!=', 1] }] }],
      ['exists with a non-boolean', { eventName: [{ exists: 'yes' }] }],
      ['$or (EventBridge only)', { $or: [{ eventName: ['INSERT'] }] }],
      ['a pattern that is not an object', ['INSERT']],
    ])('refuses %s', (_, pattern) => {
      expect(() => compileFilter([pattern as FilterPattern])).toThrow(FilterPatternError);
    });
  });
});
