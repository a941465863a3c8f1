import { GraphQLError, GraphQLScalarType, Kind } from 'graphql';

const toSafeInt = (value: unknown): number => {
  const number = typeof value === 'bigint' ? Number(value) : value;
  if (typeof number !== 'number' || !Number.isSafeInteger(number)) {
    throw new GraphQLError('SafeInt must be a whole number between -(2^53 - 1) and 2^53 - 1');
  }
  return number;
};

/** Whole won beyond GraphQL's 32-bit Int: a brand's week of sales may pass 2^31. */
export const SafeInt = new GraphQLScalarType({
  name: 'SafeInt',
  description: 'A whole number up to ±(2^53 − 1), exact in JSON and JavaScript (sums of won beyond Int).',
  serialize: toSafeInt,
  parseValue: toSafeInt,
  parseLiteral(ast) {
    if (ast.kind !== Kind.INT) throw new GraphQLError('SafeInt must be a whole number');
    return toSafeInt(Number(ast.value));
  },
});
