/**
 * Fuzzing the command line in-process with a fixed seed: random argv (numbers in every syntax and
 * malformed ones, unknown and repeated flags, empty strings, huge exponents, Unicode, broken
 * expressions, huge and deeply nested inputs). Every run must end with exit 0, 1 or 2 within a
 * time bound, with at most a one-line error (plus the caret line for expressions), and never a
 * stack trace, "undefined" or "[object Object]". `npm run fuzz` runs many more cases.
 */
import fc from 'fast-check';
import { flagParts, functionOptions } from '../../src/cli/flags';
import { namesOf, registry } from '../../src/functions/registry';
import { actgrad } from '../helpers/run';

const RUNS = Number(process.env.FUZZ_RUNS ?? 300);
const TIME_BOUND_MS = 10000;

const numberWords = [
  '2', '-1', '0', '-0', '2.5', '.5', '-.5', '5.', '1e-3', '-1E3', '1e308', '1e999', '-1e-999', '4.9e-324',
  'inf', '-inf', 'Infinity', '-Infinity', 'nan', 'NaN', '-nan', '\u22122', '+3', '1,2,3', '[1, 2, 3]', '1 2; 3 4',
  '[[1,2],[3,4]]', '[[1, 2]]', '0.1 0.2 0.7', '-3,-2', '1e5,1e-5',
];
const malformed = [
  '', ' ', '2x', '1..2', '--1', '[[1]', ']', '[', ';;', '1 2; 3', '[[1],[2,3]]', 'NaNa', '0x10', '1_000', '\u0663', '\uff11',
  '😀', 'é', '1e', 'e5', '"', "'", '\\', '[[[1]]]', ',', '1,,2', '- 1', '∞', '$(echo hi)', '%s', '1;2;;3',
];
const expressions = [
  'x', 'x*x', 'sum(x)', 'mse(x*w + b, y)', 'softmax(x)[0]', 'x^2^3', '-x^2', 'x @ x', 'W @ x', 'norm(x)', 'relu(x)',
  'cross_entropy(x, 1)', 'sum(sigmoid(x) * w)', 'log(x)', 'sqrt(x)', 'x / 0', 'exp(1000*x)', 'x[5]', 'x[-1]', 'dot(x, x)',
  'mse(x,', '(x', 'x)', 'x +', '* x', 'f(x)', 'sofmax(x)', 'constructor(x)', '__proto__', 'process.exit(3)', 'x..y',
  'leaky_relu(x, negative_slope=0.2)', 'gelu(x, approximate="tanh")', 'gelu(x, approximate="no")', 'mean(x, 1)',
  '1e999 * x', 'sum(x)^0.5', 'x ^ -1', 'threshold(x)', 'x[0][0]', '', ' ', '\u2212x',
];
const bindings = ['x=1', 'x=2,3', 'x="1 2; 3 4"', 'w=0.5', 'b=0', 'y=1', 'W="1 2; 3 4"', 'x=', '=1', 'x=abc', 'x=1', '1x=2', 'x=[1, 2, 3]', 'y=-1', 'x=nan', 'x=inf'];

const functionNames = registry.flatMap((d) => namesOf(d));
const allFlags = [...new Set(registry.flatMap((d) => functionOptions(d).map((o) => flagParts(o.flags).long)))].map((f) => `--${f}`);
const flagValues = ['0', '1', '-1', '2', 'mean', 'sum', 'none', 'batchmean', 'tanh', 'json', 'table', 'csv', 'tsv', 'plain', 'xml', '0,1', '1,2,3', 'nan', '', '17', '99', '0.5'];

const word = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...numberWords) },
  { weight: 2, arbitrary: fc.constantFrom(...malformed) },
  { weight: 3, arbitrary: fc.constantFrom(...allFlags, '-g', '-j', '-h', '-V', '--foo', '--', '-x', '--json', '--help') },
  { weight: 2, arbitrary: fc.constantFrom(...flagValues) },
  { weight: 1, arbitrary: fc.string({ maxLength: 6 }).filter((s) => !/undefined|object/i.test(s)) },
);

