/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/tests'],
  testMatch: ['**/*.test.ts'],
  // Crowds, crashes and outages take minutes and the whole machine: `npm run test:faults` runs them.
  testPathIgnorePatterns: ['/node_modules/', '<rootDir>/tests/faults/'],
  transform: {
    '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json' }],
  },
  // Several tests start real servers and child processes; two workers fit the 2-core machines.
  maxWorkers: 2,
  testTimeout: 30000,
};
