/**
 * The number syntax of the contract: numbers separated by commas or spaces, brackets optional,
 * rows separated by ';' or written as nested brackets, inf/nan in any case, the Unicode minus.
 * Text → tensor; no eval. Errors name the token and its position.
 */
import { UsageError } from '../errors';
import { type Tensor, tensor } from '../tensor';

const INFINITY = /^([+-]?)inf(?:inity)?$/i;
const NAN = /^[+-]?nan$/i;

/** U+2212 MINUS SIGN, accepted wherever '-' is (also what the CLI turns a leading '-' of a number into). */
export const UNICODE_MINUS = '\u2212';

/** The positional input's errors need no prefix; an option's name it: `--target: "x" (number 2) …`. */
const INPUT = 'input';
const inputError = (what: string, message: string): UsageError => new UsageError(what === INPUT ? message : `${what}: ${message}`);

/**
 * Only digits, '.', 'e', 'E', '+' and '-', at least one: the characters of the decimal syntax
 * /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:e[+-]?\d+)?$/i, and a text of them is a number by Number()
 * exactly when that syntax matches it (no hex, no Infinity, no blanks). Any other text is a
 * number only as inf or nan.
 */
function decimalCharacters(t: string): boolean {
  for (let i = 0; i < t.length; i++) {
    const c = t.charCodeAt(i);
    if (!((c >= 48 && c <= 57) || c === 46 || c === 101 || c === 69 || c === 43 || c === 45)) return false;
  }
  return t.length > 0;
}

/** One token as a number, or undefined when it is not one. */
export function parseNumberToken(token: string): number | undefined {
  // The common case first, without building a new string (this runs once per input number).
  const t = token.includes(UNICODE_MINUS) ? token.replace(/\u2212/g, '-') : token;
  if (decimalCharacters(t)) {
    const v = Number(t);
    return v === v ? v : undefined;
  }
  const inf = INFINITY.exec(t);
  if (inf) return inf[1] === '-' ? -Infinity : Infinity;
  if (NAN.test(t)) return NaN;
  return undefined;
}

