// The storefront's browser tests (test/**/*.browser.test.ts): Chromium driven by playwright-core
// against a running stack and a served storefront. `npm run test:web` (scripts/test-web.ts) starts
// both and runs this config; `npm test` never runs them (the workspace's `test` script runs the
// unit tests, jest.config.cjs, and the shared preset skips *.browser.test.ts).
const preset = require('../jest.preset.cjs');

/** @type {import('jest').Config} */
module.exports = {
  ...preset,
  rootDir: __dirname,
  testMatch: ['<rootDir>/test/**/*.browser.test.ts'],
  testPathIgnorePatterns: ['/node_modules/'],
  // One browser test file at a time: each drives Chromium and the one stack, on two cores.
  maxWorkers: 1,
  // A journey waits for a sale to open and an order to be paid: each wait has its own ceiling.
  testTimeout: 180_000,
  slowTestThreshold: 60,
};
