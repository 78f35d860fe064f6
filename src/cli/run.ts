/**
 * The command line's entry: `run(argv, io)` does everything without touching `process`, so tests
 * call it in-process. Plain runs of a function, grad, plot and explain are parsed by the fast path
 * (fast.ts) from the same option lists commander uses; everything else — help, errors, list,
 * completion — goes through the commander program (program.ts), which is loaded only then.
 * Errors end here: one line on stderr, exit code 2, never a stack trace.
 */
import { ExpressionError, UsageError, didYouMean } from '../errors';
import { lookupDescriptor } from '../functions/lookup';
import type { Descriptor } from '../functions/types';
import { ArgumentError } from '../functions/types';
import { looksNumeric, UNICODE_MINUS } from '../parse/numbers';
import { CHECK_OPTIONS, COMMANDS as COMMAND_NAMES, flagOf, flagParts, functionOptions, GRAD_OPTIONS, type OptionSpec, OUTPUT_OPTIONS, plotOptions, valueLeftOut } from './flags';
import type { BuildProgram } from './complete-data';
import type { IO } from './io';

const allNames = (): string[] => (require('../functions/registry') as typeof import('../functions/registry')).allNames();
const program = (): typeof import('./program') => require('./program') as typeof import('./program');

/** The commands besides the functions, and commander's `help`. */
const COMMANDS: readonly string[] = [...COMMAND_NAMES, 'help'];

/**
 * commander takes `-1E3`, `-inf` or `-1,2` for options. A word that starts with '-' and then a
 * digit, '.', "inf" or "nan" is data: give it the Unicode minus, which the number parser reads as '-'.
 * An expression of `grad` that starts with a minus ("-x**2") is data too.
 */
export function normalizeArgv(argv: readonly string[]): string[] {
  const gradAt = argv.indexOf('grad');
  return argv.map((a, i) => {
    if (a.startsWith('-') && !a.startsWith('--') && looksNumeric(a)) return UNICODE_MINUS + a.slice(1);
    if (i === gradAt + 1 && gradAt >= 0 && a.startsWith('-') && !a.startsWith('--') && !/^-[a-zA-Z]$/.test(a)) return UNICODE_MINUS + a.slice(1);
    return a;
  });
}

/** What a flag is among the options of `specs`: 'value' when it takes one, 'switch' when not, undefined when it is not there. */
function flagIn(specs: readonly OptionSpec[], flag: string): 'value' | 'switch' | undefined {
  for (const spec of specs) {
    const p = flagParts(spec.flags);
    if (flag === `--${p.long}` || (p.short !== undefined && flag === `-${p.short}`)) return p.takesValue ? 'value' : 'switch';
  }
  return undefined;
}

/** The options every command shares, and those of grad and plot: known without looking up a function. */
let common: OptionSpec[] | undefined;
const commonOptions = (): OptionSpec[] => (common ??= [...OUTPUT_OPTIONS, ...CHECK_OPTIONS, ...GRAD_OPTIONS, ...plotOptions(undefined), ...functionOptions(lookupDescriptor('sigmoid')!)]);

/** The options of the function or command a word names, or undefined when it names none. */
function optionsOf(word: string): readonly OptionSpec[] | undefined {
  if (COMMANDS.includes(word)) return word === 'grad' ? GRAD_OPTIONS : word === 'plot' ? plotOptions(undefined) : [];
  const d = lookupDescriptor(word);
  return d ? [...functionOptions(d), ...plotOptions(d)] : undefined;
}

/**
 * Whether the option args[i], before the command name, takes args[i + 1] as its value. The shared
 * options are known; a function's parameter (--negative-slope 0.2 leaky-relu) is looked up in the
 * function that follows: a word that names no function is a value, and one that does is the
 * command unless the flag is not among its options and a later word's (--approximate tanh gelu).
 */
