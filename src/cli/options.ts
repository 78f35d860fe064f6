/**
 * The options layer: what commander or the fast path parsed from argv (strings and flags under
 * commander's keys) becomes one typed, validated options object per command. Both parsers feed
 * the same functions here, and every input source goes through the same validation of
 * parameters (bindArgs) afterwards, so the paths cannot disagree.
 */
import { ActgradError, UsageError } from '../errors';
import { flagArgs } from '../functions/args';
import type { Descriptor } from '../functions/types';
import { lazyRegExp, NAME_PATTERN } from '../parse/names';
import { parseNumberToken, parseScalar, UNICODE_MINUS } from '../parse/numbers';
import { parseStdin } from '../parse/rows';
import type { Tensor } from '../tensor';
import { type ColorFlag, colorEnabled, supportsUnicode } from '../render/terminal';
import { type Format, FORMATS, type RenderOptions } from '../render/index';
import { COLOR_MODES, flagOf, optionKey } from './flags';
import { type IO, numbersArg, readFileArg } from './io';

export type Raw = Record<string, string | boolean | string[] | undefined>;

/** The output options are the renderer's options: chosen here once, from the flags and the terminal. */
export type OutputOptions = RenderOptions;

export interface CheckOptions {
  /** --expect texts (one per flag) */
  expect?: string[];
  rtol?: number;
  atol?: number;
  gradcheck: boolean;
  /** the finite-difference step of --gradcheck */
  step?: number;
}

export interface FunctionOptions {
  command: 'function';
  fn: Descriptor;
  /** the input words (numbers, "-", @FILE, or none for standard input) */
  numbers: string[];
  /** the function's arguments from flags, by PyTorch keyword name */
  args: Record<string, number | boolean | string | Tensor | readonly number[]>;
  grad: boolean;
  gradOutput?: Tensor;
  order?: number;
  jacobian: boolean;
  hessian: boolean;
  hvp?: Tensor;
  jvp?: Tensor;
  output: OutputOptions;
  check: CheckOptions;
}

const str = (raw: Raw, key: string): string | undefined => {
  const v = raw[key];
  return typeof v === 'string' ? v : Array.isArray(v) ? v[v.length - 1] : undefined;
};

/** A whole number in [lo, hi] given to a flag. */
export function intFlag(text: string, flag: string, lo: number, hi: number): number {
  const v = Number(text.replace(UNICODE_MINUS, '-'));
  if (!Number.isInteger(v) || v < lo || v > hi) throw new UsageError(`${flag} takes a whole number from ${lo}${hi === Infinity ? ' up' : ` to ${hi}`}, not "${text}"`);
  return v;
}

/** --color auto|always|never and --no-color, read with the contract's rule (render/terminal). */
function colorFlag(flag: Raw[string], io: IO): boolean {
  const mode = flag === false ? 'never' : typeof flag === 'string' ? flag : 'auto';
  if (!(COLOR_MODES as readonly string[]).includes(mode)) throw new UsageError(`--color must be auto, always or never, not "${mode}"`);
  return colorEnabled({ flag: mode as ColorFlag, isTTY: io.stdoutIsTTY, env: io.env });
}

/** --format and --json (a second, conflicting one is an error), --precision, --rows, --color. */
export function outputOptions(raw: Raw, io: IO): OutputOptions {
  const format = str(raw, 'format');
  if (format !== undefined && !(FORMATS as readonly string[]).includes(format)) {
    throw new UsageError(`--format must be one of ${FORMATS.join(', ')}, not "${format}"`);
  }
  if (raw.json && format !== undefined && format !== 'json') throw new UsageError(`--json and --format ${format} ask for two formats; give one`);
  const precisionText = str(raw, 'precision');
  const rowsText = str(raw, 'rows');
  return {
    format: raw.json ? 'json' : ((format as Format | undefined) ?? (io.stdoutIsTTY ? 'table' : 'plain')),
    precision: precisionText === undefined ? undefined : intFlag(precisionText, '--precision', 1, 17),
    color: colorFlag(raw.color, io),
    rows: rowsText === undefined || rowsText === 'all' ? (rowsText === 'all' ? Infinity : 40) : intFlag(rowsText, '--rows', 1, Infinity),
    width: io.stdoutIsTTY && io.columns ? io.columns : Infinity,
    unicode: supportsUnicode(io.env),
  };
}

/**
 * The numbers of an --expect file as one argument in the number syntax, read as standard input is
 * (one row per line, one number per line a vector, '#' comments), each number as written (its
 * digits set its tolerance); undefined when the file does not hold numbers (then it holds a formula).
 */