const functionArgv = fc.tuple(fc.constantFrom(...functionNames), fc.array(word, { maxLength: 8 })).map(([f, rest]) => [f, ...rest]);
const gradArgv = fc
  .tuple(fc.constantFrom(...expressions), fc.array(fc.constantFrom(...bindings), { maxLength: 4 }), fc.array(fc.constantFrom('--jacobian', '--wrt', 'x', '--json', '--steps', '--expect', 'value=1', 'x=2', '--gradcheck', '--format', 'table', '--rtol', '0.1'), { maxLength: 3 }))
  .map(([e, b, o]) => ['grad', e, ...b, ...o]);
const otherArgv = fc.oneof(
  fc.tuple(fc.constantFrom('list', 'explain', 'help', 'plot', 'softmx', '', '--help', '-V', 'grad'), fc.array(word, { maxLength: 4 })).map(([c, r]) => [c, ...r]),
  fc.tuple(fc.constantFrom('plot'), fc.constantFrom(...functionNames), fc.array(fc.constantFrom('--from', '--to', '-6', '6', '0', '--width', '40', '--height', '5', '--target', '1', '--points', '10'), { maxLength: 4 })).map(([c, f, r]) => [c, f, ...r]),
);
const argv = fc.oneof({ weight: 5, arbitrary: functionArgv }, { weight: 2, arbitrary: gradArgv }, { weight: 1, arbitrary: otherArgv });
const stdin = fc.option(fc.constantFrom('', '1\n2\n', '1 2\n3 4\n', 'x\n', '1 2\n3\n', 'nan\ninf\n'), { nil: undefined });

function check(args: string[], input: string | undefined): void {
  const t0 = Date.now();
  const r = actgrad(args, { stdin: input });
  const ms = Date.now() - t0;
  const context = { args, input };
  expect({ ...context, code: [0, 1, 2].includes(r.code) }).toEqual({ ...context, code: true });
  expect({ ...context, slow: ms > TIME_BOUND_MS }).toEqual({ ...context, slow: false });
  for (const out of [r.stdout, r.stderr]) {
    // A stack frame is `at f (file:line:col)` or `at file:line:col`; a wrapped help line may start with "at kinks".
    expect({ ...context, out, bad: /\n\s+at .*:\d+:\d+\)?$|\bundefined\b|\[object Object\]/m.test(out) }).toMatchObject({ bad: false });
  }
  if (r.code === 2) {
    const lines = r.stderr.trimEnd().split('\n');
    const ok = lines[0].startsWith('actgrad: error: ') && (lines.length === 1 || (lines.length === 2 && /^\s*\^$/.test(lines[1])));
    expect({ ...context, stderr: r.stderr, ok }).toMatchObject({ ok: true });
    expect(lines[0]).not.toContain('internal error');
  } else if (r.stderr !== '') {
    expect({ ...context, stderr: r.stderr }).toEqual({ ...context, stderr: '' });
  }
}

test(`${RUNS} random command lines end well`, () => {
  fc.assert(
    fc.property(argv, stdin, (args, input) => {
      check(args, input);
    }),
    { seed: 20261126, numRuns: RUNS },
  );
});

describe('hostile inputs', () => {
  test('10^6 numbers in one argument', () => {
    const big = Array.from({ length: 1e6 }, (_, i) => (i % 13) - 6).join(' ');
    const r = actgrad(['relu', big, '--grad']);
    expect(r.code).toBe(0);
    expect(r.stdout.length).toBeGreaterThan(1e6);
  });
  test('10,000 nested brackets, in the input and in an expression', () => {
    check(['relu', '['.repeat(10000) + '1' + ']'.repeat(10000)], undefined);
    check(['grad', '('.repeat(10000) + 'x' + ')'.repeat(10000), 'x=1'], undefined);
    check(['grad', '-'.repeat(10000) + 'x', 'x=1'], undefined);
    check(['grad', 'x' + '^x'.repeat(5000), 'x=1'], undefined);
  });
  test('huge exponents and extreme values', () => {
    check(['softmax', '1e308', '-1e308', '1e999'], undefined);
    check(['cross-entropy', '1e308 -1e308', '--target', '1', '--grad', '--json'], undefined);
    check(['norm', '1e308', '1e308', '--p', '1e308'], undefined);
    check(['grad', 'exp(x)^x', 'x=1e3'], undefined);
  });
  test('a very long flag value and a very long unknown option', () => {
    check(['relu', '1', '--precision', '9'.repeat(10000)], undefined);
    check(['relu', '1', `--${'x'.repeat(10000)}`], undefined);
  });
});
