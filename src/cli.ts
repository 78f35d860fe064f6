/**
 * The command line: one commander subcommand per registry entry, plus `list` and `explain`.
 * `run(argv, io)` does everything without touching `process`, so tests call it in-process;
 * `main()` wires it to the real process.
 */
import { Command, CommanderError, Option } from 'commander';
import { compute, lastQuantity, type Result } from './compute';
import { didYouMean, UsageError } from './errors';
import { ExpressionError } from './parse/expression';
import { paramSpecsOf } from './functions/apply';
import { allNames, lookup, namesOf, registry } from './functions/registry';
import type { Descriptor, ParamSpec, Params, ParamValue } from './functions/types';
import { formatJson } from './output/json';
import { formatPlain } from './output/plain';
import { looksNumeric, parseInputArgs, parseNumbers, parseScalar, parseStdin, UNICODE_MINUS } from './parse/numbers';
import type { Tensor } from './tensor';

export interface IO {
  /** the terminal's width, when stdout is a terminal */
  columns?: number;
  stdout(text: string): void;
  stderr(text: string): void;
  stdoutIsTTY: boolean;
  stdinIsTTY: boolean;
  readStdin(): string;
  env: Record<string, string | undefined>;
}

const FORMATS = ['table', 'plain', 'json', 'csv', 'tsv'] as const;
type Format = (typeof FORMATS)[number];

const KIND_TITLES: Record<Descriptor['kind'], string> = {
  elementwise: 'elementwise function',
  vector: 'vector function, applied to each row',
  loss: 'loss',
};

export const flagOf = (name: string): string => `--${name.replace(/_/g, '-')}`;

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

function paramDefaultText(spec: ParamSpec): string {
  if (spec.required) return 'required';
  if (spec.default === null) return 'default: none';
  return `default: ${spec.default}`;
}

function addParamOption(cmd: Command, spec: ParamSpec): void {
  const flag = flagOf(spec.name);
  const help = `${spec.doc} (${paramDefaultText(spec)})`;
  switch (spec.type) {
    case 'boolean':
      cmd.addOption(new Option(flag, help));
      cmd.addOption(new Option(`--no-${flag.slice(2)}`, `set ${spec.name} to false`));
      break;
    case 'choice':
      cmd.addOption(new Option(`${flag} <${spec.name}>`, help).choices(spec.choices ?? []));
      break;
    case 'vector':
      cmd.addOption(new Option(`${flag} <numbers>`, help));
      break;
    default:
      cmd.addOption(new Option(`${flag} <number>`, help));
  }
}

/** commander's option key for a flag: --negative-slope → negativeSlope. */
const optionKey = (name: string): string => name.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());

function resolveParams(d: Descriptor, opts: Record<string, unknown>): Params {
  const params: Params = {};
  const missing: string[] = [];
  for (const spec of paramSpecsOf(d)) {
    const raw = opts[optionKey(spec.name)];
    let v: ParamValue;
    if (raw === undefined) {
      if (spec.required) {
        missing.push(flagOf(spec.name));
        continue;
      }
      v = spec.default as ParamValue;
    } else if (spec.type === 'number') {
      v = parseScalar(String(raw), flagOf(spec.name));
    } else if (spec.type === 'vector') {
      const t = parseNumbers(String(raw), flagOf(spec.name));
      if (t.shape.length !== 1) throw new UsageError(`${flagOf(spec.name)} takes a list of numbers, not a matrix`);
      v = t.data;
    } else {
      v = raw as ParamValue;
    }
    params[spec.name] = v;
  }
  if (missing.length) {
    throw new UsageError(`${d.name} needs ${missing.join(' and ')} (e.g. actgrad ${d.example})`);
  }
  return params;
}

/** What an action reports back to run(): exit code 1 when a check failed. */
interface RunState {
  exitCode: number;
}

interface CheckOptions {
  expect?: string | string[];
  rtol?: string;
  atol?: string;
  gradcheck?: boolean;
}

function addCheckOptions(cmd: Command, repeatable: boolean): void {
  const collect = (value: string, previous: string[] = []): string[] => [...previous, value];
  if (repeatable) {
    cmd.option('--expect <name=numbers>', 'check an answer: value=… or a name=… per gradient (repeatable); exit 0 if right, 1 if not', collect);
  } else {
    cmd.option('--expect <numbers>', 'check an answer against the last requested quantity (Jacobian if -j, else gradient if -g, else value); exit 0 if right, 1 if not');
  }
  cmd
    .option('--rtol <r>', 'with --expect: relative tolerance, replacing the written-precision rule')
    .option('--atol <a>', 'with --expect: absolute tolerance, replacing the written-precision rule')
    .option('--gradcheck', "compare the analytic derivatives with central finite differences (PyTorch gradcheck's atol 1e-5, rtol 1e-3); exit 1 beyond them");
}

