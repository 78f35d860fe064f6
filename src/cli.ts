/**
 * The command line's entry. `run(argv, io)` does everything without touching `process`, so tests
 * call it in-process; `main()` wires it to the real process. A plain function run is parsed by the
 * fast path (cli/fast.ts) from the same option list commander uses; everything else — help,
 * errors, grad, plot, list, explain — goes through the commander program (cli/program.ts), which
 * is loaded only then.
 */
import type { IO, RunState } from './cli/common';
import { ExpressionError, UsageError, didYouMean } from './errors';
import { lookupDescriptor } from './functions/lookup';
import type { Descriptor } from './functions/types';
import { looksNumeric, UNICODE_MINUS } from './parse/numbers';

const allNames = (): string[] => (require('./functions/registry') as typeof import('./functions/registry')).allNames();

export type { IO } from './cli/common';

const SUBCOMMANDS = ['grad', 'plot', 'list', 'explain'];
const GRAD_FLAGS = new Set(['-j', '--jacobian', '--wrt', '--json', '--format', '--precision', '--no-color', '--steps', '--graph', '--expect', '--rtol', '--atol', '--gradcheck', '-h', '--help']);

/**
 * commander takes `-1E3`, `-inf` or `-1,2` for options. A word that starts with '-' and then a
 * digit, '.', "inf" or "nan" is data: give it the Unicode minus, which the number parser reads as '-'.
 */
export function normalizeArgv(argv: readonly string[]): string[] {
  return argv.map((a, i) => {
    if (a.startsWith('-') && !a.startsWith('--') && looksNumeric(a)) return UNICODE_MINUS + a.slice(1);
    // An expression that starts with a minus ("-x^2") is data too, not an option.
    if (i === 1 && argv[0] === 'grad' && a.startsWith('-') && !GRAD_FLAGS.has(a.split('=')[0])) return UNICODE_MINUS + a.slice(1);
    return a;
  });
}

/** At most 60 characters of a long expression around `pos`, and the caret's column in them. */
function excerpt(text: string, pos: number): { shown: string; column: number } {
  const chars = [...text];
  if (chars.length <= 60) return { shown: text, column: [...text.slice(0, pos)].length };
  const at = [...text.slice(0, pos)].length;
  const start = Math.max(0, Math.min(at - 30, chars.length - 60));
  const end = Math.min(chars.length, start + 60);
  const head = start > 0 ? '…' : '';
  return { shown: head + chars.slice(start, end).join('') + (end < chars.length ? '…' : ''), column: head.length + at - start };
}

function runCommander(args: string[], io: IO, fn: Descriptor | undefined, state: RunState): number {
  const program = require('./cli/program') as typeof import('./cli/program');
  // commander's own messages are captured and reprinted as one line.
  let captured = '';
  const first = args[0];
  try {
    // plot's options are the plotted function's parameters: look it up first.
    let plotted: Descriptor | undefined;
    if (first === 'plot' && args[1] !== undefined && !args[1].startsWith('-')) {
      plotted = lookupDescriptor(args[1]);
      if (!plotted) throw new UsageError(`unknown function "${args[1]}"${didYouMean(args[1], allNames())}; actgrad list shows them all`);
    } else if (first === 'plot' && !args.some((a) => a === '--help' || a === '-h')) {
      throw new UsageError('plot needs a function: actgrad plot sigmoid (actgrad plot --help for the options)');
    }
    // Build only the subcommand that runs (all of them for help and unknown options).
    const only = SUBCOMMANDS.includes(first) ? 'none' : first === 'help' ? undefined : fn;
    program.buildProgram(io, only, (s) => (captured += s), state, plotted).parse(args, { from: 'user' });
    return state.exitCode;
  } catch (e) {
    if (e instanceof program.CommanderError) {
      if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.code === 'commander.help') return 0;
      io.stderr(`actgrad: error: ${program.commanderMessage(e, captured)}\n`);
      return 2;
    }
    throw e;
  }
}

/** Runs actgrad with argv (without "node actgrad"); returns the exit code. */
export function run(argv: readonly string[], io: IO): number {
  const args = normalizeArgv(argv);
  const state: RunState = { exitCode: 0 };
  try {
    const first = args[0];
    if (first === undefined) {
      io.stderr((require('./cli/program') as typeof import('./cli/program')).buildProgram(io).helpInformation());
      return 2;
    }
    const fn = first.startsWith('-') ? undefined : lookupDescriptor(first);
    if (!first.startsWith('-') && !fn && !SUBCOMMANDS.includes(first) && first !== 'help') {
      throw new UsageError(`unknown function "${first}"${didYouMean(first, [...allNames(), ...SUBCOMMANDS])}; actgrad list shows them all`);
    }
    if (fn) {
      const { fastParse } = require('./cli/fast') as typeof import('./cli/fast');
      const { functionOptions } = require('./cli/options') as typeof import('./cli/options');
      const parsed = fastParse(functionOptions(fn), args.slice(1));
      if (parsed) {
        (require('./cli/function') as typeof import('./cli/function')).runFunction(fn, parsed.numbers, parsed.opts, io, state);
        return state.exitCode;
      }
    }
    return runCommander(args, io, fn, state);
  } catch (e) {
    if (e instanceof ExpressionError) {
      // The expression first, so that the caret line lines up under the column at fault.
      const prefix = 'actgrad: error: ';
      const { shown, column } = excerpt(e.expression.replace(/\s/g, ' '), e.pos);
      io.stderr(`${prefix}${shown}: ${e.message}\n${' '.repeat(prefix.length + column)}^\n`);
      return 2;
    }
    if (e instanceof UsageError) {
      io.stderr(`actgrad: error: ${e.message}\n`);
      return 2;
    }
    const message = e instanceof Error ? e.message : String(e);
    io.stderr(`actgrad: internal error: ${message.split('\n')[0]} (please report it)\n`);
    return 2;
  }
}

/**
 * Is fd a terminal? A pipe or a file is not a character device, and /dev/null is told by its device
 * number, both at the cost of an fstat; only another character device loads node:tty (~5 ms).
 */
function isTerminal(fd: number): boolean {
  const fs = require('node:fs') as typeof import('node:fs');
  try {
    const st = fs.fstatSync(fd);
    if (!st.isCharacterDevice() || st.rdev === fs.statSync('/dev/null').rdev) return false;
  } catch {
    return false;
  }
  return (require('node:tty') as typeof import('node:tty')).isatty(fd);
}

export function main(): void {
  const stdin = (): typeof import('./stdin') => require('./stdin') as typeof import('./stdin');
  const { writeAll } = require('./stdout') as typeof import('./stdout');
  // fs.writeSync and isTerminal: process.stdin/stdout are never touched, so no streams are set up.
  const stdoutIsTTY = isTerminal(1);
  const io: IO = {
    stdout: (s) => writeAll(1, s),
    stderr: (s) => writeAll(2, s),
    stdoutIsTTY,
    get columns() {
      return stdoutIsTTY ? process.stdout.columns : undefined;
    },
    // Asked only when no numbers are given on the command line.
    get stdinIsTTY() {
      return isTerminal(0);
    },
    readStdin: () => stdin().readStdinSync(),
    readStdinChunks: (onChunk) => stdin().readStdinText(onChunk),
    env: process.env,
  };
  process.exitCode = run(process.argv.slice(2), io);
}
