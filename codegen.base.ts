import type { CodegenConfig } from '@graphql-codegen/cli';

/**
 * The graphql-codegen setup every subgraph shares: resolver types generated from
 * src/schema.graphql into src/generated/graphql.ts (committed; `npm run codegen`), with the
 * subgraph's context type and its mappers from GraphQL types to domain records.
 */
export function subgraphCodegen(contextType: string, mappers: Record<string, string>): CodegenConfig {
  return {
    schema: 'src/schema.graphql',
    generates: {
      'src/generated/graphql.ts': {
        plugins: ['typescript', 'typescript-resolvers'],
        config: {
          federation: true,
          useIndexSignature: true,
          contextType,
          mappers,
          scalars: { DateTime: 'Date' },
          enumsAsTypes: true,
          useTypeImports: true,
          avoidOptionals: { field: true, inputValue: false, object: false, defaultValue: false },
          maybeValue: 'T | null',
          inputMaybeValue: 'T | null | undefined',
        },
      },
    },
  };
}
