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
        contextType: '../context.js#CatalogContext',
        mappers: {
          Brand: '../domain/brands.js#BrandRecord',
          Category: '../domain/categories.js#CategoryRecord',
          Product: '../domain/products.js#ProductRecord',
          User: '../domain/brands.js#UserReference',
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
