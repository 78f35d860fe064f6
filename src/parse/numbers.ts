/**
 * The number syntax of the contract: numbers separated by commas or spaces, brackets optional,
 * rows separated by ';' or written as nested brackets, inf/nan in any case, the Unicode minus.
 * Text → tensor; no eval. Errors name the token and its position.
 */
import { UsageError } from '../errors';
import { type Tensor, tensor } from '../tensor';

const NUMBER = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:e[+-]?\d+)?$/i;
const INFINITY = /^([+-]?)inf(?:inity)?$/i;
const NAN = /^[+-]?nan$/i;

/** U+2212 MINUS SIGN, accepted wherever '-' is (also what the CLI turns a leading '-' of a number into). */
export const UNICODE_MINUS = '\u2212';

/** The positional input's errors need no prefix; an option's name it: `--target: "x" (number 2) …`. */
const INPUT = 'input';
const inputError = (what: string, message: string): UsageError => new UsageError(what === INPUT ? message : `${what}: ${message}`);

/** One token as a number, or undefined when it is not one. */
export function parseNumberToken(token: string): number | undefined {
  // The common case first, without building a new string (this runs once per input number).
  const t = token.includes(UNICODE_MINUS) ? token.replace(/\u2212/g, '-') : token;
  if (NUMBER.test(t)) return Number(t);
  const inf = INFINITY.exec(t);
  if (inf) return inf[1] === '-' ? -Infinity : Infinity;
  if (NAN.test(t)) return NaN;
  return undefined;
}

/** Does this command-line word look like data (a number or a list starting with one)? */
export function looksNumeric(word: string): boolean {
  return /^[-\u2212+]?(?:\d|\.\d|inf|nan)/i.test(word.replace(/^\[+/, ''));
}

interface Rows {
  rows: number[][];
  /** true when the text had row structure (';' or nested brackets), even with a single row. */
  matrix: boolean;
}

/**
 * Parses one argument. `counter` numbers the tokens across several arguments, so that an error
 * can say "number 5" of the whole input.
 */
function parseRows(text: string, what: string, counter: { n: number }, texts?: string[]): Rows {
  const rows: number[][] = [];
  let current: number[] = [];
  let depth = 0;
  let maxDepth = 0;
  let sawSemicolon = false;
  let rowOpenedByBracket = false;
  const flushRow = (): void => {
    rows.push(current);
    current = [];
  };
  const re = /\[|\]|;|,|\s+|[^\[\];,\s]+/g;
  for (let m = re.exec(text); m !== null; m = re.exec(text)) {
    const tok = m[0];
    if (tok === '[') {
      depth++;
      maxDepth = Math.max(maxDepth, depth);
      if (depth > 2) throw inputError(what, `brackets nested ${depth} deep; a matrix needs at most two levels, as in [[1, 2], [3, 4]]`);
      if (depth === 2) rowOpenedByBracket = true;
    } else if (tok === ']') {
      if (depth === 0) throw inputError(what, `"]" at character ${m.index + 1} closes no "["`);
      if (depth === 2) flushRow();
      depth--;
    } else if (tok === ';') {
      if (depth > 1 || rowOpenedByBracket) throw inputError(what, `";" inside brackets at character ${m.index + 1}; write rows as "1 2; 3 4" or [[1, 2], [3, 4]]`);
      sawSemicolon = true;
      flushRow();
    } else if (tok !== ',' && !/^\s+$/.test(tok)) {
      counter.n++;
      const v = parseNumberToken(tok);
      if (v === undefined) throw inputError(what, `"${tok}" (number ${counter.n}) is not a number`);
      if (rowOpenedByBracket && depth === 1) {
        throw inputError(what, `"${tok}" (number ${counter.n}) stands outside the rows of [[...], [...]]`);
      }
      current.push(v);
      texts?.push(tok.replace(/\u2212/g, '-'));
    }
  }
  if (depth !== 0) throw inputError(what, `${depth} "[" not closed`);
  if (!rowOpenedByBracket) flushRow();
  // A trailing ';' leaves an empty last row: ignore it. Any other empty row is a mistake.
  if (sawSemicolon && rows.length > 1 && rows[rows.length - 1].length === 0) rows.pop();
  rows.forEach((r, i) => {
    if (r.length === 0 && rows.length > 1) throw inputError(what, `row ${i + 1} is empty`);
  });
  return { rows, matrix: sawSemicolon || rowOpenedByBracket };
}

function rowsToTensor(rows: number[][], matrix: boolean, what: string): Tensor {
  const total = rows.reduce((s, r) => s + r.length, 0);
  if (total === 0) throw inputError(what, what === INPUT ? 'the input has no numbers' : 'no numbers');
  if (!matrix) return tensor([total], rows.flat());
  const width = rows[0].length;
  rows.forEach((r, i) => {
    if (r.length !== width) throw inputError(what, `row ${i + 1} has ${r.length} number${r.length === 1 ? '' : 's'}, row 1 has ${width}; all rows need the same length`);
  });
  return tensor([rows.length, width], rows.flat());
}

/** One argument in the number syntax → a vector, or a matrix when it has rows. */
export function parseNumbers(text: string, what = INPUT): Tensor {
  const { rows, matrix } = parseRows(text, what, { n: 0 });
  return rowsToTensor(rows, matrix, what);
}

/** Like parseNumbers, also returning each number as it was written (for --expect's tolerance). */
export function parseNumbersWithText(text: string, what: string): { tensor: Tensor; texts: string[] } {
  const texts: string[] = [];
  const { rows, matrix } = parseRows(text, what, { n: 0 }, texts);
  return { tensor: rowsToTensor(rows, matrix, what), texts };
}

/** A single number (a parameter's value), in the same syntax. */
export function parseScalar(text: string, what: string): number {
  const v = parseNumberToken(text.trim());
  if (v === undefined) throw inputError(what, `"${text}" is not a number`);
  return v;
}

/**
 * The positional input: separate arguments (`2 1 0.1`) form a vector; one argument may hold a
 * vector or a matrix; several arguments that each hold a list are the rows of a matrix.
 */
export function parseInputArgs(args: readonly string[], what = INPUT): Tensor {
  if (args.length === 1) return parseNumbers(args[0], what);
  const counter = { n: 0 };
  const parsed = args.map((a) => parseRows(a, what, counter));
  if (parsed.every((p) => !p.matrix && p.rows[0].length === 1)) return tensor([args.length], parsed.map((p) => p.rows[0][0]));
  if (parsed.every((p) => !p.matrix)) return rowsToTensor(parsed.map((p) => p.rows[0]), true, what);
  throw inputError(what, `several arguments, some with rows; quote the whole matrix as one argument, e.g. "1 2; 3 4"`);
}

/** Text read as standard input is, in one piece (see RowReader for the rules). */
export function parseStdin(text: string, what = 'standard input'): Tensor {
  const { RowReader } = require('./rows') as typeof import('./rows');
  const reader = new RowReader(what);
  reader.push(text);
  return reader.end('no numbers');
}
