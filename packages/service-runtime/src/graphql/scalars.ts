import { GraphQLError, GraphQLScalarType, Kind, type ValueNode } from 'graphql';
import { DateTimeResolver } from 'graphql-scalars';
import { isoInstant } from './iso-instant.js';

/**
 * The instants a client may send: from the Unix epoch to the last millisecond of year 9999.
 * Nothing in the domain predates 1970, PostgreSQL's timestamptz and JS Dates hold the whole
 * range, and it keeps year 0000, six-digit years and the like away from the database.
 */
export const DATE_TIME_RANGE = {
  min: new Date('1970-01-01T00:00:00.000Z'),
  max: new Date('9999-12-31T23:59:59.999Z'),
} as const;

const DATE_TIME_EXPECTED =
  'must be an RFC 3339 date-time with a time zone (e.g. 2026-11-25T03:00:00Z), between 1970-01-01T00:00:00Z and 9999-12-31T23:59:59.999Z';

const base = DateTimeResolver.toConfig();

/** graphql-scalars' RFC 3339 check (real calendar days included), then the range; never echoes the value. */
function parseInstant(value: unknown, node?: ValueNode): Date {
  let parsed: unknown;
  try {
    parsed = typeof value === 'string' ? base.parseValue?.(value) : undefined;
  } catch {
    parsed = undefined;
  }
  const time = parsed instanceof Date ? parsed.getTime() : Number.NaN;
  if (!(time >= DATE_TIME_RANGE.min.getTime() && time <= DATE_TIME_RANGE.max.getTime())) {
    throw new GraphQLError(`DateTime ${DATE_TIME_EXPECTED}`, node ? { nodes: node } : {});
  }
  return parsed as Date;
}

/**
 * graphql-scalars' DateTime (RFC 3339 strings in, `Date` out), bounded to DATE_TIME_RANGE on
 * input, with the description every subgraph shares. The gateway checks client input with the
 * same parse functions (see gatewayInputRules in @radiata/service-runtime).
 */
export const DateTime = new GraphQLScalarType({
  ...base,
  description: 'An instant in time, ISO-8601 in UTC (e.g. 2026-11-25T03:00:00.000Z).',
  // graphql-scalars returns the Date itself (JSON.stringify then calls toISOString): the same text, sooner.
  serialize: (value) => {
    const serialized = base.serialize(value);
    return serialized instanceof Date ? isoInstant(serialized) : serialized;
  },
  parseValue: (value) => parseInstant(value),
  parseLiteral: (node) => parseInstant(node.kind === Kind.STRING ? node.value : undefined, node),
});

const toSafeInt = (value: unknown, node?: ValueNode): number => {
  const number = typeof value === 'bigint' ? Number(value) : value;
  if (typeof number !== 'number' || !Number.isSafeInteger(number)) {
    throw new GraphQLError(
      'SafeInt must be a whole number between -(2^53 - 1) and 2^53 - 1',
      node ? { nodes: node } : {},
    );
  }
  return number;
};

/** Whole numbers beyond GraphQL's 32-bit Int, exact in JSON and JavaScript: sums of won (a brand's week of sales may pass 2^31). */
export const SafeInt = new GraphQLScalarType({
  name: 'SafeInt',
  description: 'A whole number up to ±(2^53 − 1), exact in JSON and JavaScript (sums of won beyond Int).',
  serialize: (value) => toSafeInt(value),
  parseValue: (value) => toSafeInt(value),
  parseLiteral(ast) {
    return toSafeInt(ast.kind === Kind.INT ? Number(ast.value) : undefined, ast);
  },
});
