/**
 * The options of a function subcommand, as data: commander builds its subcommand from this list,
 * and the fast path (fast.ts) parses plain invocations with the same list, so the two cannot drift.
 */
import { paramSpecsOf } from '../functions/apply';
import type { Descriptor, ParamSpec } from '../functions/types';

export interface OptionSpec {
  /** commander's flags: "-g, --grad", "--target <numbers>", "--no-color" */
  flags: string;
  description: string;
  choices?: readonly string[];
}

export const FORMATS = ['table', 'plain', 'json', 'csv', 'tsv'] as const;
export type Format = (typeof FORMATS)[number];

export const flagOf = (name: string): string => `--${name.replace(/_/g, '-')}`;

/** commander's option key for a flag: --negative-slope → negativeSlope, --no-color → color. */
export const optionKey = (long: string): string => long.replace(/^no-/, '').replace(/[-_]([a-z])/g, (_, c: string) => c.toUpperCase());

function paramDefaultText(spec: ParamSpec): string {
  if (spec.required) return 'required';
  if (spec.default === null) return 'default: none';
  return `default: ${spec.default}`;
}

export function paramOptions(spec: ParamSpec): OptionSpec[] {
  const flag = flagOf(spec.name);
  const description = `${spec.doc} (${paramDefaultText(spec)})`;
  switch (spec.type) {
    case 'boolean':
      return [
        { flags: flag, description },
        { flags: `--no-${flag.slice(2)}`, description: `set ${spec.name} to false` },
      ];
    case 'choice':
      return [{ flags: `${flag} <${spec.name}>`, description, choices: spec.choices ?? [] }];
    case 'vector':
      return [{ flags: `${flag} <numbers>`, description }];
    default:
      return [{ flags: `${flag} <number>`, description }];
  }
}

export const OUTPUT_OPTIONS: readonly OptionSpec[] = [
  { flags: '--format <format>', description: 'output format (default: table on a terminal, plain when piped)', choices: FORMATS },
  { flags: '--json', description: 'same as --format json' },
  { flags: '--precision <digits>', description: 'significant digits (default: 6 in tables, shortest round-trip elsewhere)' },
  { flags: '--no-color', description: 'no colour (also when NO_COLOR is set or stdout is not a terminal)' },
];

export const CHECK_OPTIONS: readonly OptionSpec[] = [
  {
    flags: '--expect <numbers>',
    description: 'check an answer against the last requested quantity (Jacobian if -j, else gradient if -g, else value); exit 0 if right, 1 if not',
  },
  { flags: '--rtol <r>', description: 'with --expect: relative tolerance, replacing the written-precision rule' },
  { flags: '--atol <a>', description: 'with --expect: absolute tolerance, replacing the written-precision rule' },
  { flags: '--gradcheck', description: "compare the analytic derivatives with central finite differences (PyTorch gradcheck's atol 1e-5, rtol 1e-3); exit 1 beyond them" },
];

/** Every option of a function's subcommand, in the order --help lists them. */
export function functionOptions(d: Descriptor): OptionSpec[] {
  const grad =
    d.kind === 'loss' ? 'gradient of the loss with respect to the input' : d.kind === 'vector' ? 'vector-Jacobian product with --grad-output (default: ones)' : 'the derivative';
  const out: OptionSpec[] = [
    { flags: '-g, --grad', description: grad },
    { flags: '-j, --jacobian', description: 'the full Jacobian (rows = outputs, columns = inputs; one per row of a batch)' },
    { flags: '--grad-output <numbers>', description: "dy for the vector-Jacobian product (the output's shape; implies --grad)" },
  ];
  if (d.kind === 'loss') {
    const form =
      d.target === 'same' ? "numbers of the input's shape" : d.target === 'class' ? 'class indices, one per row' : "class indices (one per row) or probabilities (the input's shape)";
    out.push({ flags: '--target <numbers>', description: `target: ${form} (required)` });
  }
  for (const spec of paramSpecsOf(d)) out.push(...paramOptions(spec));
  return [...out, ...OUTPUT_OPTIONS, ...CHECK_OPTIONS];
}

/** The parts of a flags string: short letter, long name, negation, whether it takes a value. */
export function flagParts(flags: string): { short?: string; long: string; negate: boolean; takesValue: boolean } {
  const m = /^(?:-(\w), )?--([\w-]+)(?: <[^>]+>)?$/.exec(flags);
  if (!m) throw new Error(`flagParts: unexpected flags "${flags}"`);
  return { short: m[1], long: m[2], negate: m[2].startsWith('no-'), takesValue: flags.includes('<') };
}