const CHECK_HELP =
  '\nChecking answers:\n' +
  '  --expect matches each number to the precision it is written with: 0.659 matches within ±0.0005,\n' +
  '  0.66 within ±0.005, 2 within ±0.5, 1.5e-3 within ±0.05e-3; --rtol/--atol replace that rule.\n' +
  '  A table of expected, actual and difference follows, with a hint when one usual mistake explains\n' +
  '  the mismatches (sign, factor 2 or N, mean vs sum, transposed Jacobian, value vs derivative, …).';

/** Prints the verdicts / gradcheck reports in the chosen format; exit code 1 when one failed. */
function reportChecks(c: import('./output/check').CheckOutput, format: Format, opts: { color: boolean; precision?: number }, io: IO, state: RunState): void {
  const out = require('./output/check') as typeof import('./output/check');
  if (format === 'json') io.stdout(out.formatCheckJson(c, opts.precision));
  else if (format === 'plain') io.stdout(out.formatCheckPlain(c, opts.precision));
  else if (format === 'csv' || format === 'tsv') io.stdout(out.formatCheckDelimited(c, format === 'csv' ? ',' : '\t', opts.precision));
  else io.stdout((require('./output/check-table') as typeof import('./output/check-table')).formatCheckTable(c, opts));
  if (!out.checkPassed(c)) state.exitCode = 1;
}

function checkRule(opts: CheckOptions): import('./check/expect').ToleranceRule {
  if (opts.expect === undefined && (opts.rtol !== undefined || opts.atol !== undefined)) {
    throw new UsageError('--rtol and --atol set the tolerance of --expect; give --expect too');
  }
  return (require('./check/run') as typeof import('./check/run')).toleranceRule(opts.rtol, opts.atol);
}

interface CommonOptions {
  grad?: boolean;
  jacobian?: boolean;
  gradOutput?: string;
  target?: string;
  format?: string;
  json?: boolean;
  precision?: string;
  color?: boolean;
}

function chooseFormat(opts: CommonOptions, io: IO): Format {
  if (opts.json) return 'json';
  if (opts.format) return opts.format as Format;
  return io.stdoutIsTTY ? 'table' : 'plain';
}

function colorAllowed(opts: CommonOptions, io: IO): boolean {
  const noColor = io.env.NO_COLOR !== undefined && io.env.NO_COLOR !== '';
  return io.stdoutIsTTY && !noColor && opts.color !== false;
}

function parsePrecision(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text.replace(UNICODE_MINUS, '-'));
  if (!Number.isInteger(n) || n < 1 || n > 17) throw new UsageError(`--precision takes a whole number of significant digits from 1 to 17, not "${text}"`);
  return n;
}

function readInput(numbers: string[], io: IO): Tensor {
  if (numbers.length === 1 && numbers[0] === '-') return parseStdin(io.readStdin());
  if (numbers.length > 0) return parseInputArgs(numbers);
  const noInput = 'no input numbers: give them as arguments (actgrad softmax 2 1 0.1) or on standard input';
  if (io.stdinIsTTY) throw new UsageError(noInput);
  const text = io.readStdin();
  if (text.trim() === '') throw new UsageError(`${noInput} (standard input was empty)`);
  return parseStdin(text);
}

export function renderResult(r: Result, format: Format, opts: { color: boolean; precision?: number }): string {
  switch (format) {
    case 'json':
      return formatJson(r, opts.precision);
    case 'csv':
    case 'tsv': {
      const { formatDelimited } = require('./output/csv') as typeof import('./output/csv');
      return formatDelimited(r, format === 'csv' ? ',' : '\t', opts.precision);
    }
    case 'table': {
      // Loaded lazily: cli-table3 and chalk cost start-up time that plain and json runs skip.
      const { formatTable } = require('./output/table') as typeof import('./output/table');
      return formatTable(r, opts);
    }
    default:
      return formatPlain(r[lastQuantity(r)] as Tensor, opts.precision);
  }
}