function leadingTakesValue(args: readonly string[], i: number): boolean {
  const flag = args[i];
  const known = flagIn(commonOptions(), flag);
  const next = args[i + 1];
  // A shared option followed by another (`--precision --color auto sigmoid 1`): its value was left
  // out, which the parser says; the next option is not its value.
  if (known) return known === 'value' && !(next !== undefined && valueLeftOut(flag.replace(/^-+/, ''), next, (long) => flagIn(commonOptions(), `--${long}`) !== undefined));
  if (next === undefined || next.startsWith('-')) return false;
  const ofNext = optionsOf(next);
  if (!ofNext) return true;
  if (flagIn(ofNext, flag)) return flagIn(ofNext, flag) === 'value' && args.slice(i + 2).some((w) => !w.startsWith('-') && optionsOf(w) !== undefined);
  return args.slice(i + 2).some((w) => !w.startsWith('-') && flagIn(optionsOf(w) ?? [], flag) === 'value');
}

/** Options before the command name (`actgrad --json softmax 1 2`, `actgrad --target 0,1 mse 1 2`) move after it. */
export function commandFirst(args: readonly string[]): string[] {
  let i = 0;
  while (i < args.length && args[i].startsWith('-') && !['-h', '--help', '-V', '--version'].includes(args[i])) {
    i += !args[i].includes('=') && leadingTakesValue(args, i) ? 2 : 1;
  }
  if (i === 0 || i >= args.length) return args.slice();
  return [args[i], ...args.slice(i + 1), ...args.slice(0, i)];
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

function runCommander(args: string[], io: IO, fn: Descriptor | undefined): number {
  const p = program();
  // commander's own messages are captured and reprinted as one line.
  let captured = '';
  const state = { exitCode: 0 };
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
    const only = COMMANDS.includes(first) && first !== 'help' ? 'none' : first === 'help' || first.startsWith('-') ? undefined : fn;
    p.buildProgram(io, only, (s) => (captured += s), state, plotted).parse(args, { from: 'user' });
    return state.exitCode;
  } catch (e) {
    if (e instanceof p.CommanderError) {
      if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.code === 'commander.help') return 0;
      io.stderr(`actgrad: error: ${p.commanderMessage(e, captured)}\n`);
      return 2;
    }
    throw e;
  }
}

/** An argument's name as the command line spells it: the input, or its flag. */
const cliName = (arg: string): string => (arg === 'input' ? 'the input' : flagOf(arg));

/** The short usage printed when actgrad runs with no arguments and not on a terminal (at most 80 columns: stderr may be one). */
export const SHORT_USAGE = [
  'usage: actgrad <function> [numbers...] [options]   values and derivatives',
  '       actgrad grad "<expression>" name=value ...  autograd on PyTorch code',
  '       actgrad list | explain <function> | plot <function>',
  '       actgrad completion <shell> | repl',
  '',
  'examples:',
  '  actgrad softmax 2 1 0.1 --jacobian',
  '  actgrad sigmoid 0 1 -2 --grad --order 2',
  '  actgrad grad "F.mse_loss(x*w + b, y)" x=1 w=2 b=0 y=1',
  '',
  'actgrad --help lists every function and option.',
].join('\n');

