/**
 * What a user sees from the command line's entry (src/cli/run.ts), in-process: a grad expression
 * that starts with a minus, the caret excerpt of a long expression's error (the "…" on each side
 * and the caret's column), plot without a function or with an unknown one, the short usage,
 * --version, help of commands, functions and formula-only functions, and options written before
 * the command.
 *
 * Why this file: a StrykerJS run (/tmp/mut/cli-run-surv.txt) left these branches unreached in
 * process, or run without an assertion that a changed message, column or condition would fail.
 * Everything calls run() through the helper and computes inside the test bodies.
 */
import { actgrad, type Run } from '../helpers/run';

/** The run fails as a usage error: exactly this stderr, nothing on stdout, exit 2. */
function expectError(r: Run, stderr: string): void {
  expect(r.stderr).toBe(stderr);
  expect(r.stdout).toBe('');
  expect(r.code).toBe(2);
}

const PAD = ' '.repeat('actgrad: error: '.length);

describe('grad: an expression that starts with a minus', () => {
  test('"-x*2" is the expression, not an option; "-h" is still help', () => {
    expect(actgrad(['grad', '-x*2', 'x=1'])).toEqual({ code: 0, stdout: '-2\n', stderr: '' });
    const h = actgrad(['grad', '-h']);
    expect(h.code).toBe(0);
    expect(h.stdout.startsWith('Usage: actgrad grad [options] <expression> [bindings...]\n')).toBe(true);
  });
  test('"-x-y" is an expression too; a word starting "--" stays an option', () => {
    const r = actgrad(['grad', '-x-y', 'x=1', 'y=2']);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe(actgrad(['grad', '0-x-y', 'x=1', 'y=2']).stdout);
    expect(r.stdout).toContain('# x\n-1\n# y\n-1');
    expectError(actgrad(['grad', '--x', 'x=1']), "actgrad: error: unknown option '--x'\n");
  });
});

describe('the caret excerpt of an expression error', () => {
  test('a short expression is shown whole, whitespace as spaces, with the caret under the fault', () => {
    expectError(actgrad(['grad', 'x +\ty )', 'x=1']), `actgrad: error: x + y ): the ')' at column 7 has no matching '('; remove it\n${PAD}      ^\n`);
  });

  test('a long expression: 60 characters around the fault, "…" where it is cut, the caret on the fault', () => {
    const mid = 'x + y + z + x + y + z + x + y + z + x + y + z + x + y + z + x + y + ) + z + x + y + z + x + y + z + x + y + z';
    expectError(
      actgrad(['grad', mid, 'x=1']),
      `actgrad: error: …+ y + z + x + y + z + x + y + ) + z + x + y + z + x + y + z …: the ')' at column 69 has no matching '('; remove it\n${PAD}${' '.repeat(31)}^\n`,
    );
    const start = ') + x + y + z + x + y + z + x + y + z + x + y + z + x + y + z + x + y + z + x + y + z + x + y + z + x + y + z';
    expectError(
      actgrad(['grad', start, 'x=1']),
      `actgrad: error: ) + x + y + z + x + y + z + x + y + z + x + y + z + x + y + …: the ')' at column 1 has no matching '('; remove it\n${PAD}^\n`,
    );
    const end = 'x + y + z + x + y + z + x + y + z + x + y + z + x + y + z + x + y + z + x + y + z + x + y + z + x + y + z +';
    expectError(
      actgrad(['grad', end, 'x=1']),
      `actgrad: error: … x + y + z + x + y + z + x + y + z + x + y + z + x + y + z +: expected an expression after '+', found the end of the expression\n${PAD}${' '.repeat(61)}^\n`,
    );
  });
});

describe('plot without a function', () => {
  test('plot alone, or with options only, asks for a function; --help is the help', () => {
    const msg = 'actgrad: error: plot needs a function: actgrad plot sigmoid (actgrad plot --help for the options)\n';
    expectError(actgrad(['plot']), msg);
    expectError(actgrad(['plot', '--width', '3']), msg);
    const h = actgrad(['plot', '--help']);
    expect(h.code).toBe(0);
    expect(h.stderr).toBe('');
    expect(h.stdout.startsWith('Usage: actgrad plot [options] <function>\n')).toBe(true);
    const short = actgrad(['plot', '-h']);
    expect(short.code).toBe(0);
    expect(short.stdout).toBe(h.stdout);
  });

  test('an unknown function to plot suggests the nearest', () => {
    expectError(actgrad(['plot', 'softmx']), 'actgrad: error: unknown function "softmx" (did you mean softmax?); actgrad list shows them all\n');
  });
});

describe('entry points', () => {
  test('no arguments off a terminal: the short usage on stderr, exit 2', () => {
    const r = actgrad([]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.startsWith('usage: actgrad <function> [numbers...] [options]   values and derivatives\n')).toBe(true);
    expect(r.stderr.endsWith('actgrad --help lists every function and option.\n')).toBe(true);
  });

  test('--version prints the package version', () => {
    const version = (require('../../package.json') as { version: string }).version;
    expect(actgrad(['-V'])).toEqual({ code: 0, stdout: `${version}\n`, stderr: '' });
    expect(actgrad(['--version'])).toEqual({ code: 0, stdout: `${version}\n`, stderr: '' });
  });

  test('help of a command, of a function, and of a formula-only function', () => {
    const g = actgrad(['help', 'grad']);
    expect(g.code).toBe(0);
    expect(g.stdout.startsWith('Usage: actgrad grad [options] <expression> [bindings...]\n')).toBe(true);
    const s = actgrad(['sigmoid', '--help']);
    expect(s.code).toBe(0);
    expect(s.stdout.startsWith('Usage: actgrad sigmoid|logistic [options] [numbers...]\n\nlogistic function 1/(1 + e^-x)  [torch.sigmo')).toBe(true);
    const e = actgrad(['embedding', '--help']);
    expect(e.code).toBe(0);
    expect(e.stdout.startsWith('embedding: look up rows of a weight matrix by integer index\n')).toBe(true);
    expect(e.stdout.endsWith('embedding takes several tensors: call it in a formula.\n\nExample:\n  $ actgrad grad "F.embedding(i, E).sum()" i=2,0 E="1 2; 3 4; 5 6" --wrt E\n')).toBe(true);
  });

  test('a formula-only function run with numbers is pointed at a formula', () => {
    expectError(
      actgrad(['embedding', '1']),
      'actgrad: error: embedding takes several tensors, so it is called in a formula: actgrad grad "F.embedding(i, E).sum()" i=2,0 E="1 2; 3 4; 5 6" --wrt E (actgrad explain embedding)\n',
    );
  });

  test('commander reports missing and extra arguments in one line', () => {
    expectError(actgrad(['grad']), "actgrad: error: missing required argument 'expression'\n");
    expectError(actgrad(['explain', 'softmax', 'x']), "actgrad: error: too many arguments for 'explain'. Expected 1 argument but got 2.\n");
  });

  test('options written before the command move after it', () => {
    expect(actgrad(['--json', 'softmax', '1', '2']).stdout).toBe(actgrad(['softmax', '1', '2', '--json']).stdout);
    expectError(actgrad(['--bogus', 'plot', 'sigmoid']), "actgrad: error: unknown option '--bogus'\n");
    expect(actgrad(['--width', '30', 'plot', 'sigmoid', '--height', '5']).stdout).toBe(actgrad(['plot', 'sigmoid', '--width', '30', '--height', '5']).stdout);
  });
});
