import type { ApolloServerPlugin } from '@apollo/server';
import { ApolloArmor } from '@escape.tech/graphql-armor';
import type { ValidationRule } from 'graphql';
import type { GatewayConfig } from './config.js';

/**
 * Refuses abusive documents before planning: depth, cost, aliases, directives and tokens
 * are bounded; field suggestions (schema leakage) are off when introspection is off.
 */
export function queryLimits(
  config: GatewayConfig,
  introspection: boolean,
): { plugins: ApolloServerPlugin[]; validationRules: ValidationRule[]; parseOptions: { maxTokens: number } } {
  const protection = new ApolloArmor({
    maxDepth: { n: config.MAX_QUERY_DEPTH, ignoreIntrospection: true, flattenFragments: true },
    costLimit: { maxCost: config.MAX_QUERY_COST, ignoreIntrospection: true, flattenFragments: true },
    maxAliases: { n: config.MAX_QUERY_ALIASES },
    maxDirectives: { n: 50 },
    // Armor's max-tokens plugin turns every syntax error into a 500 (graphql-armor #571, #751);
    // the token limit is graphql-js's own parse option instead (see parseOptions below).
    maxTokens: { enabled: false },
    blockFieldSuggestion: { enabled: !introspection },
  }).protect();
  // graphql-armor's typings name @apollo/server's CommonJS build while this code uses its ESM
  // build: the same plugin objects, two declarations of the types.
  return {
    plugins: protection.plugins as unknown as ApolloServerPlugin[],
    validationRules: protection.validationRules,
    parseOptions: { maxTokens: config.MAX_QUERY_TOKENS },
  };
}
