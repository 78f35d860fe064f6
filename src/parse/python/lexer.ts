/**
 * Tokens of the expression language: Python's, as PyTorch code is written, plus actgrad's older
 * spellings (`^` for power, U+2212 for minus, `·` and `×` for times). Brackets are matched here,
 * so the parser never sees an unclosed or stray one, and their nesting is bounded here, which
 * bounds the parser's recursion. Plain character tests: no regular expression is built at load.
 */
import { ExpressionError } from '../../errors';

/** Brackets (parentheses, lists, calls, subscripts) nested deeper than this are refused. */
export const MAX_DEPTH = 200;
/** Longer sources are refused before they are read. */
export const MAX_EXPRESSION_LENGTH = 1_000_000;
/** More tokens than this are refused (a chain of 100,000 `+` is 200,001 tokens). */
export const MAX_TOKENS = 250_000;

export interface Token {
  /** `separator` is `;` or, outside brackets in a program, a line end. */
  type: 'number' | 'name' | 'string' | 'op' | 'separator' | 'end';
  /** name: the name; number: the literal as written; string: the value; op: the canonical operator. */
  text: string;
  pos: number;
  end: number;
  /** number tokens: the value and whether it was written as an integer. */
  value?: number;
  integer?: boolean;
}

/** "column 5" on one line; "line 2, column 3" in a source of several lines. */
export function where(source: string, pos: number): string {
  if (source.indexOf('\n') < 0) return `column ${pos + 1}`;
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < pos && i < source.length; i++) {
    if (source.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return `line ${line}, column ${pos - lineStart + 1}`;
}

const isDigit = (c: number): boolean => c >= 48 && c <= 57;
const isHexDigit = (c: number): boolean => isDigit(c) || (c >= 97 && c <= 102) || (c >= 65 && c <= 70);
const isOctalDigit = (c: number): boolean => c >= 48 && c <= 55;
const isBinaryDigit = (c: number): boolean => c === 48 || c === 49;
const isAsciiLetter = (c: number): boolean => (c >= 97 && c <= 122) || (c >= 65 && c <= 90);
const isLineEnd = (c: number): boolean => c === 10 || c === 13;

// Python identifiers may use Unicode letters (σ, α); these regular expressions are compiled only
// when a non-ASCII character is first met, so that loading stays cheap.
let idStart: RegExp | undefined;
let idContinue: RegExp | undefined;
const MIDDLE_DOT = 0xb7; // ID_Continue in Unicode, but '·' is the old language's times.

function isIdentifierStartAt(source: string, i: number): boolean {
  const c = source.charCodeAt(i);
  if (c < 0x80) return isAsciiLetter(c) || c === 95;
  if (c === MIDDLE_DOT) return false;
  idStart ??= /^\p{ID_Start}/u;
  return idStart.test(String.fromCodePoint(source.codePointAt(i)!));
}

/** The length (1 or 2 UTF-16 units) of the identifier character at i, or 0 if there is none. */
function identifierContinueLength(source: string, i: number): number {
  if (i >= source.length) return 0;
  const c = source.charCodeAt(i);
  if (c < 0x80) return isAsciiLetter(c) || isDigit(c) || c === 95 ? 1 : 0;
  if (c === MIDDLE_DOT) return 0;
  const cp = source.codePointAt(i)!;
  idContinue ??= /^\p{ID_Continue}/u;
  return idContinue.test(String.fromCodePoint(cp)) ? (cp > 0xffff ? 2 : 1) : 0;
}

/** Python reads identifiers in NFKC form (𝑥, mathematical italic, is x), when that form is one. */
function normalizedName(name: string): string {
  const normal = name.normalize('NFKC');
  if (normal === name || normal.length === 0 || !isIdentifierStartAt(normal, 0)) return name;
  for (let i = normal.codePointAt(0)! > 0xffff ? 2 : 1, len; i < normal.length; i += len) {
    len = identifierContinueLength(normal, i);
    if (len === 0) return name;
  }
  return normal;
}

/** Spaces that text copied from a web page or a PDF brings along (no-break, thin, BOM...). */
function isUnicodeSpace(c: number): boolean {
  return c === 0xa0 || (c >= 0x2000 && c <= 0x200b) || c === 0x202f || c === 0x205f || c === 0x3000 || c === 0xfeff;
}

/** A character as a message shows it: itself when printable, else its code point. */
function showCharacter(source: string, i: number): string {
  const cp = source.codePointAt(i)!;
  if (cp < 0x20 || (cp >= 0x7f && cp <= 0x9f)) return `the character U+${cp.toString(16).toUpperCase().padStart(4, '0')}`;
  return `'${String.fromCodePoint(cp)}'`;
}

const SUPERSCRIPT_DIGITS = '\u2070\u00b9\u00b2\u00b3\u2074\u2075\u2076\u2077\u2078\u2079';

const OPENERS: Record<string, string> = { '(': ')', '[': ']' };
const CLOSERS: Record<string, string> = { ')': '(', ']': '[' };

/** Characters after which `x++` / `x--` cannot be Python's `x + (+y)`: the hint is safe there. */
function endsAnOperand(source: string, i: number): boolean {
  while (i < source.length && (source[i] === ' ' || source[i] === '\t')) i++;
  return i >= source.length || ')]};,:=#\n\r'.includes(source[i]);
}

/**
 * Splits `source` into tokens. `mode: 'program'` makes a line end outside brackets a statement
 * separator; `'expression'` treats it as space.
 */
export function tokenize(source: string, mode: 'program' | 'expression'): Token[] {
  const fail = (message: string, pos: number): never => {
    throw new ExpressionError(message, source, pos);
  };
  if (source.length > MAX_EXPRESSION_LENGTH) {
    fail(`the expression is ${source.length} characters long; the limit is ${MAX_EXPRESSION_LENGTH}`, MAX_EXPRESSION_LENGTH);
  }
  const tokens: Token[] = [];
  const brackets: { char: string; pos: number }[] = [];
  const n = source.length;
  const push = (type: Token['type'], text: string, pos: number, end: number): Token => {
    if (tokens.length >= MAX_TOKENS) fail(`the expression has more than ${MAX_TOKENS} tokens, too many to read`, pos);
    const token: Token = { type, text, pos, end };
    tokens.push(token);
    return token;
  };
  const op = (text: string, pos: number, length: number): void => {
    push('op', text, pos, pos + length);
    i = pos + length;
  };
  const augmented = (spelling: string, pos: number): never =>
    fail(`'${spelling}' (augmented assignment) is not supported: write x = x ${spelling.slice(0, -1)} …`, pos);

  let i = 0;
  while (i < n) {
    const c = source.charCodeAt(i);
    const ch = source[i];
    const next = source[i + 1];

    if (c === 32 || c === 9 || c === 12 || c === 11 || isUnicodeSpace(c)) {
      i++;
      continue;
    }
    if (isLineEnd(c) || c === 0x2028 || c === 0x2029) {
      const start = i;
      i += c === 13 && next === '\n' ? 2 : 1;
      if (brackets.length === 0 && mode === 'program') push('separator', '\n', start, i);
      continue;
    }
    if (ch === '#') {
      while (i < n && !isLineEnd(source.charCodeAt(i))) i++;
      continue;
    }
    if (ch === '\\') {
      // Python's explicit line joining: a backslash at the end of a line.
      if (next === '\n') {
        i += 2;
        continue;
      }
      if (next === '\r') {
        i += source[i + 2] === '\n' ? 3 : 2;
        continue;
      }
      fail(`'\\' at ${where(source, i)} is not part of the expression language (outside a string it only continues a line)`, i);
    }

    if (isDigit(c) || (ch === '.' && isDigit(source.charCodeAt(i + 1)))) {
      i = lexNumber(source, i, push, fail);
      continue;
    }
    if (isIdentifierStartAt(source, i)) {
      const start = i;
      i += source.codePointAt(i)! > 0xffff ? 2 : 1;
      let ascii = true;
      for (let len; (len = identifierContinueLength(source, i)) > 0; i += len) if (source.charCodeAt(i) >= 0x80) ascii = false;
      if (source.charCodeAt(start) >= 0x80) ascii = false;
      const name = source.slice(start, i);
      push('name', ascii ? name : normalizedName(name), start, i);
      continue;
    }
    if (ch === "'" || ch === '"') {
      i = lexString(source, i, push, fail);
      continue;
    }

    switch (ch) {
      case '+':
      case '-':
      case '\u2212': {
        const minus = ch !== '+';
        if (next === '=') augmented(`${minus ? '-' : '+'}=`, i);
        if (next === ch && endsAnOperand(source, i + 2)) {
          fail(
            minus
              ? `'--' is not Python, which has no decrement operator: write x - 1`
              : `'++' is not Python, which has no increment operator: write x + 1`,
            i,
          );
        }
        op(minus ? '-' : '+', i, 1);
        continue;
      }
      case '*':
        if (next === '*') {
          if (source[i + 2] === '=') augmented('**=', i);
          op('**', i, 2);
        } else {
          if (next === '=') augmented('*=', i);
          op('*', i, 1);
        }
        continue;
      case '^':
        if (next === '=') augmented('^=', i);
        op('**', i, 1); // actgrad's power, not Python's exclusive or
        continue;
      case '\u00b7':
      case '\u00d7':
        op('*', i, 1);
        continue;
      case '/':
        if (next === '/') {
          if (source[i + 2] === '=') augmented('//=', i);
          op('//', i, 2);
        } else {
          if (next === '=') augmented('/=', i);
          op('/', i, 1);
        }
        continue;
      case '%':
      case '@':
      case '&':
      case '|':
        if (ch === '&' && next === '&') fail(`'&&' is not Python: use 'and' (or '&' for boolean tensors)`, i);
        if (ch === '|' && next === '|') fail(`'||' is not Python: use 'or' (or '|' for boolean tensors)`, i);
        if (next === '=') augmented(`${ch}=`, i);
        op(ch, i, 1);
        continue;
      case '~':
        op('~', i, 1);
        continue;
      case '<':
      case '>':
        if (next === '=') op(`${ch}=`, i, 2);
        else if (ch === '<' && next === '>') fail(`'<>' is not Python: use '!='`, i);
        else if (next === ch) fail(`'${ch}${ch}' (bit shift) is not part of the expression language`, i);
        else op(ch, i, 1);
        continue;
      case '=':
        if (next === '=') {
          if (source[i + 2] === '=') fail(`'===' is not Python: use '=='`, i);
          op('==', i, 2);
        } else if (next === '<' || next === '>') {
          fail(`'=${next}' is not Python: use '${next}='`, i);
        } else {
          op('=', i, 1);
        }
        continue;
      case '!':
        if (next === '=') {
          if (source[i + 2] === '=') fail(`'!==' is not Python: use '!='`, i);
          op('!=', i, 2);
        } else {
          fail(`'!' is not Python: use 'not' (or '~' for boolean tensors)`, i);
        }
        continue;
      case '(':
      case '[':
        brackets.push({ char: ch, pos: i });
        if (brackets.length > MAX_DEPTH) fail(`brackets are nested more than ${MAX_DEPTH} deep at ${where(source, i)}`, i);
        op(ch, i, 1);
        continue;
      case ')':
      case ']': {
        const open = brackets.pop();
        if (!open) fail(`the '${ch}' at ${where(source, i)} has no matching '${CLOSERS[ch]}'; remove it`, i);
        else if (open.char !== CLOSERS[ch]) {
          fail(
            `the '${ch}' at ${where(source, i)} does not match the '${open.char}' at ${where(source, open.pos)}, which needs '${OPENERS[open.char]}'`,
            i,
          );
        }
        op(ch, i, 1);
        continue;
      }
      case ',':
      case ':':
        op(ch, i, 1);
        continue;
      case ';':
        push('separator', ';', i, i + 1);
        i++;
        continue;
      case '.':
        if (next === '.' && source[i + 2] === '.') op('...', i, 3);
        else op('.', i, 1);
        continue;
      case '\u2018':
      case '\u2019':
      case '\u201c':
      case '\u201d':
        fail(`'${ch}' at ${where(source, i)} is a typographic quote: write strings with ' or "`, i);
    }
    const superscript = SUPERSCRIPT_DIGITS.indexOf(ch);
    const hint = superscript >= 0 ? `: write **${superscript} for a power` : '';
    fail(`${showCharacter(source, i)} at ${where(source, i)} is not part of the expression language${hint}`, i);
  }

  if (brackets.length > 0) {
    const open = brackets[brackets.length - 1];
    fail(`the '${open.char}' at ${where(source, open.pos)} is not closed: add '${OPENERS[open.char]}'`, open.pos);
  }
  push('end', '', n, n);
  return tokens;
}

type Push = (type: Token['type'], text: string, pos: number, end: number) => Token;
type Fail = (message: string, pos: number) => never;

/** Digits with Python's single underscores between them (1_000); returns the index after them. */
function scanDigits(source: string, i: number, isDigitOf: (c: number) => boolean): number {
  while (i < source.length) {
    const c = source.charCodeAt(i);
    if (isDigitOf(c)) i++;
    else if (c === 95 && isDigitOf(source.charCodeAt(i + 1))) i += 2;
    else break;
  }
  return i;
}

/** A Python number literal: 1, 1.5, .5, 1., 1e-3, 1E3, 1_000, 0x1f, 0o17, 0b101. */
function lexNumber(source: string, start: number, push: Push, fail: Fail): number {
  let i = start;
  let integer = true;
  const prefix = source[i] === '0' ? source[i + 1] : undefined;
  const radixDigit =
    prefix === 'x' || prefix === 'X' ? isHexDigit : prefix === 'o' || prefix === 'O' ? isOctalDigit : prefix === 'b' || prefix === 'B' ? isBinaryDigit : undefined;
  if (radixDigit) {
    i += 2;
    // Python allows an underscore right after the prefix (0x_ff).
    if (source[i] === '_' && radixDigit(source.charCodeAt(i + 1))) i++;
    i = scanDigits(source, i, radixDigit);
    if (i === start + 2) i = start + 1; // no digits: report "0x…" below as not a number
  } else {
    i = scanDigits(source, i, isDigit);
    if (source[i] === '.' && !(source[i + 1] === '.' && source[i + 2] === '.')) {
      integer = false;
      i = isDigit(source.charCodeAt(i + 1)) ? scanDigits(source, i + 1, isDigit) : i + 1;
    }
    if (source[i] === 'e' || source[i] === 'E') {
      const sign = source[i + 1] === '+' || source[i + 1] === '-' ? 1 : 0;
      if (isDigit(source.charCodeAt(i + 1 + sign))) {
        integer = false;
        i = scanDigits(source, i + 1 + sign, isDigit);
      }
    }
  }
  if (identifierContinueLength(source, i) > 0) {
    // 2x, 1e, 1_, 0x, 3j: one word that is not a number.
    let end = i;
    for (let len; (len = identifierContinueLength(source, end)) > 0; ) end += len;
    const word = source.slice(start, end);
    const digits = source.slice(start, i);
    const rest = source.slice(i, end);
    const hint =
      // A plain number run into a name (2x) is most likely a product.
      isAsciiLetter(rest.charCodeAt(0)) && !(rest[0] === 'e' || rest[0] === 'E') && !radixDigit && !digits.endsWith('.')
        ? `: write ${digits}*${rest} for a product`
        : rest[0] === 'e' || rest[0] === 'E'
          ? ': an exponent needs digits, e.g. 1e-3'
          : '';
    fail(`'${word}' at ${where(source, start)} is not a number${hint}`, start);
  }
  const text = source.slice(start, i);
  const token = push('number', text, start, i);
  token.value = Number(text.includes('_') ? text.split('_').join('') : text);
  token.integer = integer;
  return i;
}

const ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r', '0': '\0', a: '\x07', b: '\b', f: '\f', v: '\v', '\\': '\\', "'": "'", '"': '"' };

/** A quoted string, '…' or "…", with Python's common escapes; it must end on its line. */
function lexString(source: string, start: number, push: Push, fail: Fail): number {
  const quote = source[start];
  let value = '';
  let i = start + 1;
  let chunk = i;
  for (;;) {
    if (i >= source.length || isLineEnd(source.charCodeAt(i))) {
      fail(`the string that starts at ${where(source, start)} is not closed: end it with ${quote}`, start);
    }
    const ch = source[i];
    if (ch === quote) break;
    if (ch !== '\\') {
      i++;
      continue;
    }
    value += source.slice(chunk, i);
    const e = source[i + 1];
    const hexLength = e === 'x' ? 2 : e === 'u' ? 4 : e === 'U' ? 8 : 0;
    if (e === '\n') {
      i += 2; // a backslash at the end of a line continues the string
    } else if (e === '\r') {
      i += source[i + 2] === '\n' ? 3 : 2;
    } else if (e !== undefined && ESCAPES[e] !== undefined) {
      value += ESCAPES[e];
      i += 2;
    } else if (hexLength > 0 && isHexRun(source, i + 2, hexLength) && Number.parseInt(source.slice(i + 2, i + 2 + hexLength), 16) <= 0x10ffff) {
      value += String.fromCodePoint(Number.parseInt(source.slice(i + 2, i + 2 + hexLength), 16));
      i += 2 + hexLength;
    } else {
      // Python keeps an unknown escape as written (with a warning); so do we.
      value += '\\';
      i += 1;
    }
    chunk = i;
  }
  value += source.slice(chunk, i);
  push('string', value, start, i + 1);
  return i + 1;
}

function isHexRun(source: string, i: number, length: number): boolean {
  for (let j = i; j < i + length; j++) if (!isHexDigit(source.charCodeAt(j))) return false;
  return true;
}
