/**
 * The commander program: one subcommand per registry entry, plus grad, plot, list, explain,
 * completion and repl. Loaded for everything but plain function runs (see fast.ts), so help,
 * errors and suggestions are commander's. Each action turns commander's parse into the same
 * typed options object the fast path makes, and runs the same command.
 */
import { Command, CommanderError, Option } from 'commander';
import { builtinNamesAll, builtinsListObject, explainBuiltin, KIND_TITLES, listObject, listText } from '../commands/explain';
import { UsageError, didYouMean } from '../errors';
import { allNames, lookup, namesOf, registry } from '../functions/registry';
import type { Descriptor } from '../functions/types';
import { type Format, renderExplain, renderList } from '../render/index';
import { stringifyJson } from '../render/json';
import { type ColorFlag, colorEnabled } from '../render/terminal';
import { CHECK_OPTIONS, COLOR_MODES, flagParts, functionOptions as functionFlags, GRAD_OPTIONS, type OptionSpec, OUTPUT_OPTIONS, plotOptions, valueLeftOut } from './flags';
import { runFunction } from './function';
import type { BuildProgram } from './complete-data';
import type { IO } from './io';
import { functionOptions, type Raw } from './options';

export { CommanderError };

/** What an action reports back to run(): exit code 1 when a check failed. */
export interface RunState {
  exitCode: number;
}

const CHECK_HELP =
  '\nChecking answers:\n' +
  '  --expect matches each number to the precision it is written with: 0.659 matches within ±0.0005,\n' +
  '  0.66 within ±0.005, 2 within ±0.5, 1.5e-3 within ±0.05e-3; --rtol/--atol replace that rule.\n' +
  '  A table of expected, actual and difference follows, with a hint when one usual mistake explains\n' +
  '  the mismatches (sign, factor 2 or N, mean vs sum, transposed Jacobian, value vs derivative, …).';

function addOptions(cmd: Command, specs: readonly OptionSpec[]): Command {
  // A flag given twice (or with its --no- form) would silently override the first: refused, as
  // the fast path hands such a line here.
  const given = new Map<string, string>();
  const longs = new Set(specs.map((s) => flagParts(s.flags).long));
  for (const s of specs) {
    const o = new Option(s.flags, s.description);
    if (s.choices) o.choices(s.choices);
    if (o.required) {
      cmd.on(`option:${o.name()}`, (value: string) => {
        const leftOut = valueLeftOut(o.long!.slice(2), value, (long) => longs.has(long));
        if (leftOut) throw leftOut;
      });
    }
    if (s.repeatable) o.argParser((value: string, previous: string[] | undefined) => [...(previous ?? []), value]);
    else {
      cmd.on(`option:${o.name()}`, () => {
        const first = given.get(o.attributeName());
        if (first === o.long) throw new UsageError(`${o.long} is given twice; give it once`);
        if (first !== undefined) throw new UsageError(`${o.long} conflicts with ${first}; give one of them`);
        given.set(o.attributeName(), o.long!);
      });
    }
    cmd.addOption(o);
  }
  return cmd;
}

function functionCommand(d: Descriptor, io: IO, state: RunState): Command {
  const cmd = new Command(d.name)
    .description(`${d.summary}  [${d.torch}]`)
    // The list of actgrad --help: what it computes; its own --help adds the PyTorch call.
    .summary(d.summary)
    .argument('[numbers...]', 'input numbers: separate arguments, "2,1,0.1", "[2, 1, 0.1]", rows as "1 2; 3 4", nested brackets, @FILE; none or - reads standard input');
  for (const n of namesOf(d).filter((n) => n !== d.name)) cmd.alias(n);
  addOptions(cmd, functionFlags(d));
  cmd.addHelpText('after', `\nExample:\n  $ actgrad ${d.example}\n${CHECK_HELP}\n\nFormulas and conventions at kinks: actgrad explain ${d.name}`);
  cmd.action((numbers: string[], opts: Raw) => {
    state.exitCode = runFunction(functionOptions(d, numbers, opts, io), io);
  });
  return cmd;
}

