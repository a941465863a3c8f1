// Typed operations for the storefront (`npm run generate -w @radiata/web`, or `turbo run generate`):
// every graphql(`…`) document in src/ is validated against the API schema the gateway serves
// (schema/api.graphql, written by `npm run compose`) and typed in src/generated/graphql/
// (gitignored, like the Prisma clients).
import type { CodegenConfig } from '@graphql-codegen/cli';

const config: CodegenConfig = {
  schema: '../schema/api.graphql',
  documents: ['src/**/*.{ts,tsx}', '!src/generated/**'],
  ignoreNoDocuments: false,
  errorsOnly: true,
  generates: {
    'src/generated/graphql/': {
      preset: 'client',
      presetConfig: { fragmentMasking: false },
      config: {
        // The API's custom scalars: DateTime (an ISO-8601 instant) travels as a string, SafeInt as a number.
        scalars: { DateTime: 'string', SafeInt: 'number' },
        strictScalars: true,
        enumsAsTypes: true,
        useTypeImports: true,
        skipTypename: true,
      },
    },
  },
};

export default config;
