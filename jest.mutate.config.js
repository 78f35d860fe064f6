/**
 * The jest configuration of mutation runs (stryker.config.json): the project's, without the suites
 * that cannot kill a mutant of src/ and only cost time there — those that spawn the built binary
 * or node on dist/ (the sandbox's dist/ is built from the unmutated sources), the README's
 * re-runs, and the long fuzz run. Every other suite, including the property tests, is kept: the
 * mutants are killed by tests that assert values. Quick suites run first (see the sequencer).
 */
const base = require('./jest.config.js');

module.exports = {
  ...base,
  testSequencer: '<rootDir>/jest.mutate.sequencer.js',
  testPathIgnorePatterns: [
    '/node_modules/',
    '<rootDir>/__tests__/fuzz/',
    '<rootDir>/__tests__/readme\\.test\\.ts$',
    '<rootDir>/__tests__/library/library\\.test\\.ts$',
    // The packs of dist/ (scripts/pack.js): the sandbox's copy of dist/ has new modification times,
    // so openPacks() rightly refuses its packs (their stamp) and the dry run fails; a pack holds
    // only the unmutated compiled code anyway.
    '<rootDir>/__tests__/cli/load\\.test\\.ts$',
    '<rootDir>/__tests__/symbolic/size\\.test\\.ts$',
  ],
};
