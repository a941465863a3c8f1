import type { ApolloServerPlugin } from '@apollo/server';
import { DateTime, inputSanitationPlugin, SafeInt } from '@radiata/service-runtime';
import type { GraphQLScalarType } from 'graphql';

/**
 * The subgraphs' custom scalars, by which the gateway checks client input: the supergraph knows
 * them only by name, and would otherwise plan any literal (an object nested 30 deep in a
 * DateTime argument takes the query planner minutes) and forward any variable. Every custom
 * scalar of the supergraph must be here (test/input-sanitation.e2e.test.ts checks).
 */
export const CHECKED_SCALARS: readonly GraphQLScalarType[] = [DateTime, SafeInt];

/** Refuses malformed input (the text rule, the scalars above) as BAD_USER_INPUT before planning. */
export const gatewayInputRules = (): ApolloServerPlugin => inputSanitationPlugin({ scalars: CHECKED_SCALARS });
