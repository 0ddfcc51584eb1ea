/** Jest runs TypeScript sources directly through ts-jest's ESM preset (Node 20 needs --experimental-vm-modules). */
export default {
  preset: 'ts-jest/presets/default-esm',
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: {
    '^.+\\.ts$': ['ts-jest', { useESM: true, tsconfig: 'tsconfig.test.json', diagnostics: { ignoreCodes: [151002] } }],
  },
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  globalTeardown: '<rootDir>/test/support/global-teardown.ts',
  testTimeout: 120000,
  // One suite at a time: the suites start simulators and real CLI processes, and on this 2-core machine two of them
  // side by side make each slower, not the run faster. (The intermittent create stall once blamed on this was an
  // upload waiting for the request stream after a 200; fixed in src/vim/datastore-files.ts.)
  maxWorkers: 1,
};
