/**
 * The command line's entry (src/cli/run.ts), in-process, second round: which word after options
 * written before the command is a value and which is the command (shared options, a function's
 * own options, short flags, a value left out), the words that stop that search (-h, --help, -V,
 * --version), the word right after `grad` that starts with a minus, the REPL on a terminal, the
 * fast paths (a function, grad, explain, plot, --version) that answer without building the
 * commander program, which subcommands commander builds, the help of a formula-only function, and
 * the internal-error line.
 *
 * Why this file: a StrykerJS run (/tmp/s9/run.txt) left these mutants alive; the earlier
 * run-survivors.test.ts covers a previous list and is not repeated here. The fast paths print
 * what commander would print, so the only difference a user sees is time: the tests spy on
 * buildProgram (wrapping the real one) to check the program is not built. The REPL is replaced
 * by a stub, since it reads a terminal. Everything is computed inside the test bodies.
 */
import { actgrad, type Run } from '../helpers/run';
import { normalizeArgv, reportError } from '../../src/cli/run';
import type { IO } from '../../src/cli/io';
import { buildProgram } from '../../src/cli/program';
import { startRepl } from '../../src/cli/repl';
import { lookupDescriptor } from '../../src/functions/lookup';

jest.mock('../../src/cli/program', () => {
  const actual = jest.requireActual('../../src/cli/program');
  return { ...actual, buildProgram: jest.fn(actual.buildProgram) };
});
jest.mock('../../src/cli/repl', () => ({ startRepl: jest.fn(() => 0) }));

const built = jest.mocked(buildProgram);
const repl = jest.mocked(startRepl);

beforeEach(() => {
  built.mockClear();
  repl.mockClear();
});

/** The run failed: exactly this stderr line, nothing on stdout, exit 2. */
function expectError(r: Run, message: string): void {
  expect(r).toEqual({ code: 2, stdout: '', stderr: `actgrad: error: ${message}\n` });
}

describe('normalizeArgv: which words starting with a minus are data', () => {
  test('only the word right after grad is an expression; later "-ab" words stay as written', () => {
    expect(normalizeArgv(['grad', 'x*2', '-ab', '-q'])).toEqual(['grad', 'x*2', '-ab', '-q']);
    expect(normalizeArgv(['grad', '-ab', '-cd'])).toEqual(['grad', '\u2212ab', '-cd']);
  });

  test('without grad, a first word "-ab" stays an option', () => {
    expect(normalizeArgv(['-ab'])).toEqual(['-ab']);
    expect(normalizeArgv(['-ab', 'sigmoid'])).toEqual(['-ab', 'sigmoid']);
  });

  test('a number that ends in "--" still gets the Unicode minus, so the number parser reports it', () => {
    expect(normalizeArgv(['sigmoid', '-1--'])).toEqual(['sigmoid', '\u22121--']);
    expectError(actgrad(['sigmoid', '-1--']), '"\u22121--" (number 1) is not a number');
  });
});

describe('options before the command: shared options', () => {
  test('a short switch (-g) takes no value: the word after it is the command', () => {
    expect(actgrad(['-g', 'sigmoid', '0'])).toEqual({ code: 0, stdout: '0.25\n', stderr: '' });
    expectError(actgrad(['-g', '0.5', 'sigmoid']), 'unknown function or command "0.5"; actgrad list shows them all');
  });

  test('a shared option with a value takes the next word, even a function name', () => {
    expect(actgrad(['--precision', '3', 'sigmoid', '0'])).toEqual({ code: 0, stdout: '0.5\n', stderr: '' });
    expectError(actgrad(['--precision', 'sigmoid', '1']), 'unknown function or command "1"; actgrad list shows them all');
  });

  test('a shared option followed by an unknown --word takes it as its value', () => {
    expectError(actgrad(['--precision', '--bogus', '3', 'sigmoid', '1']), 'unknown function or command "3"; actgrad list shows them all');
  });

  test('a shared option alone, with no command after it, is reported by commander', () => {
    expectError(actgrad(['--json']), "unknown option '--json'");
  });
});