function listCommand(io: IO): Command {
  return new Command('list')
    .description('every function: its kind, parameters with their defaults, and what it computes')
    .option('--json', 'as JSON')
    .addOption(new Option('--format <format>', 'markdown: the table of the README').choices(['markdown']))
    .addOption(new Option('--color <when>', 'colour: auto (on a terminal, unless NO_COLOR or TERM=dumb), always, never').choices(COLOR_MODES))
    .option('--no-color', 'same as --color never')
    .action((opts: { json?: boolean; format?: 'markdown'; color?: ColorFlag | false }) => {
      if (opts.json && opts.format) throw new UsageError(`--json and --format ${opts.format} ask for two formats; give one`);
      if (opts.format) return renderList({ format: opts.format }, io.stdout);
      // The headings are bold by the contract's colour rule, as the tables are.
      const color = colorEnabled({ flag: opts.color === false ? 'never' : (opts.color ?? 'auto'), isTTY: io.stdoutIsTTY, env: io.env });
      io.stdout(opts.json ? `${stringifyJson([...listObject(), ...builtinsListObject()])}\n` : listText(color));
    });
}

function explainCommand(io: IO): Command {
  return new Command('explain')
    .description('formulas of value and derivative, parameters and defaults, the PyTorch call, conventions at kinks')
    .argument('<function>', 'a function name, e.g. softmax')
    .option('--json', 'as JSON')
    .addOption(new Option('--format <format>', 'text (default), json, latex or markdown').choices(['table', 'plain', 'json', 'latex', 'markdown']))
    .addHelpText('after', '\nExamples:\n  $ actgrad explain gelu\n  $ actgrad explain softmax --format latex')
    .action((name: string, opts: { json?: boolean; format?: Format }) => {
      const d = lookup(name);
      if (!d) {
        // A built-in of the expression language (exp, sum, clamp, ...) has its own explanation.
        const text = explainBuiltin(name.replace(/^(torch\.(nn\.functional\.|linalg\.)?|F\.|math\.)/, ''));
        if (text === undefined) throw new UsageError(`unknown function "${name}"${didYouMean(name, [...allNames(), ...builtinNamesAll()])}; actgrad list shows them all`);
        if (opts.format && opts.format !== 'plain' && opts.format !== 'table') throw new UsageError(`the explanation of the built-in ${name} is text only; leave out --format`);
        return io.stdout(text);
      }
      if (opts.json && opts.format && opts.format !== 'json') throw new UsageError(`--json and --format ${opts.format} ask for two formats; give one`);
      renderExplain(d, { format: opts.json ? 'json' : (opts.format ?? 'plain') }, io.stdout);
    });
}

function gradCommand(io: IO, state: RunState): Command {
  const cmd = new Command('grad')
    .description('autograd on a formula (PyTorch code as written): its value and the gradient with respect to each bound name')
    .argument('<expression>', 'PyTorch code or actgrad syntax: torch./F. calls, methods, + - * / ** ^ @, indexing and slicing, statements separated by ;')
    .argument('[bindings...]', 'name=value in the number syntax: x=1 w="0.5 -1" W="1 2; 3 4" x=@x.txt');
  addOptions(cmd, GRAD_OPTIONS);
  // The built-ins, from their table, only when help is shown (the table is not loaded otherwise).
  cmd.addHelpText('after', () => {
    const names = builtinNamesAll().filter((n) => /^[a-z]/.test(n)).sort();
    return `\nBuilt-ins (torch.f(x), x.f(), f(x); actgrad explain <name>): ${names.join(' ')}\nand every function of actgrad list by its snake_case name (torch.nn.functional's).`;
  });
  cmd.addHelpText(
    'after',
    '\nExamples:\n  $ actgrad grad "F.mse_loss(x*w + b, y)" x=1 w=2 b=0 y=1\n  $ actgrad grad "torch.sigmoid(x @ w + b).sum()" x=1,2 w=0.5,-1 b=0.1\n' +
      '  $ actgrad grad "h = torch.relu(W @ x); (h ** 2).sum()" W="1 2; 3 4" x=1,-1 --steps\n  $ actgrad grad "x ** 3 - 2 * x" x=1.5 --hessian\n' +
      CHECK_HELP,
  );
  cmd.action((expression: string, bindings: string[], opts: Raw) => {
    const grad = require('./grad') as typeof import('./grad');
    state.exitCode = grad.runGrad(grad.gradOptions(expression, bindings, opts, io), io);
  });
  return cmd;
}

function plotCommand(d: Descriptor | undefined, io: IO): Command {
  const cmd = new Command('plot')
    .description('f and its derivative as a chart in the terminal, or as an SVG file')
    .argument('<function>', 'the function to plot, e.g. sigmoid');
  addOptions(cmd, plotOptions(d));
  cmd.addHelpText(
    'after',
    '\nExamples:\n  $ actgrad plot sigmoid\n  $ actgrad plot relu --from -2 --to 2\n  $ actgrad plot bce --target 1\n  $ actgrad plot huber --target 0 --delta 1 --svg huber.svg\n\n' +
      'Vector functions and layers are plotted along the slice f([x, 0]) (first output); losses as a function of one input x with --target fixed.',
  );
  cmd.action((_name: string, opts: Raw) => {
    const plot = require('./plot') as typeof import('./plot');
    plot.runPlot(d!, opts, io);
  });
  return cmd;
}

