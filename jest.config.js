/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  // Integration tests drive a real stack on a shared 2-core machine: generous, so load is not a failure.
  testTimeout: 30_000,
  // middy 6 ships ESM only: let swc transform it (and any other ESM dependency) to CommonJS.
  transform: { '^.+\\.(t|j|mj)s$': ['@swc/jest'] },
  transformIgnorePatterns: ['/node_modules/(?!(@middy|jose)/)'],
  moduleNameMapper: {
    '^@(contract|kit|domain|adapters|services|openapi)/(.*)$': '<rootDir>/src/$1/$2',
    '^@functions/(.*)$': '<rootDir>/functions/$1',
    '^@lib/(.*)$': '<rootDir>/lib/$1',
    '^@local/(.*)$': '<rootDir>/local/$1',
    '^@test/(.*)$': '<rootDir>/test/support/$1',
  },
  setupFiles: ['<rootDir>/test/support/unit-env.ts'],
  setupFilesAfterEnv: ['aws-sdk-client-mock-jest'],
  collectCoverageFrom: ['src/**/*.ts', 'functions/**/*.ts'],
};
