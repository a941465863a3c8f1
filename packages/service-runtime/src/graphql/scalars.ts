import { GraphQLScalarType } from 'graphql';
import { DateTimeResolver } from 'graphql-scalars';

/** graphql-scalars' DateTime (RFC 3339 strings in, `Date` out), with the description every subgraph shares. */
export const DateTime = new GraphQLScalarType({
  ...DateTimeResolver.toConfig(),
  description: 'An instant in time, ISO-8601 in UTC (e.g. 2026-11-25T03:00:00.000Z).',
});
