/**
 * The commander program: one subcommand per registry entry, plus grad, plot, list and explain.
 * Loaded for everything but plain function runs (see fast.ts), so help, errors and suggestions
 * are commander's.
 */
import { Command, CommanderError, Option } from 'commander';
import { UsageError, didYouMean } from '../errors';
import { paramSpecsOf } from '../functions/apply';
import { allNames, lookup, namesOf, registry } from '../functions/registry';
import type { Descriptor } from '../functions/types';
import { parseNumbers, parseScalar, UNICODE_MINUS } from '../parse/numbers';
import {
  type CheckOptions,
  checkRule,
  chooseFormat,
  colorAllowed,
  type CommonOptions,
  type IO,
  parsePrecision,
  reportChecks,
  resolveParams,
  type RunState,
  writeOutputFile,
} from './common';
import { runFunction } from './function';
import { CHECK_OPTIONS, functionOptions, OUTPUT_OPTIONS, type OptionSpec, paramOptions } from './options';

export { CommanderError };

const KIND_TITLES: Record<Descriptor['kind'], string> = {
  elementwise: 'elementwise function',
  vector: 'vector function, applied to each row',
  loss: 'loss',
};

const CHECK_HELP =
  '\nChecking answers:\n' +
  '  --expect matches each number to the precision it is written with: 0.659 matches within ±0.0005,\n' +
  '  0.66 within ±0.005, 2 within ±0.5, 1.5e-3 within ±0.05e-3; --rtol/--atol replace that rule.\n' +
  '  A table of expected, actual and difference follows, with a hint when one usual mistake explains\n' +
  '  the mismatches (sign, factor 2 or N, mean vs sum, transposed Jacobian, value vs derivative, …).';

function addOptions(cmd: Command, specs: readonly OptionSpec[]): Command {
  for (const s of specs) {
    const o = new Option(s.flags, s.description);
    cmd.addOption(s.choices ? o.choices(s.choices) : o);
  }
  return cmd;
}

function functionCommand(d: Descriptor, io: IO, state: RunState): Command {
  const cmd = new Command(d.name)
    .description(`${d.summary}  [${KIND_TITLES[d.kind]}; ${d.torch}]`)
    .argument('[numbers...]', 'input numbers: separate arguments, "2,1,0.1", "[2, 1, 0.1]", rows as "1 2; 3 4"; none or - reads standard input');
  for (const n of namesOf(d).filter((n) => n !== d.name)) cmd.alias(n);
  addOptions(cmd, functionOptions(d));
  cmd.addHelpText('after', `\nExample:\n  $ actgrad ${d.example}\n${CHECK_HELP}\n\nFormulas and conventions at kinks: actgrad explain ${d.name}`);
  cmd.action((numbers: string[], opts: CommonOptions & CheckOptions & Record<string, unknown>) => runFunction(d, numbers, opts, io, state));
  return cmd;
}

function listCommand(io: IO): Command {
  return new Command('list')
    .description('every function: its kind, parameters with their defaults, and what it computes')
    .option('--json', 'as JSON')
    .action((opts: { json?: boolean }) => {
      const { listJson, listText } = require('../explain') as typeof import('../explain');
      io.stdout(opts.json ? listJson() : listText(io.stdoutIsTTY && !(io.env.NO_COLOR ?? '')));
    });
}

function explainCommand(io: IO): Command {
  return new Command('explain')
    .description('formulas of value and derivative, parameters and defaults, the PyTorch call, conventions at kinks')
    .argument('<function>', 'a function name, e.g. softmax')
    .addHelpText('after', '\nExample:\n  $ actgrad explain gelu')
    .action((name: string) => {
      const d = lookup(name);
      if (!d) throw new UsageError(`unknown function "${name}"${didYouMean(name, allNames())}; actgrad list shows them all`);
      const { explainText } = require('../explain') as typeof import('../explain');
      io.stdout(explainText(d));
    });
}