/** Runs actgrad with argv (without "node actgrad"); returns the exit code. */
export function run(argv: readonly string[], io: IO): number {
  try {
    const leading = commandFirst(normalizeArgv(argv));
    // plot's options may stand before the plotted function too (plot --width 30 sigmoid).
    const args = leading[0] === 'plot' ? ['plot', ...commandFirst(leading.slice(1))] : leading;
    const first = args[0];
    // The REPL: `actgrad` alone on a terminal, or `actgrad repl`; its lines run through run() again.
    if ((first === undefined && io.stdinIsTTY && io.stdoutIsTTY) || (first === 'repl' && args.length === 1)) {
      return (require('./repl') as typeof import('./repl')).startRepl(io, { run, reportError, buildProgram: program().buildProgram as BuildProgram });
    }
    if (first === undefined) {
      io.stderr(`${SHORT_USAGE}\n`);
      return 2;
    }
    // The version alone, as commander would print it, without building the program (~30 ms).
    if ((first === '--version' || first === '-V') && args.length === 1) {
      io.stdout(`${(require('../../package.json') as { version: string }).version}\n`);
      return 0;
    }
    const fn = first.startsWith('-') ? undefined : lookupDescriptor(first);
    if (!first.startsWith('-') && !fn && !COMMANDS.includes(first)) {
      throw new UsageError(`unknown function or command "${first}"${didYouMean(first, [...allNames(), ...COMMANDS])}; actgrad list shows them all`);
    }
    // help <name> is <name> --help: commander's help subcommand knows only the exact command names
    // (for Sigmoid, or an unknown name, it printed nothing and exited 0). help help is the general help.
    if (first === 'help' && args.length >= 2 && !args[1].startsWith('-')) return args[1] === 'help' ? runCommander(['help'], io, undefined) : run([args[1], '--help'], io);
    if (fn && fn.kind !== 'call') {
      const { fastParse } = require('./fast') as typeof import('./fast');
      const flags = require('./flags') as typeof import('./flags');
      const parsed = fastParse(flags.functionOptions(fn), args.slice(1));
      if (parsed) {
        const { functionOptions } = require('./options') as typeof import('./options');
        return (require('./function') as typeof import('./function')).runFunction(functionOptions(fn, parsed.numbers, parsed.opts, io), io);
      }
    }
    // grad, explain and plot in their plain forms are parsed here too, from the same option lists.
    if (first === 'grad') {
      const flags = require('./flags') as typeof import('./flags');
      const parsed = (require('./fast') as typeof import('./fast')).fastParse(flags.GRAD_OPTIONS, args.slice(1));
      if (parsed && parsed.numbers.length > 0) {
        const grad = require('./grad') as typeof import('./grad');
        return grad.runGrad(grad.gradOptions(parsed.numbers[0], parsed.numbers.slice(1), parsed.opts, io), io);
      }
    }
    if (first === 'explain' && args.length === 2 && !args[1].startsWith('-')) {
      const d = lookupDescriptor(args[1]);
      if (d) {
        io.stdout((require('../commands/explain') as typeof import('../commands/explain')).explainText(d));
        return 0;
      }
    }
    if (first === 'plot' && args.length >= 2 && !args[1].startsWith('-')) {
      const d = lookupDescriptor(args[1]);
      const flags = require('./flags') as typeof import('./flags');
      const parsed = d && (require('./fast') as typeof import('./fast')).fastParse(flags.plotOptions(d), args.slice(2));
      if (d && parsed && parsed.numbers.length === 0) {
        (require('./plot') as typeof import('./plot')).runPlot(d, parsed.opts, io);
        return 0;
      }
    }
    if (fn?.kind === 'call' && args.slice(1).some((a) => a === '--help' || a === '-h')) {
      // An expression-only function has no command of its own: its help is its explanation.
      const { explainText } = require('../commands/explain') as typeof import('../commands/explain');
      io.stdout(`${explainText(fn)}\n${fn.name} takes several tensors: call it in a formula.\n\nExample:\n  $ actgrad ${fn.example}\n`);
      return 0;
    }
    if (fn?.kind === 'call') {
      throw new UsageError(`${fn.name} takes several tensors, so it is called in a formula: actgrad ${fn.example} (actgrad explain ${fn.name})`);
    }
    // commander knows a function by its name (and aliases), not by the other spellings lookup accepts
    return runCommander(fn ? [fn.name, ...args.slice(1)] : args, io, fn);
  } catch (e) {
    return reportError(e, io);
  }
}

/** The one place errors become output: one line (and a caret line for expressions), exit code 2. */
export function reportError(e: unknown, io: IO): number {
  if (e instanceof ExpressionError) {
    // The expression first, so that the caret line lines up under the column at fault.
    const prefix = 'actgrad: error: ';
    const { shown, column } = excerpt(e.expression.replace(/\s/g, ' '), e.pos);
    // A message about the call that is the whole expression need not name it twice.
    const message = e.message.startsWith(`${e.expression}: `) ? e.message.slice(e.expression.length + 2) : e.message;
    io.stderr(`${prefix}${shown}: ${message}\n${' '.repeat(prefix.length + column)}^\n`);
    return 2;
  }
  if (e instanceof ArgumentError) {
    io.stderr(`actgrad: error: ${e.compose(cliName)}\n`);
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
