// Unit specs for the client's pure logic (queue sync, event folding, announcer text).
const path = require('node:path');
const preset = require('../../jest.preset.js');
module.exports = {
  ...preset,
  displayName: 'web',
  rootDir: __dirname,
  testMatch: ['<rootDir>/src/**/*.spec.ts'],
  moduleNameMapper: {
    ...preset.moduleNameMapper,
    '^@frontdesk/ui$': path.join(__dirname, '../../libs/ui/src/index.ts'),
  },
};
