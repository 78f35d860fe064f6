/**
 * A value made anew in each test that asks for it (and once within it), not while jest collects the
 * file. A mutation run (Stryker, perTest coverage, runtime activation) switches a mutant on only
 * for the test bodies that ran its code: a table, a model or a file made at collection is never
 * made again under a mutant, and the tests that assert on it can kill nothing.
 */
export function perTest<T>(make: () => T): () => T {
  let made: { test: string | undefined; value: T } | undefined;
  return () => {
    const test = expect.getState().currentTestName;
    if (!made || made.test !== test) made = { test, value: make() };
    return made.value;
  };
}
