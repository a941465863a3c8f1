// One Jest preset for every workspace: SWC transpiles TypeScript (sources and workspace
// packages, which resolve to their src/ through the "radiata-source" export condition).
// Coverage (`jest --coverage`; `npm run test:coverage` runs it in every workspace and merges the
// results): the src/ of every workspace but @radiata/testing (test support), whichever workspace's
// tests load it (jest.transform.cjs instruments files outside the workspace too). Jest matches
// collectCoverageFrom relative to the workspace and its globs cannot exclude `../` paths, so the
// exclusions are regular expressions on the absolute path. Files of the workspace's own src/ that
// no test loads count as uncovered.
const escaped = __dirname.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const coveredSources = `${escaped}/(gateway|packages/(?!testing/)[^/]+|subgraphs/[^/]+)/src/`;
// `npm run test` and `npm run test:saga` of one workspace report into their own directories.
// biome-ignore lint/suspicious/noUndeclaredEnvVars: npm sets it for the script it runs, inside the task.
const npmTask = process.env.npm_lifecycle_event;

/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  // type-graphql's decorators need the Reflect metadata API before any schema class is defined.
  setupFiles: [require.resolve('reflect-metadata')],
  testEnvironmentOptions: { customExportConditions: ['radiata-source', 'node', 'require', 'default'] },
  transform: { '^.+\\.(t|j|mj)s$': require.resolve('./jest.transform.cjs') },
  // ESM-only dependencies are transpiled too, so Jest's CommonJS runtime can load them.
  transformIgnorePatterns: ['/node_modules/(?!(jose|uuid|@prisma/client/runtime)/)'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  testMatch: ['<rootDir>/test/**/*.test.ts', '<rootDir>/src/**/*.test.ts'],
  // Browser tests need a running stack and Chromium: `npm run test:web` runs them (web/jest.browser.config.cjs).
  testPathIgnorePatterns: ['/node_modules/', '\\.browser\\.test\\.ts$'],
  testTimeout: 30000,
  collectCoverageFrom: [
    'src/**/*.ts',
    '../*/src/**/*.ts',
    '../*/*/src/**/*.ts',
    '../../*/src/**/*.ts',
    '../../*/*/src/**/*.ts',
  ],
  coveragePathIgnorePatterns: [
    `^(?!${coveredSources})`,
    '/src/generated/',
    '\\.test\\.ts$',
    '\\.d\\.ts$',
    '/node_modules/',
  ],
  coverageDirectory: npmTask?.startsWith('test')
    ? `<rootDir>/coverage/${npmTask.replace(':', '-')}`
    : '<rootDir>/coverage',
};
