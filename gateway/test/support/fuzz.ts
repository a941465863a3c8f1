import {
  type GraphQLArgument,
  type GraphQLField,
  type GraphQLInputType,
  getNamedType,
  isCompositeType,
  isEnumType,
  isInputObjectType,
  isListType,
  isNonNullType,
  isScalarType,
} from 'graphql';

export class Dice {
  constructor(private readonly random: () => number) {}
  chance(p: number): boolean {
    return this.random() < p;
  }
  int(min: number, max: number): number {
    return min + Math.floor(this.random() * (max - min + 1));
  }
  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.random() * items.length)] as T;
  }
}

/** Ids of rows that exist, so generated input also reaches authorization and domain rules. */
export interface KnownIds {
  readonly ids: readonly string[];
}

const nested = (depth: number): unknown => (depth === 0 ? 'deep' : { a: [nested(depth - 1)] });
const nestedList = (depth: number): unknown => (depth === 0 ? 1 : [nestedList(depth - 1)]);

const ABUSIVE_TEXT = [
  '',
  ' ',
  'a\u0000b',
  '\u0000',
  'bell\u0007',
  'esc\u001b[31mred',
  'del\u007f',
  'lone \ud800 surrogate',
  'tail \udfff',
  "' OR 1=1 --",
  '%_\\',
  '"; DROP TABLE users; --',
  '{"$gt": ""}',
  '../../etc/passwd',
  '<script>alert(1)</script>',
  '한글 😀 ünïcödé',
  'tab\tnew\nline\r',
  'x'.repeat(300),
  'y'.repeat(10_000),
  'z'.repeat(100_000),
];

const ABUSIVE_DATES = [
  'not-a-date',
  '2026-11-27',
  '2026-02-30T00:00:00Z',
  '+275761-09-13T00:00:00Z',
  '0000-01-01T00:00:00Z',
  '1969-12-31T23:59:59Z',
  '9999-12-31T23:59:59.999Z',
  '1970-01-01T00:00:00Z',
  '2026-13-01T00:00:00Z',
  '2026-11-27T25:00:00Z',
  '2026-11-27T00:00:00',
  '2026-11-27T00:00:00.123456789+14:00',
  '2026-11-27t00:00:00z',
  '',
  'a\u0000b',
];

const ABUSIVE_NUMBERS = [0, -1, 1, 2_147_483_647, 2_147_483_648, -2_147_483_649, 1.5, -0.5, 1e308, -1e308, 10_000_001];

/**
 * Malformed and abusive values for a GraphQL input type (and sometimes well-formed ones, so the
 * input gets past the first check): wrong types, null for non-null, huge, negative and fractional
 * numbers, control characters, very long strings, malformed ids and instants, unknown enum
 * values, deeply nested and empty objects.
 */
export class ValueGenerator {
  constructor(
    private readonly dice: Dice,
    private readonly known: KnownIds,
  ) {}

  /** A value of any JSON type: what a confused or hostile client sends where `type` is due. */
  wrong(): unknown {
    const { dice } = this;
    return dice.pick<() => unknown>([
      () => null,
      () => dice.pick(ABUSIVE_NUMBERS),
      () => dice.pick([true, false]),
      () => dice.pick(ABUSIVE_TEXT),
      () => [],
      () => ({}),
      () => ({ bogus: 1 }),
      () => nested(dice.int(5, 60)),
      () => nestedList(dice.int(5, 60)),
      () => Array.from({ length: dice.int(50, 500) }, () => 'x'),
    ])();
  }