function expectNumbersText(text: string, path: string): string | undefined {
  try {
    parseStdin(text, `--expect file ${path}`);
  } catch (e) {
    if (e instanceof ActgradError) return undefined;
    throw e;
  }
  const lines = text
    .split('\n')
    .map((l) => l.replace(/#.*/, '').trim())
    .filter(Boolean);
  // One line holds the full syntax (rows with ";", nested brackets).
  if (lines.length === 1) return lines[0];
  const rows = lines.map((l) => l.split(/[\s,[\]]+/).filter(Boolean));
  return rows.every((r) => r.length === 1) ? rows.map((r) => r[0]).join(', ') : rows.map((r) => r.join(' ')).join('; ');
}

/** An --expect answer that is a file: `@FILE`, or `name=@FILE`. */
const EXPECT_FILE = lazyRegExp(`^(\\s*${NAME_PATTERN}\\s*=)?\\s*@(.+)$`, 'su');

/**
 * An --expect value: numbers, a formula, or @FILE (`@y.txt`; for `grad` also `w=@w.txt`), a file
 * of numbers or of a formula. A leading @ is a file: a formula cannot start with one.
 */
function expectText(text: string, io: IO): string {
  const m = EXPECT_FILE().exec(text);
  if (!m) return text;
  const path = m[2];
  const content = readFileArg(path, '--expect', io);
  return `${m[1] ?? ''}${expectNumbersText(content, path) ?? content.trim()}`;
}

/**
 * --expect, --rtol, --atol, --gradcheck and its step: --step, or for `grad` also --eps
 * (gradcheck's name); a function's --eps stays its own parameter (layer_norm's eps).
 */
export function checkOptions(raw: Raw, command: 'function' | 'grad', io: IO): CheckOptions {
  const given = raw.expect === undefined ? undefined : Array.isArray(raw.expect) ? raw.expect : [String(raw.expect)];
  const expect = given?.map((text) => expectText(text, io));
  const tolerance = (key: string): number | undefined => {
    const t = str(raw, key);
    if (t === undefined) return undefined;
    const v = parseNumberToken(t);
    if (v === undefined || !(v >= 0) || v === Infinity) throw new UsageError(`--${key} takes a number ≥ 0, not "${t}"`);
    return v;
  };
  const rtol = tolerance('rtol');
  const atol = tolerance('atol');
  if (expect === undefined && (rtol !== undefined || atol !== undefined)) throw new UsageError('--rtol and --atol set the tolerance of --expect; give --expect too');
  const stepText = str(raw, 'step') ?? (command === 'grad' ? str(raw, 'eps') : undefined);
  let step: number | undefined;
  if (stepText !== undefined) {
    step = parseScalar(stepText, raw.step !== undefined ? '--step' : '--eps');
    if (!(step > 0 && step < Infinity)) throw new UsageError(`${raw.step !== undefined ? '--step' : '--eps'} must be a positive number, not ${stepText}`);
    if (!raw.gradcheck) throw new UsageError(`${raw.step !== undefined ? '--step' : '--eps'} sets the step of --gradcheck; give --gradcheck too`);
  }
  return { expect, rtol, atol, gradcheck: Boolean(raw.gradcheck), step };
}

/** A function's flags → its arguments by PyTorch keyword name, parsed by type (tensors in the number syntax). */
export function functionArgs(fn: Descriptor, raw: Raw, io: IO): FunctionOptions['args'] {
  const args: FunctionOptions['args'] = {};
  for (const spec of flagArgs(fn)) {
    const key = optionKey(spec.name.replace(/_/g, '-'));
    const v = raw[key];
    if (v === undefined) continue;
    const flag = flagOf(spec.name);
    if (spec.type === 'boolean') args[spec.name] = Boolean(v);
    else if (spec.type === 'choice') args[spec.name] = String(v);
    else if (spec.type === 'tensor') args[spec.name] = numbersArg(String(v), flag, io);
    else if (spec.type === 'ints') {
      const t = numbersArg(String(v), flag, io);
      if (t.shape.length > 1 || !t.data.every(Number.isInteger)) throw new UsageError(`${flag} takes whole numbers, e.g. ${flag} 3 or ${flag} 2,3, not "${v}"`);
      args[spec.name] = Array.from(t.data);
    } else {
      const x = parseScalar(String(v), flag);
      if (spec.type === 'int' && !Number.isInteger(x)) throw new UsageError(`${flag} takes a whole number, not "${v}"`);
      args[spec.name] = x;
    }
  }
  return args;
}

export function functionOptions(fn: Descriptor, numbers: string[], raw: Raw, io: IO): FunctionOptions {
  const orderText = str(raw, 'order');
  const tensorFlag = (key: string, flag: string): Tensor | undefined => {
    const t = str(raw, key);
    return t === undefined ? undefined : numbersArg(t, flag, io);
  };
  const opts: FunctionOptions = {
    command: 'function',
    fn,
    numbers,
    args: functionArgs(fn, raw, io),
    grad: Boolean(raw.grad),
    gradOutput: tensorFlag('gradOutput', '--grad-output'),
    order: orderText === undefined ? undefined : intFlag(orderText, '--order', 1, Infinity),
    jacobian: Boolean(raw.jacobian),
    hessian: Boolean(raw.hessian),
    hvp: tensorFlag('hvp', '--hvp'),
    jvp: tensorFlag('jvp', '--jvp'),
    output: outputOptions(raw, io),
    check: checkOptions(raw, 'function', io),
  };
  if (opts.order !== undefined && (opts.jacobian || opts.hessian)) {
    throw new UsageError(`--order N asks for the N-th derivative, which --${opts.jacobian ? 'jacobian' : 'hessian'} does not have; give one of them`);
  }
  return opts;
}
