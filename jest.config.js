/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/tests'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json' }] },
  setupFilesAfterEnv: ['<rootDir>/tests/setup/nock-teardown.ts'],
  testTimeout: 20000,
  // nock's interceptors stay on the global scope across files; jest's soft cleanup only warns about them.
  testEnvironmentOptions: { globalsCleanup: 'off' },
};
