/*
 * Lambda event filtering (FilterCriteria) for the local stream poller: a pure matcher, validated up front
 * the way CreateEventSourceMapping rejects a bad pattern. Semantics are those of Lambda/EventBridge for the
 * operators we support:
 *
 * - every field of a pattern must match (AND); nested objects descend into the record;
 * - a leaf is an array of alternatives (OR): exact strings/numbers/null, or one-key operator objects
 *   `prefix`, `suffix`, `equals-ignore-case`, `wildcard`, `anything-but` (a value, a list, or `{prefix}`,
 *   `{suffix}`, `{equals-ignore-case}`, `{wildcard}`), `numeric`, `exists`;
 * - values are compared with their JSON type: `"1"` never equals `1` (a DynamoDB N is a string);
 * - arrays in the record match when any element does;
 * - `exists` (like every matcher) looks at leaf values only: `{exists: true}` on an object is no match;
 * - every matcher except `{exists: false}` needs the field to be present (`anything-but` included);
 * - a record is delivered when ANY pattern matches; no patterns at all delivers everything.
 */

export type FilterPattern = Readonly<Record<string, unknown>>;

export class FilterPatternError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FilterPatternError';
  }
}

type Scalar = string | number | null;
/** One alternative of a leaf, applied to ONE leaf value of the record. */
type ValueTest = (value: unknown) => boolean;

type Node =
  | { kind: 'fields'; fields: readonly (readonly [string, Node])[] }
  | { kind: 'leaf'; tests: readonly ValueTest[]; exists?: boolean };

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const isScalar = (value: unknown): value is Scalar =>
  value === null || typeof value === 'string' || (typeof value === 'number' && Number.isFinite(value));

const wildcardRegExp = (pattern: string, path: string): RegExp => {
  if (pattern.includes('**')) throw new FilterPatternError(`${path}: wildcard with consecutive '*'`);
  const source = pattern
    .split('*')
    .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*');
  return new RegExp(`^${source}$`, 's');
};

const stringOperand = (operator: string, operand: unknown, path: string): string => {
  if (typeof operand !== 'string') throw new FilterPatternError(`${path}: ${operator} needs a string`);
  return operand;
};

/** String tests usable both on their own and inside `anything-but`. */
const stringTest = (operator: string, operand: unknown, path: string): ValueTest | undefined => {
  switch (operator) {
    case 'prefix': {
      if (isPlainObject(operand) && Object.keys(operand).length === 1 && 'equals-ignore-case' in operand) {
        const prefix = stringOperand('prefix', operand['equals-ignore-case'], path).toLowerCase();
        return (value) => typeof value === 'string' && value.toLowerCase().startsWith(prefix);
      }
      const prefix = stringOperand(operator, operand, path);
      return (value) => typeof value === 'string' && value.startsWith(prefix);
    }
    case 'suffix': {
      if (isPlainObject(operand) && Object.keys(operand).length === 1 && 'equals-ignore-case' in operand) {
        const suffix = stringOperand('suffix', operand['equals-ignore-case'], path).toLowerCase();
        return (value) => typeof value === 'string' && value.toLowerCase().endsWith(suffix);
      }
      const suffix = stringOperand(operator, operand, path);
      return (value) => typeof value === 'string' && value.endsWith(suffix);
    }
    case 'equals-ignore-case': {
      const expected = stringOperand(operator, operand, path).toLowerCase();
      return (value) => typeof value === 'string' && value.toLowerCase() === expected;
    }
    case 'wildcard': {
      const regExp = wildcardRegExp(stringOperand(operator, operand, path), path);
      return (value) => typeof value === 'string' && regExp.test(value);
    }
    default:
      return undefined;
  }
};

const NUMERIC_OPERATORS: Record<string, (value: number, bound: number) => boolean> = {
  '=': (value, bound) => value === bound,
  '<': (value, bound) => value < bound,
  '<=': (value, bound) => value <= bound,
  '>': (value, bound) => value > bound,
  '>=': (value, bound) => value >= bound,
};

const numericTest = (operand: unknown, path: string): ValueTest => {
  if (!Array.isArray(operand) || operand.length === 0 || operand.length % 2 !== 0 || operand.length > 4) {
    throw new FilterPatternError(`${path}: numeric needs one or two [operator, number] pairs`);
  }
  const checks: ((value: number) => boolean)[] = [];
  for (let index = 0; index < operand.length; index += 2) {
    const operator = operand[index] as unknown;
    const bound = operand[index + 1] as unknown;
    const compare = typeof operator === 'string' ? NUMERIC_OPERATORS[operator] : undefined;
    if (!compare || typeof bound !== 'number' || !Number.isFinite(bound)) {
      throw new FilterPatternError(
        `${path}: numeric has an invalid pair ${JSON.stringify([operator, bound])}`,
      );
    }
    checks.push((value) => compare(value, bound));
  }
  return (value) => typeof value === 'number' && checks.every((check) => check(value));
};

const anythingButTest = (operand: unknown, path: string): ValueTest => {
  if (isPlainObject(operand)) {
    const entries = Object.entries(operand);
    const [operator, inner] = entries[0] ?? [];
    const test = entries.length === 1 && operator ? stringTest(operator, inner, path) : undefined;
    if (!test) {
      throw new FilterPatternError(
        `${path}: anything-but takes a value, a list, or one of {prefix}, {suffix}, {equals-ignore-case}, {wildcard}`,
      );
    }
    // Like `prefix` itself, the string forms only ever match strings.
    return (value) => typeof value === 'string' && !test(value);
  }
  const excluded = Array.isArray(operand) ? operand : [operand];
  if (
    excluded.length === 0 ||
    !excluded.every((value) => typeof value === 'string' || typeof value === 'number')
  ) {
    throw new FilterPatternError(`${path}: anything-but values must be strings or numbers`);
  }
  return (value) => (typeof value === 'string' || typeof value === 'number') && !excluded.includes(value);
};

