// End-to-end: the built API and worker run as real processes; tests talk HTTP and Socket.IO to them.
module.exports = {
  ...require('../../jest.preset.js'),
  displayName: 'e2e',
  rootDir: __dirname,
  testMatch: ['<rootDir>/**/*.e2e-spec.ts'],
  setupFilesAfterEnv: ['<rootDir>/../../libs/db/testing/setup-timeout.ts'],
};