describe("options before the command: a function's own options", () => {
  test('an option no function takes, written last, is unknown', () => {
    expectError(actgrad(['--negative-slope']), "unknown option '--negative-slope'");
  });

  test('an option followed by another option takes no value from it', () => {
    expectError(actgrad(['--negative-slope', '--precision', '3', 'sigmoid', '1']), "unknown option '--negative-slope'");
  });

  test('a command after a function option is the command when no later word takes the option', () => {
    expectError(actgrad(['--negative-slope', 'grad', 'x*2', 'x=1']), "unknown option '--negative-slope'");
  });

  test("the function that follows takes the option: it is its value only if a later word names a function", () => {
    expectError(actgrad(['--negative-slope', 'leaky-relu', '-1']), "option '--negative-slope <number>' argument missing");
    expectError(actgrad(['--negative-slope', 'leaky-relu', 'leaky-relu', '-1']), '--negative-slope: "leaky-relu" is not a number');
  });

  test('a switch of the function that follows never takes a value', () => {
    expectError(actgrad(['--full', 'poisson-nll-loss', 'sigmoid']), '"sigmoid" (number 1) is not a number');
  });

  test('a later function that takes the option makes the next word its value (--approximate tanh gelu)', () => {
    expect(actgrad(['--approximate', 'tanh', 'gelu', '1', '2'])).toEqual({ code: 0, stdout: '0.8411919906082768 1.954597694087775\n', stderr: '' });
  });

  test('only words after the option count, not the values of earlier options', () => {
    expectError(actgrad(['--precision', 'gelu', '--approximate', 'sigmoid', '1']), "unknown option '--approximate'");
  });
});

describe('help and version stop the search for the command', () => {
  test('-h or --help first is the general help, whatever follows', () => {
    const general = actgrad(['--help']).stdout;
    expect(general.startsWith('Usage: actgrad <function> [numbers...] [options]\n')).toBe(true);
    expect(actgrad(['-h', 'sigmoid'])).toEqual({ code: 0, stdout: general, stderr: '' });
    expect(actgrad(['--help', 'sigmoid'])).toEqual({ code: 0, stdout: general, stderr: '' });
  });

  test('-V or --version first prints the version, whatever follows', () => {
    const version = (require('../../package.json') as { version: string }).version;
    expect(actgrad(['-V', 'sigmoid'])).toEqual({ code: 0, stdout: `${version}\n`, stderr: '' });
    expect(actgrad(['--version', 'sigmoid'])).toEqual({ code: 0, stdout: `${version}\n`, stderr: '' });
  });
});

describe('the REPL', () => {
  test('actgrad alone on a terminal starts the REPL; off a terminal it prints the short usage', () => {
    const r = actgrad([], { tty: true });
    expect(r).toEqual({ code: 0, stdout: '', stderr: '' });
    expect(repl).toHaveBeenCalledTimes(1);
    const piped = actgrad([], { tty: true, stdin: '' });
    expect(piped.code).toBe(2);
    expect(piped.stderr.startsWith('usage: actgrad <function> [numbers...] [options]')).toBe(true);
    expect(repl).toHaveBeenCalledTimes(1);
  });
});

