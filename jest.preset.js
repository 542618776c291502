// Shared jest settings: SWC compiles TypeScript (with Nest's decorator metadata)
// and workspace libs resolve to their sources, so tests never need a prior build.
const path = require('node:path');
const root = __dirname;
module.exports = {
  testEnvironment: 'node',
  transform: {
    '^.+\\.(t|j)sx?$': [
      require.resolve('@swc/jest'),
      {
        jsc: {
          parser: { syntax: 'typescript', decorators: true, tsx: true },
          transform: { legacyDecorator: true, decoratorMetadata: true },
          target: 'es2022',
        },
        module: { type: 'commonjs' },
      },
    ],
  },
  moduleNameMapper: {
    '^@frontdesk/(contracts|domain|db)$': path.join(root, 'libs/$1/src/index.ts'),
    '^@frontdesk/db/testing$': path.join(root, 'libs/db/testing/index.ts'),
  },
  moduleFileExtensions: ['ts', 'tsx', 'js', 'json'],
};
