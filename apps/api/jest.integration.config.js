// Integration tests: real Postgres and Redis. One database and one Redis key prefix per run,
// created in globalSetup (migrations run once) and removed in globalTeardown.
module.exports = {
  ...require('../../jest.preset.js'),
  displayName: 'api-integration',
  rootDir: __dirname,
  testMatch: ['<rootDir>/src/**/*.integration-spec.ts'],
  globalSetup: '<rootDir>/src/test-support/global-setup.ts',
  globalTeardown: '<rootDir>/src/test-support/global-teardown.ts',
  testTimeout: 60000,
};