describe('the fast paths answer without building the commander program', () => {
  test('--version alone', () => {
    const version = (require('../../package.json') as { version: string }).version;
    expect(actgrad(['-V'])).toEqual({ code: 0, stdout: `${version}\n`, stderr: '' });
    expect(actgrad(['--version'])).toEqual({ code: 0, stdout: `${version}\n`, stderr: '' });
    expect(built).not.toHaveBeenCalled();
  });

  test('a function with numbers and options', () => {
    expect(actgrad(['sigmoid', '0', '--grad'])).toEqual({ code: 0, stdout: '0.25\n', stderr: '' });
    expect(built).not.toHaveBeenCalled();
  });

  test('grad with an expression', () => {
    expect(actgrad(['grad', 'x*2', 'x=1'])).toEqual({ code: 0, stdout: '2\n', stderr: '' });
    expect(built).not.toHaveBeenCalled();
  });

  test('explain of a function: the same text commander prints', () => {
    const fast = actgrad(['explain', 'sigmoid']);
    expect(built).not.toHaveBeenCalled();
    const viaCommander = actgrad(['explain', '--format', 'plain', 'sigmoid']);
    expect(built).toHaveBeenCalledTimes(1);
    expect(fast.code).toBe(0);
    expect(fast.stderr).toBe('');
    expect(fast.stdout.startsWith('sigmoid: logistic function 1/(1 + e^-x)\n')).toBe(true);
    expect(fast.stdout).toBe(viaCommander.stdout);
  });

  test('plot of a function', () => {
    const fast = actgrad(['plot', 'sigmoid', '--width', '30', '--height', '5']);
    expect(built).not.toHaveBeenCalled();
    expect(fast.code).toBe(0);
    expect(fast.stderr).toBe('');
    expect(fast.stdout).toBe(
      [
        '1 ┤             │     ********',
        '  │             │ ****        ',
        '  │            ***            ',
        '  │        *###++++++         ',
        '0 ┤########+────┼────+++++++++',
        '  └─────────────┬─────────────',
        '                0',
        "   * sigmoid(x)   + sigmoid'(x)   # both",
        '',
      ].join('\n'),
    );
  });

  test('plot of a function with no options: the default width, 80 columns off a terminal', () => {
    const plain = actgrad(['plot', 'sigmoid']);
    expect(built).not.toHaveBeenCalled();
    expect(plain).toEqual(actgrad(['plot', 'sigmoid', '--width', '80']));
    expect(plain.code).toBe(0);
    expect(plain.stdout.endsWith("\n     -6         -4           -2           0            2           4           6\n     * sigmoid(x)   + sigmoid'(x)   # both\n")).toBe(true);
    expect(built).not.toHaveBeenCalled();
  });

  test('plot with numbers after the function is an error from commander', () => {
    expectError(actgrad(['plot', 'sigmoid', '1']), "too many arguments for 'plot'. Expected 1 argument but got 2.");
  });
});

describe('which subcommands commander builds', () => {
  test("help <function> is <function> --help: it builds only that subcommand and prints the function's help", () => {
    const help = actgrad(['help', 'sigmoid']);
    expect(built).toHaveBeenCalledTimes(1);
    expect(built.mock.calls[0][1]).toBe(lookupDescriptor('sigmoid'));
    expect(help.code).toBe(0);
    expect(help.stdout.startsWith('Usage: actgrad sigmoid|logistic [options] [numbers...]\n\nlogistic function 1/(1 + e^-x)  [torch.sigmoid(input)]\n')).toBe(true);
    expect(help.stdout).toBe(actgrad(['sigmoid', '--help']).stdout);
  });

  test('a function run through commander builds only its own subcommand', () => {
    const r = actgrad(['sigmoid', '--help']);
    expect(r.code).toBe(0);
    expect(built).toHaveBeenCalledTimes(1);
    expect(built.mock.calls[0][1]).toBe(lookupDescriptor('sigmoid'));
  });

  test('a command builds no function subcommands; an option first builds them all', () => {
    actgrad(['explain', '--format', 'plain', 'sigmoid']);
    expect(built.mock.calls[0][1]).toBe('none');
    actgrad(['--bogus']);
    expect(built.mock.calls[1][1]).toBeUndefined();
  });
});

describe('a formula-only function', () => {
  test('-h or --help anywhere after it prints its explanation', () => {
    const help = actgrad(['embedding', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout.startsWith('embedding: look up rows of a weight matrix by integer index\n')).toBe(true);
    expect(actgrad(['embedding', '-h'])).toEqual(help);
    expect(actgrad(['embedding', '1', '--help'])).toEqual(help);
  });
});

describe('reportError', () => {
  test('an unexpected error is one "internal error" line: the first line of its message', () => {
    let stderr = '';
    const io: IO = { stdout: () => undefined, stderr: (s) => (stderr += s), stdoutIsTTY: false, stdinIsTTY: false, readStdin: () => '', env: {} };
    expect(reportError(new Error('boom\nsecond line'), io)).toBe(2);
    expect(stderr).toBe('actgrad: internal error: boom (please report it)\n');
    stderr = '';
    expect(reportError('plain text', io)).toBe(2);
    expect(stderr).toBe('actgrad: internal error: plain text (please report it)\n');
  });
});