function addOutputOptions(cmd: Command): void {
  cmd
    .addOption(new Option('--format <format>', 'output format (default: table on a terminal, plain when piped)').choices(FORMATS))
    .option('--json', 'same as --format json')
    .option('--precision <digits>', 'significant digits (default: 6 in tables, shortest round-trip elsewhere)')
    .option('--no-color', 'no colour (also when NO_COLOR is set or stdout is not a terminal)');
}

function functionCommand(d: Descriptor, io: IO, state: RunState): Command {
  const cmd = new Command(d.name)
    .description(`${d.summary}  [${KIND_TITLES[d.kind]}; ${d.torch}]`)
    .argument('[numbers...]', 'input numbers: separate arguments, "2,1,0.1", "[2, 1, 0.1]", rows as "1 2; 3 4"; none or - reads standard input')
    .option('-g, --grad', d.kind === 'loss' ? 'gradient of the loss with respect to the input' : d.kind === 'vector' ? 'vector-Jacobian product with --grad-output (default: ones)' : 'the derivative')
    .option('-j, --jacobian', 'the full Jacobian (rows = outputs, columns = inputs; one per row of a batch)')
    .option('--grad-output <numbers>', 'dy for the vector-Jacobian product (the output\'s shape; implies --grad)');
  for (const n of namesOf(d).filter((n) => n !== d.name)) cmd.alias(n);
  if (d.kind === 'loss') {
    const form =
      d.target === 'same' ? 'numbers of the input\'s shape' : d.target === 'class' ? 'class indices, one per row' : 'class indices (one per row) or probabilities (the input\'s shape)';
    cmd.option('--target <numbers>', `target: ${form} (required)`);
  }
  for (const spec of paramSpecsOf(d)) addParamOption(cmd, spec);
  addOutputOptions(cmd);
  addCheckOptions(cmd, false);
  cmd.addHelpText('after', `\nExample:\n  $ actgrad ${d.example}\n${CHECK_HELP}\n\nFormulas and conventions at kinks: actgrad explain ${d.name}`);
  cmd.action((numbers: string[], opts: CommonOptions & CheckOptions & Record<string, unknown>) => {
    const format = chooseFormat(opts, io);
    const precision = parsePrecision(opts.precision);
    const rule = checkRule(opts);
    const request = {
      fn: d,
      input: readInput(numbers, io),
      params: resolveParams(d, opts),
      target: opts.target === undefined ? undefined : parseNumbers(opts.target, '--target'),
      grad: Boolean(opts.grad),
      jacobian: Boolean(opts.jacobian),
      gradOutput: opts.gradOutput === undefined ? undefined : parseNumbers(opts.gradOutput, '--grad-output'),
    };
    const result = compute(request);
    const display = { color: colorAllowed(opts, io), precision };
    if (opts.expect === undefined && !opts.gradcheck) {
      io.stdout(renderResult(result, format, display));
      return;
    }
    const check = require('./check/run') as typeof import('./check/run');
    reportChecks(
      {
        verdicts: opts.expect === undefined ? [] : [check.checkFunction(request, result, opts.expect as string, rule)],
        gradchecks: opts.gradcheck ? [check.gradcheckFunction(request)] : [],
      },
      format,
      display,
      io,
      state,
    );
  });
  return cmd;
}

function listCommand(io: IO): Command {
  return new Command('list')
    .description('every function: its kind, parameters with their defaults, and what it computes')
    .option('--json', 'as JSON')
    .action((opts: { json?: boolean }) => {
      const { listJson, listText } = require('./explain') as typeof import('./explain');
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
      const { explainText } = require('./explain') as typeof import('./explain');
      io.stdout(explainText(d));
    });
}

const GRAD_FLAGS = new Set(['-j', '--jacobian', '--wrt', '--json', '--format', '--precision', '--no-color', '-h', '--help']);

