// One Jest preset for every workspace: SWC transpiles TypeScript (sources and workspace
// packages, which resolve to their src/ through the "radiata-source" export condition).
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
  testTimeout: 30000,
};
