// Integration tests: real Postgres and Redis. One database and one Redis key prefix per run,
// created in globalSetup (migrations run once) and removed in globalTeardown.
module.exports = {
  ...require('../../jest.preset.js'),
  displayName: 'api-integration',
  rootDir: __dirname,
  testMatch: ['<rootDir>/src/**/*.integration-spec.ts'],
  globalSetup: '<rootDir>/../../libs/db/testing/global-setup.ts',
  globalTeardown: '<rootDir>/../../libs/db/testing/global-teardown.ts',
  setupFilesAfterEnv: ['<rootDir>/../../libs/db/testing/setup-timeout.ts'],
};
