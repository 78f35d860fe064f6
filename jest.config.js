/** Tests are TypeScript, compiled by ts-jest; a few spawn the built binary (npm test builds first). */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/__tests__'],
  testMatch: ['**/*.test.ts'],
  transform: {
    '^.+\\.ts$': ['ts-jest', { tsconfig: { strict: true, esModuleInterop: true, isolatedModules: true, types: ['node', 'jest'] } }],
  },
};
