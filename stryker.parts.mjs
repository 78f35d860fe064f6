// @ts-check
/**
 * The parts of `npm run mutate` (scripts/mutate.mjs): the whole scope of stryker.config.mjs cut
 * into runs of a directory's files against the suites that test them. One run over everything
 * takes well over 12 hours on 2 cores, mostly because every mutant of shared code (the parser,
 * the tensors, the descriptors) is covered by thousands of tests in other suites, and a survivor
 * has to sit through all of them. Each part's score is a lower bound of that one run's score for
 * its files (the run over everything has the same tests and more), so the merged score is too.
 *
 * A part: `dir` under src/, `files` in it (else all of it), `tests` (roots under __tests__/; the
 * directory's mirror if not given), `skip` (test paths left out: the fuzz suites, whose long
 * property runs cover every mutant of the parser and would cost their whole run per mutant).
 * Parts are kept to an hour or less here: Stryker saves a run's results only when it ends.
 */

/** @typedef {{ dir: string, files?: string[], tests?: string[], skip?: string }} Part */

/** Every cli suite but those that run the REPL, the man page or completion in-process. */
const OTHER_CLI_SUITES = '/__tests__/cli/(?!(repl|repl-terminal|repl-survivors|man|man-survivors|completion|completion-survivors|bindings|cli|program-survivors|options-survivors)\\.test\\.ts$)';

/** @type {Part[]} */
export const PARTS = [
  { dir: 'functions', tests: ['__tests__/functions'] },
  { dir: 'autograd', tests: ['__tests__/autograd'] },
  { dir: 'check', files: ['expect.ts', 'gradcheck.ts'], tests: ['__tests__/check'] },
  { dir: 'check', files: ['hints.ts', 'formula-hints.ts'], tests: ['__tests__/check', '__tests__/cli', '__tests__/regressions'] },
  { dir: 'check', files: ['run.ts', 'formula.ts'], tests: ['__tests__/check', '__tests__/paths'] },
  { dir: 'parse', files: ['numbers.ts', 'rows.ts'], tests: ['__tests__/parse'] },
  { dir: 'parse', files: ['names.ts'], tests: ['__tests__/parse'], skip: '/python/' },
  {
    dir: 'parse',
    files: ['python/operators.ts', 'python/unparse.ts', 'python/ast.ts'],
    tests: ['__tests__/parse/python'],
    skip: 'fuzz',
  },
  { dir: 'parse', files: ['python/lexer.ts'], tests: ['__tests__/parse/python'], skip: 'fuzz' },
  { dir: 'parse', files: ['python/parser.ts', 'python/index.ts'], tests: ['__tests__/parse/python'], skip: 'fuzz' },
  // The REPL, the man page and the completion scripts against the cli suites that reach them
  // in-process (the others only add to each mutant run's collection: 3 s instead of 8 s here).
  ...[
    ['completion.ts', 'complete-data.ts'],
    ['repl.ts', 'man.ts'],
  ].map((files) => ({ dir: 'cli', files, tests: ['__tests__/cli'], skip: OTHER_CLI_SUITES })),
  ...[
    ['run.ts', 'program.ts', 'function.ts', 'grad.ts', 'plot.ts'],
    ['options.ts', 'flags.ts', 'bindings.ts', 'io.ts', 'split.ts', 'fast.ts', 'load.ts'],
  ].map((files) => ({ dir: 'cli', files, tests: ['__tests__/cli', '__tests__/commands', '__tests__/regressions'] })),
];

/**
 * The name of a part's reports and incremental file: the directory, then its files.
 * @param {string} dir
 * @param {string[] | undefined} files
 */
export function partName(dir, files) {
  return files ? `${dir}-${files.map((f) => f.replace(/\.ts$/, '').replace(/\//g, '_')).join('-')}` : dir;
}

/** The part's settings as the environment of stryker.dir.config.mjs. @param {Part} part */
export function partEnv(part) {
  /** @type {Record<string, string>} */
  const env = { DIR: part.dir };
  if (part.files) env.FILES = part.files.join(',');
  if (part.tests) env.TESTS = part.tests.join(',');
  if (part.skip) env.SKIP = part.skip;
  return env;
}
