// Browser tests: the built product on real processes, driven in Debian's Chromium by playwright-core.
module.exports = {
  ...require('../../jest.preset.js'),
  displayName: 'browser',
  rootDir: __dirname,
  testMatch: ['<rootDir>/**/*.browser-spec.ts'],
  setupFilesAfterEnv: ['<rootDir>/../../libs/db/testing/setup-timeout.ts'],
};