  /**
   * A value for `type` where each part is abusive with probability `abuse` (0: well-formed
   * values that reach the domain rules; 1: nothing but abuse).
   */
  value(type: GraphQLInputType, abuse: number): unknown {
    const { dice } = this;
    if (isNonNullType(type)) return dice.chance(abuse * 0.2) ? null : this.value(type.ofType, abuse);
    if (dice.chance(abuse * 0.2)) return this.wrong();
    if (dice.chance(abuse * 0.1)) return null;
    if (isListType(type)) {
      if (dice.chance(abuse * 0.3)) return this.value(type.ofType, abuse); // a single value for a list
      const length = dice.chance(abuse * 0.1) ? dice.int(100, 300) : dice.int(0, 3);
      return Array.from({ length }, () => this.value(type.ofType, abuse));
    }
    if (isInputObjectType(type)) {
      if (dice.chance(abuse * 0.2)) return {};
      const object: Record<string, unknown> = {};
      for (const [name, field] of Object.entries(type.getFields())) {
        if (isNonNullType(field.type) || dice.chance(0.6)) object[name] = this.value(field.type, abuse);
      }
      if (dice.chance(abuse * 0.1)) object.unknownField = 'x';
      return object;
    }
    const abusive = dice.chance(abuse);
    if (isEnumType(type)) {
      const values = type.getValues().map((value) => value.name);
      return abusive ? dice.pick(['BOGUS', values[0]?.toLowerCase() ?? 'x', 1, '']) : dice.pick(values);
    }
    if (!isScalarType(type)) return this.wrong();
    switch (type.name) {
      case 'Int':
        return abusive ? dice.pick(ABUSIVE_NUMBERS) : dice.int(-5, 50);
      case 'Float':
        return abusive ? dice.pick(ABUSIVE_NUMBERS) : dice.int(0, 1000) / 7;
      case 'Boolean':
        return abusive ? dice.pick(['true', 1, 0]) : dice.chance(0.5);
      case 'ID':
        return abusive
          ? dice.pick(['not-a-uuid', '00000000-0000-0000-0000-000000000000', '1', -1, 12345, ...ABUSIVE_TEXT])
          : dice.pick(this.known.ids);
      case 'DateTime':
        return abusive
          ? dice.pick<unknown>([...ABUSIVE_DATES, 0, 1_700_000_000_000])
          : new Date(Date.now() + dice.int(-48, 48) * 3_600_000).toISOString();
      default:
        // A valid password, but not the callers' own (TEST_PASSWORD): a fuzzed deleteAccount
        // or changePassword must not end a caller's account mid-run.
        return abusive
          ? dice.pick(ABUSIVE_TEXT)
          : dice.pick([`fuzz.${dice.int(0, 1e6)}@example.com`, `Fuzz ${dice.int(0, 1e6)}`, 'battery staple 7']);
    }
  }
}

const NAME = /^[_A-Za-z][_0-9A-Za-z]*$/;

/** `value` as a GraphQL literal (for the inline-argument variant of a case). */
export function literal(value: unknown, type: GraphQLInputType): string {
  const named = getNamedType(type);
  if (value === null || value === undefined) return 'null';
  if (Array.isArray(value)) {
    const item = isNonNullType(type) ? type.ofType : type;
    return `[${value.map((v) => literal(v, isListType(item) ? item.ofType : item)).join(', ')}]`;
  }
  if (typeof value === 'object') {
    const fields = isInputObjectType(named) ? named.getFields() : {};
    return `{${Object.entries(value as Record<string, unknown>)
      .map(([key, v]) => `${key}: ${literal(v, fields[key]?.type ?? named)}`)
      .join(', ')}}`;
  }
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : 'null';
  if (typeof value === 'boolean') return String(value);
  if (isEnumType(named) && typeof value === 'string' && NAME.test(value)) return value;
  return JSON.stringify(value);
}

export interface FuzzOperation {
  readonly query: string;
  readonly variables: Record<string, unknown>;
}

/** One operation on a root field: its arguments as variables or, in turn, as inline literals. */
export function operationFor(
  kind: 'query' | 'mutation' | 'subscription',
  field: GraphQLField<unknown, unknown>,
  generator: ValueGenerator,
  dice: Dice,
): FuzzOperation {
  const selection = isCompositeType(getNamedType(field.type)) ? ' { __typename }' : '';
  // From well-formed input that reaches the domain rules to nothing but abuse.
  const abuse = dice.pick([0, 0.05, 0.2, 0.6]);
  const args = field.args.filter((arg: GraphQLArgument) => isNonNullType(arg.type) || dice.chance(0.7));
  const values = Object.fromEntries(args.map((arg) => [arg.name, generator.value(arg.type, abuse)]));
  if (args.length === 0) return { query: `${kind} Fuzz { ${field.name}${selection} }`, variables: {} };
  if (dice.chance(0.3)) {
    const inline = args.map((arg) => `${arg.name}: ${literal(values[arg.name], arg.type)}`).join(', ');
    return { query: `${kind} Fuzz { ${field.name}(${inline})${selection} }`, variables: {} };
  }
  const definitions = args.map((arg) => `$${arg.name}: ${String(arg.type)}`).join(', ');
  const uses = args.map((arg) => `${arg.name}: $${arg.name}`).join(', ');
  return {
    query: `${kind} Fuzz(${definitions}) { ${field.name}(${uses})${selection} }`,
    variables: dice.chance(0.03) ? { ...values, undeclared: 'x' } : values,
  };
}
