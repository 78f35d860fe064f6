/**
 * The flags of every command, as data. commander builds its subcommands from these lists, the
 * fast path (fast.ts) parses plain invocations with the same lists, completion and the man page
 * are generated from them: one list, so they cannot drift. A function's flags come from its
 * descriptor's PyTorch arguments.
 */
import { UsageError } from '../errors';
import { flagArgs, flagOf } from '../functions/args';
import type { ArgSpec, Descriptor } from '../functions/types';
import { FORMATS } from '../render/index';

export interface OptionSpec {
  /** commander's flags: "-g, --grad", "--target <numbers>", "--no-color" */
  flags: string;
  description: string;
  choices?: readonly string[];
  /** may be given several times (each value collected) */
  repeatable?: boolean;
}

export const COLOR_MODES = ['auto', 'always', 'never'] as const;

/** The commands besides the functions, in the order --help lists them. */
export const COMMANDS = ['grad', 'plot', 'list', 'explain', 'completion', 'repl'] as const;

export { flagOf };

/** commander's option key for a flag: --negative-slope → negativeSlope, --no-color → color. */
export const optionKey = (long: string): string => long.replace(/^no-/, '').replace(/[-_]([a-z0-9])/g, (_, c: string) => c.toUpperCase());

function defaultText(spec: ArgSpec): string {
  if (spec.default === undefined) return 'required';
  if (spec.default === null) return 'default: none';
  if (Array.isArray(spec.default)) return `default: ${spec.default.join(',')}`;
  return `default: ${spec.default}`;
}

/** The flag(s) of one argument: --name <value>, or --name and --no-name for a boolean. */
export function argOptions(spec: ArgSpec): OptionSpec[] {
  const flag = flagOf(spec.name);
  const description = `${spec.doc} (${defaultText(spec)})`;
  switch (spec.type) {
    case 'boolean':
      return [
        { flags: flag, description },
        { flags: `--no-${flag.slice(2)}`, description: `set ${spec.name} to False` },
      ];
    case 'choice':
      return [{ flags: `${flag} <${spec.name.replace(/_/g, '-')}>`, description, choices: spec.choices ?? [] }];
    case 'tensor':
      return [{ flags: `${flag} <numbers>`, description }];
    case 'ints':
      return [{ flags: `${flag} <ints>`, description }];
    default:
      return [{ flags: `${flag} <number>`, description }];
  }
}

export const OUTPUT_OPTIONS: readonly OptionSpec[] = [
  { flags: '--format <format>', description: 'output format (default: table on a terminal, plain when piped)', choices: FORMATS },
  { flags: '--json', description: 'same as --format json' },
  { flags: '--precision <digits>', description: 'significant digits (default: 6 in tables, shortest round-trip elsewhere)' },
  { flags: '--rows <n>', description: "table rows shown before the middle is elided (default 40; 'all' for every row)" },
  { flags: '--color <when>', description: 'colour: auto (on a terminal, unless NO_COLOR or TERM=dumb), always, never', choices: COLOR_MODES },
  { flags: '--no-color', description: 'same as --color never' },
];

export const CHECK_OPTIONS: readonly OptionSpec[] = [
  {
    flags: '--expect <answer>',
    description: 'check an answer (numbers, or a formula in x) against the last requested quantity; exit 0 if right, 1 if not',
  },
  { flags: '--rtol <r>', description: 'with --expect: relative tolerance, replacing the written-precision rule' },
  { flags: '--atol <a>', description: 'with --expect: absolute tolerance, replacing the written-precision rule' },
  { flags: '--gradcheck', description: "compare the analytic derivatives with central finite differences (PyTorch gradcheck's atol 1e-5, rtol 1e-3); exit 1 beyond them" },
  { flags: '--step <h>', description: 'with --gradcheck: the finite-difference step (printing the numerical estimate beside the analytic one)' },
];

/** Every option of a function's subcommand, in the order --help lists them. */
export function functionOptions(d: Descriptor): OptionSpec[] {
  const grad =
    d.kind === 'loss'
      ? 'gradient of the loss with respect to the input'
      : d.kind === 'elementwise'
        ? 'the derivative (with --order N: the N-th derivative)'
        : 'vector-Jacobian product with --grad-output (default: ones)';
  const out: OptionSpec[] = [
    { flags: '-g, --grad', description: grad },
    { flags: '-j, --jacobian', description: 'the full Jacobian (rows = outputs, columns = inputs; one per row of a batch)' },
    { flags: '--grad-output <numbers>', description: "dy for the vector-Jacobian product (the output's shape; implies --grad)" },
  ];
  if (d.kind === 'elementwise') out.push({ flags: '--order <n>', description: 'with --grad: the N-th derivative (N ≥ 1)' });
  out.push(
    { flags: '-H, --hessian', description: 'the Hessian, over the flattened input, of the scalar that --grad differentiates' },
    { flags: '--hvp <numbers>', description: "the Hessian-vector product with these numbers (the input's shape)" },
    { flags: '--jvp <numbers>', description: "the Jacobian-vector product (forward mode) with this tangent (the input's shape)" },
  );
  for (const spec of flagArgs(d)) out.push(...argOptions(spec));
  return [...out, ...OUTPUT_OPTIONS, ...CHECK_OPTIONS];
}

