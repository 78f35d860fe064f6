/** What every subcommand's action shares: I/O, formats, colour, precision, parameters, input, checks. */
import { lastQuantity, type Result } from '../compute';
import { UsageError } from '../errors';
import { paramSpecsOf } from '../functions/apply';
import type { Descriptor, Params, ParamValue } from '../functions/types';
import { formatPlain } from '../output/plain';
import { parseInputArgs, parseNumbers, parseScalar, parseStdin, UNICODE_MINUS } from '../parse/numbers';
import type { Tensor } from '../tensor';
import { flagOf, type Format, optionKey } from './options';

export interface IO {
  /** the terminal's width, when stdout is a terminal */
  columns?: number;
  stdout(text: string): void;
  stderr(text: string): void;
  stdoutIsTTY: boolean;
  stdinIsTTY: boolean;
  /** all of standard input */
  readStdin(): string;
  /** standard input chunk by chunk (for large inputs); defaults to readStdin in one piece */
  readStdinChunks?(onChunk: (text: string) => void): void;
  env: Record<string, string | undefined>;
}

/** What an action reports back to run(): exit code 1 when a check failed. */
export interface RunState {
  exitCode: number;
}

export interface CommonOptions {
  grad?: boolean;
  jacobian?: boolean;
  gradOutput?: string;
  target?: string;
  format?: string;
  json?: boolean;
  precision?: string;
  color?: boolean;
}

export interface CheckOptions {
  expect?: string | string[];
  rtol?: string;
  atol?: string;
  gradcheck?: boolean;
}

export interface Display {
  color: boolean;
  precision?: number;
}

export function chooseFormat(opts: CommonOptions, io: IO): Format {
  if (opts.json) return 'json';
  if (opts.format) return opts.format as Format;
  return io.stdoutIsTTY ? 'table' : 'plain';
}

export function colorAllowed(opts: { color?: boolean }, io: IO): boolean {
  const noColor = io.env.NO_COLOR !== undefined && io.env.NO_COLOR !== '';
  return io.stdoutIsTTY && !noColor && opts.color !== false;
}

export function parsePrecision(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text.replace(UNICODE_MINUS, '-'));
  if (!Number.isInteger(n) || n < 1 || n > 17) throw new UsageError(`--precision takes a whole number of significant digits from 1 to 17, not "${text}"`);
  return n;
}

/** The parameters in effect: given flags parsed in the number syntax, PyTorch's defaults otherwise. */
export function resolveParams(d: Descriptor, opts: Record<string, unknown>): Params {
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
      const t = numbersArg(String(raw), flagOf(spec.name));
      if (t.shape.length !== 1) throw new UsageError(`${flagOf(spec.name)} takes a list of numbers, not a matrix`);
      v = t.data;
    } else {
      v = raw as ParamValue;
    }
    params[spec.name] = v;
  }
  if (missing.length) throw new UsageError(`${d.name} needs ${missing.join(' and ')} (e.g. actgrad ${d.example})`);
  return params;
}

/**
 * An option's numbers: the number syntax, or @FILE for a file of them (one row per line, as on
 * standard input) — for targets too long for a command line.
 */
export function numbersArg(text: string, what: string): Tensor {
  if (!text.startsWith('@')) return parseNumbers(text, what);
  const path = text.slice(1);
  let content: string;
  try {
    content = (require('node:fs') as typeof import('node:fs')).readFileSync(path, 'utf8');
  } catch (e) {
    throw new UsageError(`${what} ${text}: cannot read the file (${(e as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  return parseStdin(content, `${what} file ${path}`);
}

export const NO_INPUT = 'no input numbers: give them as arguments (actgrad softmax 2 1 0.1) or on standard input';

/** Does the input come from standard input? (no numbers given and stdin not a terminal, or "-") */
export function inputFromStdin(numbers: string[], io: IO): boolean {
  if (numbers.length === 1 && numbers[0] === '-') return true;
  if (numbers.length > 0) return false;
  if (io.stdinIsTTY) throw new UsageError(NO_INPUT);
  return true;
}

export function readInput(numbers: string[], io: IO): Tensor {
  if (!inputFromStdin(numbers, io)) return parseInputArgs(numbers);
  const { RowReader } = require('../parse/rows') as typeof import('../parse/rows');
  const reader = new RowReader('standard input');
  if (io.readStdinChunks) io.readStdinChunks((chunk) => reader.push(chunk));
  else reader.push(io.readStdin());
  return reader.end(NO_INPUT);
}

export function renderResult(r: Result, format: Format, opts: Display): string {
  switch (format) {
    case 'json':
      return (require('../output/json') as typeof import('../output/json')).formatJson(r, opts.precision);
    case 'csv':
    case 'tsv': {
      const { formatDelimited } = require('../output/csv') as typeof import('../output/csv');
      return formatDelimited(r, format === 'csv' ? ',' : '\t', opts.precision);
    }
    case 'table': {
      // Loaded lazily: cli-table3 and chalk cost start-up time that plain and json runs skip.
      const { formatTable } = require('../output/table') as typeof import('../output/table');
      return formatTable(r, opts);
    }
    default:
      return formatPlain(r[lastQuantity(r)] as Tensor, opts.precision);
  }
}

/** Prints the verdicts / gradcheck reports in the chosen format; exit code 1 when one failed. */
export function reportChecks(c: import('../output/check').CheckOutput, format: Format, opts: Display, io: IO, state: RunState): void {
  const out = require('../output/check') as typeof import('../output/check');
  if (format === 'json') io.stdout(out.formatCheckJson(c, opts.precision));
  else if (format === 'plain') io.stdout(out.formatCheckPlain(c, opts.precision));
  else if (format === 'csv' || format === 'tsv') io.stdout(out.formatCheckDelimited(c, format === 'csv' ? ',' : '\t', opts.precision));
  else io.stdout((require('../output/check-table') as typeof import('../output/check-table')).formatCheckTable(c, opts));
  if (!out.checkPassed(c)) state.exitCode = 1;
}

/** --rtol/--atol go with --expect; the check module is loaded only when a check is asked for. */
export function checkRule(opts: CheckOptions): import('../check/expect').ToleranceRule | undefined {
  if (opts.expect === undefined && (opts.rtol !== undefined || opts.atol !== undefined)) {
    throw new UsageError('--rtol and --atol set the tolerance of --expect; give --expect too');
  }
  if (opts.expect === undefined) return undefined;
  return (require('../check/run') as typeof import('../check/run')).toleranceRule(opts.rtol, opts.atol);
}

/** Writes a file the user asked for (--graph, --svg); a failure is an input error naming the file. */
export function writeOutputFile(path: string, text: string, flag: string): void {
  try {
    (require('node:fs') as typeof import('node:fs')).writeFileSync(path, text);
  } catch (e) {
    throw new UsageError(`${flag} ${path}: cannot write the file (${(e as NodeJS.ErrnoException).code ?? 'error'})`);
  }
}