function completionCommand(io: IO): Command {
  return new Command('completion')
    .description('the shell completion script, for bash, zsh or fish')
    .argument('<shell>', 'bash, zsh or fish')
    .addHelpText('after', '\nExamples:\n  $ source <(actgrad completion bash)\n  $ actgrad completion fish > ~/.config/fish/completions/actgrad.fish')
    .action((shell: string) => {
      const completion = require('./completion') as typeof import('./completion');
      io.stdout(completion.completionScript(shell, buildProgram as BuildProgram));
    });
}

/** `actgrad repl` itself is started by run.ts (it runs lines through run()); this command is its help and its completion. */
function replCommand(): Command {
  return new Command('repl')
    .description('the interactive calculator (also: actgrad alone, on a terminal)')
    .action(() => {
      throw new UsageError('repl takes no arguments or options (actgrad repl)');
    });
}

/** A command in the top-level help: its name, and the arguments of the commands that are not functions. */
function helpTerm(cmd: Command): string {
  if (registry.some((d) => d.name === cmd.name())) return cmd.name();
  const args = cmd.registeredArguments.map((a) => (a.required ? `<${a.name()}>` : `[${a.name()}${a.variadic ? '...' : ''}]`));
  return [cmd.name(), ...args].join(' ');
}

export function buildProgram(
  io: IO,
  only?: Descriptor | 'none',
  writeErr: (s: string) => void = io.stderr,
  state: RunState = { exitCode: 0 },
  plotted?: Descriptor,
): Command {
  // Help is as wide as the terminal (80 columns off a terminal), as commander would make it for process.stdout.
  const output = { writeOut: (s: string) => io.stdout(s), writeErr, getOutHelpWidth: () => io.columns ?? 80 };
  const program = new Command('actgrad')
    .description('Activation functions, losses, layers and their derivatives of any order, agreeing with PyTorch in float64.')
    .usage('<function> [numbers...] [options]\n       actgrad grad "<expression>" name=value ... [options]\n       actgrad <command> ...')
    .version(require('../../package.json').version as string, '-V, --version')
    .configureOutput(output)
    .exitOverride()
    .showSuggestionAfterError(true)
    // The list of commands: each by its name and arguments only (the usage line says that options
    // follow), so that the names stay a narrow column and the descriptions wrap beside them on an
    // 80-column terminal instead of starting past its edge.
    .configureHelp({ subcommandTerm: helpTerm, minWidthToWrap: 24 })
    .addHelpText(
      'after',
      `\nExamples:\n  $ actgrad softmax 2 1 0.1 --jacobian\n  $ actgrad sigmoid 0 1 -2 --grad --order 2\n  $ actgrad cross-entropy "2 1 0.1" --target 0 --grad --json\n` +
        `  $ actgrad grad "F.mse_loss(x*w + b, y)" x=1 w=2 b=0 y=1\n  $ actgrad softmax 2 1 0.1 | actgrad log-softmax\n\n` +
        'Exit codes: 0 success, 1 a check failed, 2 usage or input error.',
    );
  // Only the invoked function's subcommand needs its options; the rest are listed for --help.
  const functions = only === 'none' ? [] : registry.filter((d) => !only || d === only);
  const subcommands = [
    ...functions.map((d) => functionCommand(d, io, state)),
    gradCommand(io, state),
    plotCommand(plotted, io),
    listCommand(io),
    explainCommand(io),
    completionCommand(io),
    replCommand(),
  ];
  for (const cmd of subcommands) {
    // --help groups the functions by kind (commander 14's help groups), the other commands apart.
    const d = registry.find((f) => f.name === cmd.name());
    cmd.helpGroup(d ? `${KIND_TITLES[d.kind][0].toUpperCase()}${KIND_TITLES[d.kind].slice(1)}:` : 'Commands:');
    // addCommand does not pass on the parent's settings: each subcommand gets them itself.
    program.addCommand(cmd.exitOverride().configureOutput(output).showSuggestionAfterError(true));
  }
  return program;
}

/** commander's messages, as one line without its "error: " prefix. */
export function commanderMessage(e: CommanderError, captured: string): string {
  const text = (captured || e.message).trim().replace(/^error: /, '');
  return text.replace(/\s*\n\s*/g, ' ').replace(/\(Did you mean/g, '(did you mean');
}

export { CHECK_OPTIONS, OUTPUT_OPTIONS };
