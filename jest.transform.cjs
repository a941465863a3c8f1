// @swc/jest, plus one rewrite: Jest runs modules as CommonJS, where `import.meta` does not
// exist. Sources (and the generated Prisma client) use `import.meta.url` to locate files.
const { createTransformer } = require('@swc/jest');

const swc = createTransformer({
  // type-graphql's decorators are legacy ones (experimentalDecorators). No decorator metadata, as
  // under tsx (esbuild) and tsc (tsconfig.base.json): every @Field and @Arg names its type, and a
  // missing one fails here as it would in `npm run dev`.
  jsc: {
    parser: { syntax: 'typescript', decorators: true },
    transform: { legacyDecorator: true, decoratorMetadata: false },
    target: 'es2022',
  },
  module: { type: 'commonjs' },
});

const IMPORT_META_URL = /\bimport\.meta\.url\b/g;

module.exports = {
  ...swc,
  process(source, path, options) {
    const rewritten = source.replace(IMPORT_META_URL, "require('node:url').pathToFileURL(__filename).href");
    return swc.process(rewritten, path, options);
  },
  getCacheKey(source, path, options) {
    return swc.getCacheKey(source.replace(IMPORT_META_URL, 'IMPORT_META_URL'), path, options);
  },
};
