/**
 * `npm run test:faults`: crowds, crashes, hostile input and outages against the built bot (dist/),
 * apart from `npm test` because they take minutes. One file at a time: each loads the 2-core
 * machine fully, and their figures (printed, and written to test-results/faults/) mean
 * something only when nothing else runs beside them.
 */
/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/tests/faults'],
  testMatch: ['**/*.test.ts'],
  transform: {
    '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json' }],
  },
  maxWorkers: 1,
  testTimeout: 180000,
};