function gradCommand(io: IO, state: RunState): Command {
  const cmd = new Command('grad')
    .description('reverse-mode autograd on a small formula: its value and the gradient with respect to each bound name')
    .argument('<expression>', 'numbers, names, + - * / ^ @, calls such as softmax(a) or mse(p, y), v[i] indexing, parentheses')
    .argument('[bindings...]', 'name=value in the number syntax: x=1 w="0.5 -1" W="1 2; 3 4"')
    .option('--wrt <names>', 'the names to differentiate with respect to, comma-separated (default: every bound name)')
    .option('-j, --jacobian', 'the Jacobian with respect to each name (for an expression that is not a single number)')
    .option('--steps', 'the worked solution: the forward pass node by node, then the backward pass with each local derivative')
    .option('--graph <file.dot>', 'write the computational graph in Graphviz DOT, values and gradients on the nodes');
  addOptions(cmd, OUTPUT_OPTIONS);
  const collect = (value: string, previous: string[] = []): string[] => [...previous, value];
  cmd.option('--expect <name=numbers>', 'check an answer: value=… or a name=… per gradient (repeatable); exit 0 if right, 1 if not', collect);
  addOptions(cmd, CHECK_OPTIONS.filter((o) => !o.flags.startsWith('--expect')));
  cmd.addHelpText(
    'after',
    '\nExamples:\n  $ actgrad grad "mse(x*w + b, y)" x=1 w=2 b=0 y=1\n  $ actgrad grad "softmax(a)[1]" a=2,1,0.1\n  $ actgrad grad "W @ x + b" W="1 2; 3 4" x=1,1 b=0,0 --jacobian --wrt x\n\n' +
      'Functions: every actgrad function with - written _ (log_softmax(z), cross_entropy(z, 2)), and sum, mean, dot, exp, log, sqrt, abs, norm.\n' +
      'Parameters as keywords: leaky_relu(x, negative_slope=0.2), gelu(x, approximate=\'tanh\'), mse(p, y, reduction=\'sum\').\n' +
      'Check a homework answer: actgrad grad "mse(x*w + b, y)" x=1 w=2 b=0 y=1 --expect value=1 --expect w=2\n' +
      CHECK_HELP,
  );
  cmd.action((expression: string, bindingTexts: string[], opts: CommonOptions & CheckOptions & { wrt?: string; steps?: boolean; graph?: string }) => {
    const { computeGrad, parseBinding } = require('../grad') as typeof import('../grad');
    const format = chooseFormat(opts, io);
    const precision = parsePrecision(opts.precision);
    const rule = checkRule(opts);
    const bindings = bindingTexts.map(parseBinding);
    const result = computeGrad({
      expression: expression.replace(/^\u2212/, '-'),
      bindings,
      wrt: opts.wrt?.split(',').map((w) => w.trim()).filter(Boolean),
      jacobian: Boolean(opts.jacobian),
      steps: Boolean(opts.steps || opts.graph),
    });
    if (opts.graph !== undefined) {
      const { formatDot } = require('../output/steps') as typeof import('../output/steps');
      writeOutputFile(opts.graph, formatDot(result.steps!, precision), '--graph');
    }
    if (opts.steps) {
      const steps = require('../output/steps') as typeof import('../output/steps');
      if (format === 'json') {
        const base = JSON.parse((require('../output/grad') as typeof import('../output/grad')).formatGradJson(result, precision));
        io.stdout(`${(require('../output/json') as typeof import('../output/json')).stringifyJson({ ...base, steps: steps.stepsJson(result.steps!) }, precision)}\n`);
      } else if (format === 'table') {
        const { formatStepsTable } = require('../output/steps-table') as typeof import('../output/steps-table');
        io.stdout(formatStepsTable(result.steps!, { color: colorAllowed(opts, io), precision }));
      } else {
        io.stdout(steps.formatStepsPlain(result.steps!, precision));
      }
      return;
    }
    if (opts.expect !== undefined || opts.gradcheck) {
      const check = require('../check/run') as typeof import('../check/run');
      reportChecks(
        {
          verdicts: opts.expect === undefined ? [] : check.checkGrad(result, opts.expect as string[], rule!),
          gradchecks: opts.gradcheck ? check.gradcheckGrad(result, bindings) : [],
        },
        format,
        { color: colorAllowed(opts, io), precision },
        io,
        state,
      );
      return;
    }
    const out = require('../output/grad') as typeof import('../output/grad');
    if (format === 'json') io.stdout(out.formatGradJson(result, precision));
    else if (format === 'plain') io.stdout(out.formatGradPlain(result, precision));
    else if (format === 'csv' || format === 'tsv') io.stdout(out.formatGradDelimited(result, format === 'csv' ? ',' : '\t', precision));
    else {
      const { renderTables } = require('../output/table') as typeof import('../output/table');
      io.stdout(renderTables(`grad of ${result.expression}`, out.gradSections(result), { color: colorAllowed(opts, io), precision }));
    }
  });
  return cmd;
}