const compileLeaf = (alternatives: readonly unknown[], path: string): Node => {
  if (alternatives.length === 0) throw new FilterPatternError(`${path}: empty list of values`);
  const tests: ValueTest[] = [];
  let exists: boolean | undefined;
  for (const alternative of alternatives) {
    if (isScalar(alternative)) {
      tests.push((value) => value === alternative);
      continue;
    }
    if (!isPlainObject(alternative)) {
      throw new FilterPatternError(
        `${path}: ${JSON.stringify(alternative)} is neither a value nor an operator`,
      );
    }
    const entries = Object.entries(alternative);
    const [operator, operand] = entries[0] ?? [];
    if (entries.length !== 1 || operator === undefined) {
      throw new FilterPatternError(`${path}: an operator object has exactly one key`);
    }
    if (operator === 'exists') {
      if (typeof operand !== 'boolean') throw new FilterPatternError(`${path}: exists takes true or false`);
      if (alternatives.length > 1) throw new FilterPatternError(`${path}: exists cannot be combined`);
      exists = operand;
      continue;
    }
    const test =
      operator === 'anything-but'
        ? anythingButTest(operand, path)
        : operator === 'numeric'
          ? numericTest(operand, path)
          : stringTest(operator, operand, path);
    if (!test) throw new FilterPatternError(`${path}: unsupported operator "${operator}"`);
    tests.push(test);
  }
  return { kind: 'leaf', tests, exists };
};

const compileNode = (pattern: unknown, path: string): Node => {
  if (Array.isArray(pattern)) return compileLeaf(pattern, path);
  if (!isPlainObject(pattern)) {
    throw new FilterPatternError(
      `${path || 'pattern'}: a leaf must be a list of values, e.g. ${JSON.stringify([pattern])}`,
    );
  }
  return {
    kind: 'fields',
    fields: Object.entries(pattern).map(([key, child]) => {
      if (key.startsWith('$'))
        throw new FilterPatternError(`${path}${key}: "${key}" is not supported by Lambda`);
      return [key, compileNode(child, path ? `${path}.${key}` : key)] as const;
    }),
  };
};

/** The record values at one step down: arrays are flattened, as EventBridge does. */
const flatten = (values: readonly unknown[]): unknown[] =>
  values.flatMap((value) => (Array.isArray(value) ? flatten(value) : [value]));

const matchNode = (node: Node, candidates: readonly unknown[]): boolean => {
  if (node.kind === 'fields') {
    const objects = flatten(candidates).filter(isPlainObject);
    return node.fields.every(([key, child]) =>
      matchNode(
        child,
        objects.filter((object) => Object.hasOwn(object, key)).map((object) => object[key]),
      ),
    );
  }
  // Leaf values only: an object where a value is expected counts as absent.
  const leaves = flatten(candidates).filter((value) => !isPlainObject(value));
  if (node.exists !== undefined) return node.exists ? leaves.length > 0 : leaves.length === 0;
  return leaves.some((value) => node.tests.some((test) => test(value)));
};

export interface CompiledFilter {
  readonly patterns: readonly FilterPattern[];
  /** True when the record should be delivered (any pattern matches, or there are no patterns). */
  matches(record: unknown): boolean;
}

/** Validates and compiles a FilterCriteria list; throws FilterPatternError on an invalid pattern. */
export const compileFilter = (patterns: readonly FilterPattern[]): CompiledFilter => {
  const compiled = patterns.map((pattern, index) => {
    if (!isPlainObject(pattern)) throw new FilterPatternError(`pattern ${index + 1}: must be an object`);
    return compileNode(pattern, '');
  });
  return {
    patterns,
    matches: (record) => compiled.length === 0 || compiled.some((node) => matchNode(node, [record])),
  };
};

/** Shorthand for one-off checks (tests, tools). */
export const matchesFilter = (patterns: readonly FilterPattern[], record: unknown): boolean =>
  compileFilter(patterns).matches(record);

const describeAlternative = (alternative: unknown): string => {
  if (!isPlainObject(alternative)) return JSON.stringify(alternative);
  const [operator, operand] = Object.entries(alternative)[0] ?? [];
  if (operator === 'exists') return operand ? 'exists' : 'absent';
  if (operator === 'anything-but') {
    return `anything-but ${Array.isArray(operand) || !isPlainObject(operand) ? JSON.stringify(operand) : describeAlternative(operand)}`;
  }
  return `${operator} ${JSON.stringify(operand)}`;
};

const describeNode = (pattern: unknown, path: string): string[] => {
  if (Array.isArray(pattern)) {
    const plain = pattern.every(isScalar);
    const alternatives = pattern.map((alternative) =>
      typeof alternative === 'string' && /^[\w#:.@/-]+$/.test(alternative)
        ? alternative
        : describeAlternative(alternative),
    );
    return [`${path}${plain ? '=' : ' '}${alternatives.join(plain ? '|' : ' or ')}`];
  }
  if (!isPlainObject(pattern)) return [`${path}?`];
  return Object.entries(pattern).flatMap(([key, child]) =>
    describeNode(child, path ? `${path}.${key}` : key),
  );
};

/** One readable line per consumer for the start-up table, e.g. `eventName=INSERT & dynamodb.NewImage.entity.S=Transaction`. */
export const describeFilter = (patterns: readonly FilterPattern[]): string =>
  patterns.length === 0
    ? 'every record'
    : patterns.map((pattern) => describeNode(pattern, '').join(' & ') || 'every record').join('  OR  ');
