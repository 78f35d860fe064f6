// @ts-check
/**
 * Mutation testing (StrykerJS), the scope and settings. Not part of CI: it takes hours on 2 cores.
 * `npm run mutate` (scripts/mutate.mjs) runs this scope in parts (stryker.parts.mjs, through
 * stryker.dir.config.mjs), each against the suites that test it, and merges their reports;
 * `npm run mutate:one-run` runs it as one Stryker run against every suite (well over 12 hours
 * here). Reruns are incremental: only mutants in changed code, or covered by changed tests, run
 * again.
 *
 * @type {import('@stryker-mutator/api/core').PartialStrykerOptions}
 */
export default {
  packageManager: 'npm',
  testRunner: 'jest',
  jest: {
    projectType: 'custom',
    // The project's jest configuration without the suites that run the built binary (see there).
    configFile: 'jest.mutate.config.js',
    enableFindRelatedTests: false,
  },
  checkers: ['typescript'],
  tsconfigFile: 'tsconfig.json',
  typescriptChecker: { prioritizePerformanceOverAccuracy: true },
  mutate: [
    'src/functions/**/*.ts',
    'src/autograd/**/*.ts',
    'src/check/**/*.ts',
    'src/parse/**/*.ts',
    'src/cli/**/*.ts',
    // Process glue, exercised only by the tests that spawn the built binary: reading the real
    // standard input (EAGAIN retries), writing to the real stdout (EPIPE), main()'s terminal
    // detection by fstat.
    '!src/cli/main.ts',
    '!src/cli/stdin.ts',
    '!src/cli/stdout.ts',
    // The temporary file behind streamed JSON: file-system calls and their failure paths.
    '!src/cli/spool.ts',
    // Reads the registry index that the build writes into dist/; from the sources it falls back
    // to the registry, so only the fallback line runs in-process.
    '!src/functions/lookup.ts',
  ],
  coverageAnalysis: 'perTest',
  // Static mutants (module-level constants: descriptor tables, option lists, documentation text)
  // run under every test, ~2 minutes each here; they are reported as ignored, not counted.
  ignoreStatic: true,
  // Stryker splits its workers between TypeScript checkers and jest runners: 4 gives two jest
  // runners for 2 cores (the checkers idle after their first build).
  concurrency: 4,
  // Every mutant run collects every test file of its part (Stryker's jest runner filters tests by
  // name, not by file), which costs seconds more under load than in the dry run that timings come
  // from: with 5 s, cli-options (1,105 mutants) timed out 196 mutants, 189 of them by the clock,
  // among them one-line unit tests of pure functions. Genuine infinite loops are caught by the hit
  // counter whatever this is; a longer limit only makes a real hang cost more.
  timeoutMS: 15000,
  timeoutFactor: 2,
  dryRunTimeoutMinutes: 30,
  incremental: true,
  incrementalFile: 'reports/stryker-incremental.json',
  reporters: ['json', 'html', 'clear-text', 'progress'],
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  htmlReporter: { fileName: 'reports/mutation/mutation.html' },
  clearTextReporter: { allowColor: false, logTests: false, reportMutants: false, reportScoreTable: true },
  thresholds: { high: 90, low: 80, break: null },
  tempDirName: '.stryker-tmp',
  cleanTempDir: true,
};