function plotCommand(d: Descriptor | undefined, io: IO): Command {
  const cmd = new Command('plot')
    .description('f and its derivative as a chart in the terminal, or as an SVG file')
    .argument('<function>', 'the function to plot, e.g. sigmoid')
    .option('--from <a>', 'left end of the x range (default -6; 0 for bce)')
    .option('--to <b>', 'right end of the x range (default 6; 1 for bce)')
    .option('--svg <file>', 'write a standalone SVG file instead of printing a chart')
    .option('--width <columns>', 'chart width in columns (default: the terminal\'s, 80 when not a terminal)')
    .option('--height <rows>', 'chart height in rows (default 20)')
    .option('--points <n>', 'samples per curve in the SVG (default 400)')
    .option('--no-color', 'no colour (also when NO_COLOR is set or stdout is not a terminal)');
  if (d?.kind === 'loss') cmd.option('--target <number>', 'the fixed target: the loss is plotted as a function of one input x (required)');
  for (const spec of d ? paramSpecsOf(d).filter((p) => p.name !== 'reduction') : []) addOptions(cmd, paramOptions(spec));
  cmd.addHelpText(
    'after',
    '\nExamples:\n  $ actgrad plot sigmoid\n  $ actgrad plot relu --from -2 --to 2\n  $ actgrad plot bce --target 1\n  $ actgrad plot huber --target 0 --delta 1 --svg huber.svg\n\n' +
      'Vector functions are plotted along the slice f([x, 0]) (first output); losses as a function of one input x with --target fixed.',
  );
  cmd.action((_name: string, opts: Record<string, unknown>) => {
    const fn = d!;
    const { curveOf, defaultRange } = require('../plot/sample') as typeof import('../plot/sample');
    const integer = (flag: string, text: unknown, fallback: number, lo: number, hi: number): number => {
      if (text === undefined) return fallback;
      const v = Number(String(text).replace(UNICODE_MINUS, '-'));
      if (!Number.isInteger(v) || v < lo || v > hi) throw new UsageError(`${flag} takes a whole number from ${lo} to ${hi}, not "${text}"`);
      return v;
    };
    const [defFrom, defTo] = defaultRange(fn);
    const from = opts.from === undefined ? defFrom : parseScalar(String(opts.from), '--from');
    const to = opts.to === undefined ? defTo : parseScalar(String(opts.to), '--to');
    if (!(Number.isFinite(from) && Number.isFinite(to) && from < to)) throw new UsageError(`--from must be less than --to, both finite (got ${from} and ${to})`);
    const params = resolveParams(fn, { reduction: 'mean', ...opts });
    const problem = fn.checkParams?.(params);
    if (problem) throw new UsageError(problem);
    const target = opts.target === undefined ? undefined : parseNumbers(String(opts.target), '--target');
    const curve = curveOf(fn, params, target);
    const shownParams = Object.entries(params)
      .filter(([k]) => k !== 'reduction')
      .map(([k, v]) => `${k}=${v instanceof Float64Array ? `[${Array.from(v).join(', ')}]` : v === null ? 'None' : v}`)
      .join(', ');
    if (opts.svg !== undefined) {
      const { svgChart } = require('../plot/svg') as typeof import('../plot/svg');
      const points = integer('--points', opts.points, 400, 10, 100000);
      const chart = svgChart(curve, from, to, { points, title: `${curve.label} and its derivative on [${from}, ${to}]`, params: shownParams });
      writeOutputFile(String(opts.svg), chart.svg, '--svg');
      io.stdout(`wrote ${opts.svg}: ${curve.label} and ${curve.derivativeLabel} on [${from}, ${to}], ${points} samples each\n`);
      return;
    }
    const { terminalChart } = require('../plot/terminal') as typeof import('../plot/terminal');
    const width = integer('--width', opts.width, io.stdoutIsTTY && io.columns ? io.columns : 80, 30, 1000);
    const height = integer('--height', opts.height, 20, 5, 200);
    io.stdout(terminalChart(curve, from, to, { width, height, color: colorAllowed(opts as CommonOptions, io), params: shownParams }).text);
  });
  return cmd;
}

export function buildProgram(
  io: IO,
  only?: Descriptor | 'none',
  writeErr: (s: string) => void = io.stderr,
  state: RunState = { exitCode: 0 },
  plotted?: Descriptor,
): Command {
  const output = { writeOut: (s: string) => io.stdout(s), writeErr };
  const program = new Command('actgrad')
    .description('Activation functions, losses, derivatives, gradients and Jacobians, agreeing with PyTorch in float64.')
    .usage('<function> [numbers...] [options]')
    .version(require('../../package.json').version as string, '-V, --version')
    .configureOutput(output)
    .exitOverride()
    .showSuggestionAfterError(true)
    .addHelpText(
      'after',
      `\nExamples:\n  $ actgrad softmax 2 1 0.1 --jacobian\n  $ actgrad sigmoid -100 0 100 --grad\n  $ actgrad cross-entropy "2 1 0.1" --target 0 --grad --json\n  $ actgrad softmax 2 1 0.1 | actgrad log-softmax\n\n` +
        'Exit codes: 0 success, 1 a check failed, 2 usage or input error.',
    );
  // Only the invoked function's subcommand needs its options; the rest are listed for --help.
  const functions = only === 'none' ? [] : registry.filter((d) => !only || d === only);
  const subcommands = [...functions.map((d) => functionCommand(d, io, state)), gradCommand(io, state), plotCommand(plotted, io), listCommand(io), explainCommand(io)];
  for (const cmd of subcommands) {
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

