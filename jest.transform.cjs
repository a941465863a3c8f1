// @swc/jest, plus one rewrite: Jest runs modules as CommonJS, where `import.meta` does not
// exist. Sources (and the generated Prisma client) use `import.meta.url` to locate files.
const { transformSync } = require('@babel/core');
const istanbul = require('babel-plugin-istanbul');
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
  // Under --coverage this instruments what Jest asks it to (the same babel-plugin-istanbul pass as
  // Jest's own), but with the repository as istanbul's cwd: Jest's instrumenter skips every file
  // outside the workspace, so the packages a workspace's tests load would go uncounted.
  canInstrument: true,
  process(source, path, options) {
    const rewritten = source.replace(IMPORT_META_URL, "require('node:url').pathToFileURL(__filename).href");
    const compiled = swc.process(rewritten, path, options);
    return options.instrument ? instrument(compiled.code, path, options) : compiled;
  },
  getCacheKey(source, path, options) {
    const key = swc.getCacheKey(source.replace(IMPORT_META_URL, 'IMPORT_META_URL'), path, options);
    return options.instrument ? `${key}:istanbul@${__dirname}` : key;
  },
};

/** Istanbul counters in SWC's output; its inline source map leads the report back to the TypeScript. */
function instrument(code, path, options) {
  const result = transformSync(code, {
    auxiliaryCommentBefore: ' istanbul ignore next ',
    babelrc: false,
    configFile: false,
    filename: path,
    caller: { name: '@jest/transform', supportsDynamicImport: options.supportsDynamicImport },
    plugins: [[istanbul, { compact: false, cwd: __dirname, exclude: [], extension: false }]],
    sourceMaps: 'both',
  });
  return { code: result.code, map: result.map };
}