function gradCommand(io: IO, state: RunState): Command {
  const cmd = new Command('grad')
    .description('reverse-mode autograd on a small formula: its value and the gradient with respect to each bound name')
    .argument('<expression>', 'numbers, names, + - * / ^ @, calls such as softmax(a) or mse(p, y), v[i] indexing, parentheses')
    .argument('[bindings...]', 'name=value in the number syntax: x=1 w="0.5 -1" W="1 2; 3 4"')
    .option('--wrt <names>', 'the names to differentiate with respect to, comma-separated (default: every bound name)')
    .option('-j, --jacobian', 'the Jacobian with respect to each name (for an expression that is not a single number)')
    .option('--steps', 'the worked solution: the forward pass node by node, then the backward pass with each local derivative')
    .option('--graph <file.dot>', 'write the computational graph in Graphviz DOT, values and gradients on the nodes');
  addOutputOptions(cmd);
  addCheckOptions(cmd, true);
  cmd.addHelpText(
    'after',
    '\nExamples:\n  $ actgrad grad "mse(x*w + b, y)" x=1 w=2 b=0 y=1\n  $ actgrad grad "softmax(a)[1]" a=2,1,0.1\n  $ actgrad grad "W @ x + b" W="1 2; 3 4" x=1,1 b=0,0 --jacobian --wrt x\n\n' +
      'Functions: every actgrad function with - written _ (log_softmax(z), cross_entropy(z, 2)), and sum, mean, dot, exp, log, sqrt, abs, norm.\n' +
      'Parameters as keywords: leaky_relu(x, negative_slope=0.2), gelu(x, approximate=\'tanh\'), mse(p, y, reduction=\'sum\').\n' +
      'Check a homework answer: actgrad grad "mse(x*w + b, y)" x=1 w=2 b=0 y=1 --expect value=1 --expect w=2\n' +
      CHECK_HELP,
  );
  cmd.action((expression: string, bindingTexts: string[], opts: CommonOptions & CheckOptions & { wrt?: string; steps?: boolean; graph?: string }) => {
    const { computeGrad, parseBinding } = require('./grad') as typeof import('./grad');
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
      const { formatDot } = require('./output/steps') as typeof import('./output/steps');
      writeOutputFile(opts.graph, formatDot(result.steps!, precision), '--graph');
    }
    if (opts.steps) {
      const steps = require('./output/steps') as typeof import('./output/steps');
      if (format === 'json') {
        const base = JSON.parse((require('./output/grad') as typeof import('./output/grad')).formatGradJson(result, precision));
        io.stdout(`${(require('./output/json') as typeof import('./output/json')).stringifyJson({ ...base, steps: steps.stepsJson(result.steps!) }, precision)}\n`);
      } else if (format === 'table') {
        const { formatStepsTable } = require('./output/steps-table') as typeof import('./output/steps-table');
        io.stdout(formatStepsTable(result.steps!, { color: colorAllowed(opts, io), precision }));
      } else {
        io.stdout(steps.formatStepsPlain(result.steps!, precision));
      }
      return;
    }
    if (opts.expect !== undefined || opts.gradcheck) {
      const check = require('./check/run') as typeof import('./check/run');
      reportChecks(
        {
          verdicts: opts.expect === undefined ? [] : check.checkGrad(result, opts.expect as string[], rule),
          gradchecks: opts.gradcheck ? check.gradcheckGrad(result, bindings) : [],
        },
        format,
        { color: colorAllowed(opts, io), precision },
        io,
        state,
      );
      return;
    }
    const out = require('./output/grad') as typeof import('./output/grad');
    if (format === 'json') io.stdout(out.formatGradJson(result, precision));
    else if (format === 'plain') io.stdout(out.formatGradPlain(result, precision));
    else if (format === 'csv' || format === 'tsv') io.stdout(out.formatGradDelimited(result, format === 'csv' ? ',' : '\t', precision));
    else {
      const { renderTables } = require('./output/table') as typeof import('./output/table');
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
  for (const spec of d ? paramSpecsOf(d).filter((p) => p.name !== 'reduction') : []) addParamOption(cmd, spec);
  cmd.addHelpText(
    'after',
    '\nExamples:\n  $ actgrad plot sigmoid\n  $ actgrad plot relu --from -2 --to 2\n  $ actgrad plot bce --target 1\n  $ actgrad plot huber --target 0 --delta 1 --svg huber.svg\n\n' +
      'Vector functions are plotted along the slice f([x, 0]) (first output); losses as a function of one input x with --target fixed.',
  );
  cmd.action((_name: string, opts: Record<string, unknown>) => {
    const fn = d!;
    const { curveOf, defaultRange } = require('./plot/sample') as typeof import('./plot/sample');
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
      const { svgChart } = require('./plot/svg') as typeof import('./plot/svg');
      const points = integer('--points', opts.points, 400, 10, 100000);
      const chart = svgChart(curve, from, to, { points, title: `${curve.label} and its derivative on [${from}, ${to}]`, params: shownParams });
      writeOutputFile(String(opts.svg), chart.svg, '--svg');
      io.stdout(`wrote ${opts.svg}: ${curve.label} and ${curve.derivativeLabel} on [${from}, ${to}], ${points} samples each\n`);
      return;
    }
    const { terminalChart } = require('./plot/terminal') as typeof import('./plot/terminal');
    const width = integer('--width', opts.width, io.stdoutIsTTY && io.columns ? io.columns : 80, 30, 1000);
    const height = integer('--height', opts.height, 20, 5, 200);
    io.stdout(terminalChart(curve, from, to, { width, height, color: colorAllowed(opts as CommonOptions, io), params: shownParams }).text);
  });
  return cmd;
}

function buildProgram(
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
    .version(require('../package.json').version as string, '-V, --version')
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
function commanderMessage(e: CommanderError, captured: string): string {
  const text = (captured || e.message).trim().replace(/^error: /, '');
  return text.replace(/\s*\n\s*/g, ' ').replace(/\(Did you mean/g, '(did you mean');
}

/** Writes a file the user asked for (--graph, --svg); a failure is an input error naming the file. */
export function writeOutputFile(path: string, text: string, flag: string): void {
  try {
    (require('node:fs') as typeof import('node:fs')).writeFileSync(path, text);
  } catch (e) {
    throw new UsageError(`${flag} ${path}: cannot write the file (${(e as NodeJS.ErrnoException).code ?? 'error'})`);
  }
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

/** Runs actgrad with argv (without "node actgrad"); returns the exit code. */
export function run(argv: readonly string[], io: IO): number {
  const args = normalizeArgv(argv);
  // commander's own messages are captured and reprinted as one line.
  let captured = '';
  try {
    const first = args[0];
    if (first === undefined) {
      io.stderr(buildProgram(io).helpInformation());
      return 2;
    }
    const fn = first.startsWith('-') ? undefined : lookup(first);
    const special = ['grad', 'plot', 'list', 'explain'].includes(first);
    if (!first.startsWith('-') && !fn && !special && first !== 'help') {
      throw new UsageError(`unknown function "${first}"${didYouMean(first, [...allNames(), 'grad', 'plot', 'list', 'explain'])}; actgrad list shows them all`);
    }
    // plot's options are the plotted function's parameters: look it up first.
    let plotted: Descriptor | undefined;
    if (first === 'plot' && args[1] !== undefined && !args[1].startsWith('-')) {
      plotted = lookup(args[1]);
      if (!plotted) throw new UsageError(`unknown function "${args[1]}"${didYouMean(args[1], allNames())}; actgrad list shows them all`);
    } else if (first === 'plot' && !args.some((a) => a === '--help' || a === '-h')) {
      throw new UsageError('plot needs a function: actgrad plot sigmoid (actgrad plot --help for the options)');
    }
    // Build only the subcommand that runs (all of them for help and unknown options).
    const state: RunState = { exitCode: 0 };
    const program = buildProgram(io, special ? 'none' : first === 'help' ? undefined : fn, (s) => (captured += s), state, plotted);
    program.parse(args, { from: 'user' });
    return state.exitCode;
  } catch (e) {
    if (e instanceof CommanderError) {
      if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.code === 'commander.help') return 0;
      io.stderr(`actgrad: error: ${commanderMessage(e, captured)}\n`);
      return 2;
    }
    if (e instanceof ExpressionError) {
      // The expression first, so that the caret line lines up under the column at fault.
      const prefix = 'actgrad: error: ';
      const { shown, column } = excerpt(e.expression.replace(/\s/g, ' '), e.pos);
      io.stderr(`${prefix}${shown}: ${e.message}\n${' '.repeat(prefix.length + column)}^\n`);
      return 2;
    }
    if (e instanceof UsageError) {
      io.stderr(`actgrad: error: ${e.message}\n${e.detail ? `${e.detail}\n` : ''}`);
      return 2;
    }
    const message = e instanceof Error ? e.message : String(e);
    io.stderr(`actgrad: internal error: ${message.split('\n')[0]} (please report it)\n`);
    return 2;
  }
}

export function main(): void {
  const io: IO = {
    stdout: (s) => void process.stdout.write(s),
    stderr: (s) => void process.stderr.write(s),
    stdoutIsTTY: Boolean(process.stdout.isTTY),
    columns: process.stdout.columns,
    stdinIsTTY: Boolean(process.stdin.isTTY),
    readStdin: () => (require('./stdin') as typeof import('./stdin')).readStdinSync(),
    env: process.env,
  };
  // A closed pipe (actgrad ... | head -1) is not an error: stop quietly.
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw err;
  });
  process.exitCode = run(process.argv.slice(2), io);
}
