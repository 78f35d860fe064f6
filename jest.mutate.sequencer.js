/**
 * Mutation runs stop at the first failing suite (Stryker's bail): running the quick suites first
 * lets most mutants die in a second instead of after the long property suites. Jest's default
 * order is the opposite (slowest first, for parallel runs).
 */
const Sequencer = require('@jest/test-sequencer').default;
const { statSync } = require('node:fs');

class QuickFirst extends Sequencer {
  sort(tests) {
    const cost = (test) => {
      const cached = this._getCache(test)[test.path];
      // The last run's duration in ms, or a guess from the file's size.
      return cached ? cached[1] : statSync(test.path).size / 10;
    };
    return [...tests].sort((a, b) => cost(a) - cost(b) || (a.path < b.path ? -1 : 1));
  }
}

module.exports = QuickFirst;
