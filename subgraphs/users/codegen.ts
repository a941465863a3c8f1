import type { CodegenConfig } from '@graphql-codegen/cli';

// Resolver types generated from src/schema.graphql (committed; regenerate with `npm run codegen`).
const config: CodegenConfig = {
  schema: 'src/schema.graphql',
  generates: {
    'src/generated/graphql.ts': {
      plugins: ['typescript', 'typescript-resolvers'],
      config: {
        federation: true,
        useIndexSignature: true,
        contextType: '../context.js#UsersContext',
        mappers: {
          User: '../domain/users.js#UserRecord',
          PointAccount: '../domain/points.js#PointAccountRecord',
          PointEntry: '../domain/points.js#PointEntryRecord',
          AuthPayload: '../domain/sessions.js#Session',
        },
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
export default config;
