/**
 * Fuzzing the parser: random strings over the language's alphabet (and beyond it), mutated valid
 * programs, and deep nesting. Each either parses, and then prints back to the same tree, or
 * throws an ExpressionError that points inside the text with a one-line message: never another
 * exception (a TypeError, a RangeError from the stack). FUZZ_RUNS=20000 runs more.
 */
import fc from 'fast-check';
import { ExpressionError } from '../../../src/errors';
import { parseExpression, parseProgram } from '../../../src/parse/python/parser';
import { unparse, unparseProgram } from '../../../src/parse/python/unparse';
import { arbitraryProgram } from './generators';
import { sameTree } from './show';

const RUNS = Number(process.env.FUZZ_RUNS ?? 1500);

/** Characters and pieces of the language, its near misses, and a few characters outside it. */
const PIECES = [
  ...'xyzabTFn_0129.e +-*/%@^&|~<>=!()[],:;#\'"\\\n\t$`?{}',
  '\u2212', '\u00b7', '\u00d7', 'é', 'σ', '\u{1f600}', '\u00a0', '\u2028', '\r\n', '\u2018', '\u0000',
  'not ', ' and ', ' or ', ' in ', ' is ', ' if ', 'else', 'True', 'None', 'lambda', 'return ', 'import ',
  '**', '//', '...', '1e-3', '1e', '0x', '1_0', '.5', 'x.sum(', 'dim=', 'F.relu(', 'torch.', '[:, 0]', '::', "'s'",
  '++', '--', '&&', '||', '===', '+=', '<>', '=<',
];

const piecesSource = fc.array(fc.constantFrom(...PIECES), { maxLength: 40 }).map((a) => a.join(''));
const anyString = fc.string({ unit: 'binary', maxLength: 30 });

/** A valid program with a few characters deleted, inserted or replaced. */
const mutatedProgram = fc
  .tuple(arbitraryProgram, fc.array(fc.tuple(fc.nat(), fc.constantFrom('delete', 'insert', 'replace'), fc.constantFrom(...PIECES)), { minLength: 1, maxLength: 3 }))
  .map(([source, edits]) => {
    let s = source;
    for (const [at, edit, piece] of edits) {
      const i = s.length === 0 ? 0 : at % s.length;
      s = edit === 'delete' ? s.slice(0, i) + s.slice(i + 1) : edit === 'insert' ? s.slice(0, i) + piece + s.slice(i) : s.slice(0, i) + piece + s.slice(i + 1);
    }
    return s;
  });

/** Brackets nested up to twice the limit, closed or not. */
const deepNesting = fc
  .tuple(fc.array(fc.constantFrom('(', '[', 'f(', 'x[', '-', 'not ', 'x.T('), { maxLength: 450 }), fc.boolean(), fc.constantFrom('x', '1', ''))
  .map(([openers, close, inner]) => {
    const closers = openers.map((o) => (o.endsWith('(') ? ')' : o.endsWith('[') ? ']' : '')).reverse();
    return openers.join('') + inner + (close ? closers.join('') : '');
  });

const PARSERS = { parseProgram, parseExpression, unparseProgram, unparse };

/** Parses or throws a well-formed ExpressionError; a parsed tree must print back to itself. */
function check(source: string, p: typeof PARSERS = PARSERS): void {
  for (const mode of ['program', 'expression'] as const) {
    try {
      if (mode === 'program') {
        const program = p.parseProgram(source);
        if (!sameTree(p.parseProgram(p.unparseProgram(program)), program)) throw new Error(`round trip of ${JSON.stringify(source)}`);
      } else {
        const tree = p.parseExpression(source);
        if (!sameTree(p.parseExpression(p.unparse(tree)), tree)) throw new Error(`round trip of ${JSON.stringify(source)}`);
      }
    } catch (e) {
      if (!(e instanceof ExpressionError)) throw e;
      const wellFormed =
        e.expression === source &&
        Number.isInteger(e.pos) &&
        e.pos >= 0 &&
        e.pos <= source.length &&
        e.message.length > 0 &&
        !/[\n\r]/.test(e.message) &&
        !/undefined|\[object|NaN/.test(e.message);
      if (!wellFormed) throw new Error(`ill-formed error for ${JSON.stringify(source)} (${mode}): ${JSON.stringify(e.message)} at ${e.pos}`);
    }
  }
}

test.each([
  ['pieces of the language', piecesSource, 1],
  ['any string', anyString, 2],
  ['mutated programs', mutatedProgram, 3],
  ['deep nesting', deepNesting, 4],
] as const)('%s: parse, or an ExpressionError that points inside the text', (_, arbitrary, seed) => {
  fc.assert(fc.property(arbitrary as fc.Arbitrary<string>, (source) => check(source)), { numRuns: RUNS, seed });
});

test('the check notices other exceptions, ill-formed errors and a failed round trip', () => {
  const failing = (f: (source: string) => never) => ({ ...PARSERS, parseProgram: f });
  expect(() => check('a', failing(() => { throw new TypeError('boom'); }))).toThrow(TypeError);
  expect(() => check('a', failing((s) => { throw new ExpressionError('x', s, -1); }))).toThrow('ill-formed');
  expect(() => check('a', failing((s) => { throw new ExpressionError('one\ntwo', s, 0); }))).toThrow('ill-formed');
  expect(() => check('a + b', { ...PARSERS, unparse: () => 'a - b' })).toThrow('round trip');
  expect(() => check('a + b')).not.toThrow();
});
