// @ts-check
/**
 * One part of `npm run mutate` (stryker.parts.mjs, scripts/mutate.mjs): one directory of src/,
 * against the tests of its mirror in __tests__/ only (or those listed in TESTS, comma-separated):
 * the full run (stryker.config.mjs) takes hours on 2 cores,
 * mostly because every mutant of shared code (the parser, the tensors) is covered by thousands of
 * tests in other suites. The score measured this way is a lower bound of the full run's: a mutant
 * that the directory's own tests let survive may still be killed by another suite.
 *   DIR=parse npx stryker run stryker.dir.config.mjs
 *   DIR=check TESTS=__tests__/check,__tests__/paths npx stryker run stryker.dir.config.mjs
 *   DIR=parse FILES=numbers.ts,rows.ts npx stryker run stryker.dir.config.mjs
 *   DIR=parse FILES=python/parser.ts TESTS=__tests__/parse/python SKIP=fuzz npx stryker run stryker.dir.config.mjs
 * SKIP leaves out the test files whose path matches it (a long property run that covers every
 * mutant of a file makes each of them cost its whole run).
 * Each directory (or list of FILES) has its own incremental file and reports
 * (reports/mutation/<name>.json, .html, with <name> the directory and the files).
 *
 * @type {import('@stryker-mutator/api/core').PartialStrykerOptions}
 */
import { createRequire } from 'node:module';
import base from './stryker.config.mjs';
import { partName } from './stryker.parts.mjs';

/** @type {{ testPathIgnorePatterns: string[] }} */
const mutateJest = createRequire(import.meta.url)('./jest.mutate.config.js');

const dir = process.env.DIR;
if (!dir) throw new Error('set DIR to a directory of src/, e.g. DIR=parse');
const tests = (process.env.TESTS ?? `__tests__/${dir}`).split(',');
const files = process.env.FILES?.split(',');
const name = partName(dir, files);

export default {
  ...base,
  mutate: [...(files ? files.map((f) => `src/${dir}/${f}`) : [`src/${dir}/**/*.ts`]), ...(base.mutate ?? []).filter((m) => m.startsWith('!'))],
  jest: {
    ...base.jest,
    config: {
      roots: tests.map((t) => `<rootDir>/${t}`),
      ...(process.env.SKIP ? { testPathIgnorePatterns: [...mutateJest.testPathIgnorePatterns, process.env.SKIP] } : {}),
    },
  },
  incrementalFile: `reports/stryker-incremental-${name}.json`,
  jsonReporter: { fileName: `reports/mutation/${name}.json` },
  htmlReporter: { fileName: `reports/mutation/${name}.html` },
};