/** Does this command-line word look like data (a number or a list starting with one)? */
export function looksNumeric(word: string): boolean {
  return /^[-\u2212+]?(?:\d|\.\d|inf|nan)/i.test(word.replace(/^\[+/, ''));
}

interface Parsed {
  /** the numbers in order */
  values: number[];
  /** the shape written with brackets or ';' rows, or undefined for a flat list */
  shape: number[] | undefined;
}

/** Nesting deeper than this is refused (a tensor of rank 32 is not something one types). */
export const MAX_RANK = 32;

/**
 * Parses one argument: nested brackets of any depth (each level a dimension), or rows separated
 * by ';', or a flat list. Separators are commas or blanks; an empty field ("1,,2", a trailing
 * comma) is an error. `counter` numbers the tokens across several arguments, so that an error can
 * say "number 5" of the whole input.
 */
function parseTensorText(text: string, what: string, counter: { n: number }, texts?: string[]): Parsed {
  // "[1 2; 3 4]": rows with ';' inside one pair of brackets are the same as without them.
  const bracketed = /^\s*\[([^[\]]*;[^[\]]*)\]\s*$/.exec(text);
  if (bracketed) text = ` ${bracketed[1]} `;
  const values: number[] = [];
  // One frame per open bracket: how many elements it holds, and the shape of its first element.
  interface Frame {
    count: number;
    shape: number[] | undefined;
    open: number;
  }
  const stack: Frame[] = [{ count: 0, shape: undefined, open: -1 }];
  let rows: number[] | undefined; // element counts of ';'-separated rows
  let rowStart = 0;
  let sawBracket = false;
  // After a value or ']': a comma may follow. After a comma: a value must follow.
  let pendingComma = -1;
  const empty = (at: number): never => {
    throw inputError(what, `empty field at character ${at + 1}: two separators with no number between them (or a trailing comma)`);
  };
  const element = (shape: number[], at: number): void => {
    const f = stack[stack.length - 1];
    if (f.count === 0) f.shape = shape;
    else if (f.shape!.length !== shape.length || f.shape!.some((d, i) => d !== shape[i])) {
      throw inputError(what, `the brackets are ragged at character ${at + 1}: an element of shape [${shape.join(', ')}] beside one of shape [${f.shape!.join(', ')}]; every row needs the same length`);
    }
    f.count++;
    pendingComma = -1;
  };
  const re = /\[|\]|;|,|\s+|[^\[\];,\s]+/g;
  for (let m = re.exec(text); m !== null; m = re.exec(text)) {
    const tok = m[0];
    const at = m.index;
    if (tok === '[') {
      if (stack.length > MAX_RANK) throw inputError(what, `brackets nested more than ${MAX_RANK} deep at character ${at + 1}`);
      // "[1 2] [3 4]" inside brackets is allowed: rows separated by blanks, like numbers.
      if (rows !== undefined) throw inputError(what, 'use either ";" rows or nested brackets, not both');
      stack.push({ count: 0, shape: undefined, open: at });
      sawBracket = true;
      pendingComma = -1;
    } else if (tok === ']') {
      if (stack.length === 1) throw inputError(what, `"]" at character ${at + 1} closes no "["`);
      if (pendingComma >= 0) empty(pendingComma);
      const f = stack.pop()!;
      element([f.count, ...(f.shape ?? [])], at);
    } else if (tok === ';') {
      if (stack.length > 1) throw inputError(what, `";" inside brackets at character ${at + 1}; write rows as "1 2; 3 4" or [[1, 2], [3, 4]]`);
      if (sawBracket) throw inputError(what, 'use either ";" rows or nested brackets, not both');
      if (pendingComma >= 0) empty(pendingComma);
      const f = stack[0];
      (rows ??= []).push(f.count - rowStart);
      rowStart = f.count;
    } else if (tok === ',') {
      const f = stack[stack.length - 1];
      if (pendingComma >= 0 || f.count === 0 || (rows !== undefined && f.count === rowStart)) empty(at);
      pendingComma = at;
    } else if (!/^\s+$/.test(tok)) {
      counter.n++;
      const v = parseNumberToken(tok);
      if (v === undefined) throw inputError(what, `"${tok}" (number ${counter.n}) is not a number`);
      if (stack.length > 1 && stack[stack.length - 1].shape !== undefined && stack[stack.length - 1].shape!.length > 0) {
        throw inputError(what, `"${tok}" (number ${counter.n}) stands beside the rows of [[...], [...]]`);
      }
      values.push(v);
      texts?.push(tok.replace(/\u2212/g, '-'));
      element([], at);
    }
  }
  if (stack.length > 1) throw inputError(what, `${stack.length - 1} "[" not closed (the first at character ${stack[1].open + 1})`);
  if (pendingComma >= 0) empty(pendingComma);
  const top = stack[0];
  if (rows !== undefined) {
    // A trailing ';' leaves an empty last row: ignore it. Any other empty row is a mistake.
    if (top.count > rowStart) rows.push(top.count - rowStart);
    rows.forEach((r, i) => {
      if (r === 0) throw inputError(what, `row ${i + 1} is empty`);
      if (r !== rows![0]) throw inputError(what, `row ${i + 1} has ${r} number${r === 1 ? '' : 's'}, row 1 has ${rows![0]}; all rows need the same length`);
    });
    return { values, shape: [rows.length, rows[0]] };
  }
  if (top.count === 1 && top.shape !== undefined && top.shape.length > 0) {
    // One bracketed element: "[1, 2]" is a vector, "[[1, 2], [3, 4]]" a matrix.
    return { values, shape: top.shape };
  }
  if (top.count > 1 && top.shape !== undefined && top.shape.length > 0) return { values, shape: [top.count, ...top.shape] };
  return { values, shape: undefined };
}

function toTensor(p: Parsed, what: string): Tensor {
  if (p.values.length === 0) throw inputError(what, what === INPUT ? 'the input has no numbers' : 'no numbers');
  return tensor(p.shape ?? [p.values.length], p.values);
}

/** One argument in the number syntax → a vector, a matrix or a tensor of any rank. */
export function parseNumbers(text: string, what = INPUT): Tensor {
  return toTensor(parseTensorText(text, what, { n: 0 }), what);
}

/** Like parseNumbers, also returning each number as it was written (for --expect's tolerance). */
export function parseNumbersWithText(text: string, what: string): { tensor: Tensor; texts: string[] } {
  const texts: string[] = [];
  const tensor = toTensor(parseTensorText(text, what, { n: 0 }, texts), what);
  return { tensor, texts };
}

/** A single number (a parameter's value), in the same syntax. */
export function parseScalar(text: string, what: string): number {
  const v = parseNumberToken(text.trim());
  if (v === undefined) throw inputError(what, `"${text}" is not a number`);
  return v;
}

/**
 * The positional input: separate arguments (`2 1 0.1`) form a vector; one argument may hold a
 * tensor of any rank; several arguments that each hold a list of the same length are the rows of
 * a matrix.
 */
export function parseInputArgs(args: readonly string[], what = INPUT): Tensor {
  if (args.length === 1) return parseNumbers(args[0], what);
  const counter = { n: 0 };
  const parsed = args.map((a) => parseTensorText(a, what, counter));
  if (parsed.every((p) => p.shape === undefined && p.values.length === 1)) return tensor([args.length], parsed.map((p) => p.values[0]));
  const lists = parsed.every((p) => p.shape === undefined || p.shape.length === 1);
  if (lists) {
    const width = parsed[0].values.length;
    parsed.forEach((p, i) => {
      if (p.values.length !== width) {
        throw inputError(what, `argument ${i + 1} has ${p.values.length} number${p.values.length === 1 ? '' : 's'}, argument 1 has ${width}; as rows of a matrix all need the same length`);
      }
    });
    if (width === 0) throw inputError(what, 'the input has no numbers');
    return tensor([args.length, width], parsed.flatMap((p) => p.values));
  }
  throw inputError(what, 'several arguments, some with rows; quote the whole matrix as one argument, e.g. "1 2; 3 4"');
}