export const GRAD_OPTIONS: readonly OptionSpec[] = [
  { flags: '--wrt <names>', description: 'the names to differentiate with respect to, comma-separated (default: every bound name)' },
  { flags: '-j, --jacobian', description: 'the Jacobian with respect to each name (for a result that is not a single number)' },
  { flags: '--grad-output <numbers>', description: "y.backward(gradient): the gradient seeded at a non-scalar result (the result's shape)" },
  { flags: '--no-grad', description: 'the value alone' },
  { flags: '-H, --hessian', description: 'the Hessian over the flattened --wrt names' },
  { flags: '--hvp <numbers>', description: 'the Hessian-vector product (the flattened --wrt names in order)' },
  { flags: '--symbolic', description: 'each derivative as a formula, simplified' },
  { flags: '--steps', description: 'the worked solution: the forward pass node by node, then the backward pass with each local derivative' },
  { flags: '--graph <file.dot>', description: 'write the computational graph in Graphviz DOT, values and gradients on the nodes' },
  ...OUTPUT_OPTIONS,
  { flags: '--expect <name=answer>', description: 'check an answer: value=… or a name=… per gradient, numbers or a formula (repeatable); exit 0 if right, 1 if not', repeatable: true },
  ...CHECK_OPTIONS.filter((o) => !o.flags.startsWith('--expect')),
  { flags: '--eps <h>', description: "with --gradcheck: the finite-difference step (gradcheck's name for --step)" },
];

/**
 * plot's options: the range, the SVG and chart sizes, colour, then the plotted function's own
 * parameters (a loss's --target is the fixed target of the curve). One list for commander and the
 * fast path.
 */
export function plotOptions(d: Descriptor | undefined): OptionSpec[] {
  const out: OptionSpec[] = [
    { flags: '--from <a>', description: 'left end of the x range (default -6; 0 for bce)' },
    { flags: '--to <b>', description: 'right end of the x range (default 6; 1 for bce)' },
    { flags: '--svg <file>', description: "write a standalone SVG file instead of printing a chart ('-': standard output)" },
    { flags: '--width <n>', description: "chart width in columns (default: the terminal's, 80 when not a terminal); SVG width in pixels" },
    { flags: '--height <n>', description: 'chart height in rows (default 20); SVG height in pixels' },
    { flags: '--points <n>', description: 'samples per curve in the SVG (default 400)' },
    ...OUTPUT_OPTIONS.filter((o) => o.flags.startsWith('--color') || o.flags.startsWith('--no-color')),
  ];
  if (d?.kind === 'loss') out.push({ flags: '--target <number>', description: 'the fixed target: the loss is plotted as a function of one input x (required)' });
  for (const spec of d ? d.args.slice(1).filter((s) => !s.legacy && !s.expressionOnly && s.name !== 'reduction' && s.name !== 'target') : []) out.push(...argOptions(spec));
  return out;
}

/** The parts of a flags string: short letter, long name, negation, whether it takes a value. */
export function flagParts(flags: string): { short?: string; long: string; negate: boolean; takesValue: boolean } {
  const m = /^(?:-(\w), )?--([\w-]+)(?: <[^>]+>)?$/.exec(flags);
  if (!m) throw new Error(`flagParts: unexpected flags "${flags}"`);
  return { short: m[1], long: m[2], negate: m[2].startsWith('no-'), takesValue: flags.includes('<') };
}

/**
 * A value that is one of the command's own options (`plot sigmoid --svg --width 300`) means the
 * value was left out: the error says so, in the fast path and in commander alike.
 */
export function valueLeftOut(long: string, value: string, isOption: (long: string) => boolean): UsageError | undefined {
  if (!value.startsWith('--') || !isOption(value.slice(2).split('=')[0])) return undefined;
  return new UsageError(`--${long} needs a value before ${value.split('=')[0]}${long === 'svg' ? " (a file name, or '-' for standard output)" : ''}`);
}
