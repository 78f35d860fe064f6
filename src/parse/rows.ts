/**
 * Standard input, read chunk by chunk: one row per line (blank lines and '#' comments skipped),
 * numbers in the contract's syntax. Rows go straight into a growing Float64Array — or, for
 * streaming, to a callback — so a large input is never held as text, lines and numbers at once.
 * At the end the numpy.loadtxt rule applies: one number per line, or a single line, is a vector.
 */
import { UsageError } from '../errors';
import { POWERS_OF_TEN } from '../math';
import type { Tensor } from '../tensor';
import { parseNumbers, parseNumberToken } from './numbers';

/** A row's numbers: the first `length` entries of `row` (a buffer reused for the next row). */
export type RowCallback = (row: Float64Array, length: number) => void;

/**
 * text[start, end) when it is a plain decimal of at most 15 digits ("-0.2734", "12.", ".5"), else
 * NaN (then parseNumberToken decides: exponents, inf, nan, more digits, mistakes). Its digits are
 * an integer m < 10^15 and its f decimals make it m / 10^f: both exact doubles, so the one rounding
 * of the division is the correctly rounded value that Number() gives, without a string per number.
 */
function plainDecimal(text: string, start: number, end: number): number {
  let i = start;
  const negative = text.charCodeAt(i) === 45;
  if (negative) i++;
  let m = 0;
  let digits = 0;
  let decimals = -1; // -1: no '.' yet
  for (; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c >= 48 && c <= 57 && digits < 15) {
      m = m * 10 + (c - 48);
      digits++;
      if (decimals >= 0) decimals++;
    } else if (c === 46 && decimals < 0) decimals = 0;
    else return NaN;
  }
  if (digits === 0) return NaN;
  const v = decimals > 0 ? m / POWERS_OF_TEN[decimals] : m;
  return negative ? -v : v;
}

export class RowReader {
  private carry = '';
  /**
   * The numbers so far, in an array that doubles when full. The input is its first `size`
   * numbers, a view without a copy: the unused rest of a fresh array is never touched, so it takes
   * no memory (pages are mapped in when first written), and a copy at the end would touch as much
   * fresh memory as the input again.
   */
  private data = new Float64Array(1024);
  private size = 0;
  private width = -1;
  private rows = 0;
  private lineNo = 0;
  private numberNo = 0;
  /** The first non-empty line waits: if it stays the only one, it may hold a whole matrix ("1 2; 3 4"). */
  private first: { text: string; line: number } | undefined;
  private row = new Float64Array(16);

  constructor(
    private readonly what: string,
    private readonly onRow?: RowCallback,
  ) {}

  push(chunk: string): void {
    // Lines are cut from the chunk itself: only the line across the previous chunk's end is joined.
    let nl = chunk.indexOf('\n');
    if (nl < 0) {
      this.carry += chunk;
      return;
    }
    this.line(this.carry + chunk.slice(0, nl));
    let start = nl + 1;
    for (nl = chunk.indexOf('\n', start); nl >= 0; nl = chunk.indexOf('\n', start)) {
      this.line(chunk.slice(start, nl));
      start = nl + 1;
    }
    this.carry = chunk.slice(start);
  }

  /** The rows read as a tensor (or, with a callback, the rows that were passed on; undefined then). */
  end(emptyMessage: string): Tensor {
    if (this.carry) this.line(this.carry);
    this.carry = '';
    if (this.first !== undefined) {
      // A single line: the full syntax, rows and brackets included.
      const t = parseNumbers(this.first.text, this.what);
      if (this.onRow) {
        const n = t.shape[t.shape.length - 1];
        for (let r = 0; r < t.data.length; r += n) this.onRow(t.data.subarray(r, r + n), n);
      }
      return t;
    }
    if (this.rows === 0) throw new UsageError(`${emptyMessage} (${this.what} was empty)`);
    const data = this.data.subarray(0, this.size);
    return this.width === 1 ? { shape: [this.rows], data } : { shape: [this.rows, this.width], data };
  }

  /** The width of the rows so far (1: one number per line). */
  get rowWidth(): number {
    return this.width;
  }

  private line(raw: string): void {
    this.lineNo++;
    const hash = raw.indexOf('#');
    const text = hash >= 0 ? raw.slice(0, hash).trim() : raw.trim();
    if (text === '') return;
    if (this.first === undefined && this.rows === 0) {
      this.first = { text, line: this.lineNo };
      return;
    }
    if (this.first !== undefined) {
      const f = this.first;
      this.first = undefined;
      this.addRow(f.text, f.line);
    }
    this.addRow(text, this.lineNo);
  }

  private token(token: string, line: number): number {
    this.numberNo++;
    const v = parseNumberToken(token);
    if (v === undefined) throw new UsageError(`${this.what} line ${line}: "${token}" (number ${this.numberNo}) is not a number`);
    return v;
  }

  /** The number text[start, end): a plain decimal read in place, anything else through token(). */
  private number(text: string, start: number, end: number, line: number): number {
    const v = plainDecimal(text, start, end);
    if (v !== v) return this.token(text.slice(start, end), line);
    this.numberNo++;
    return v;
  }

  /**
   * The line's numbers into this.row, split on separators (blanks, commas; brackets around a line's
   * numbers are allowed and ignored), as text.split(/[\s,[\]]+/) would, without a regular
   * expression per line; returns how many.
   */
  private split(text: string, line: number): number {
    let k = 0;
    let start = -1;
    for (let i = 0; i <= text.length; i++) {
      const c = i < text.length ? text.charCodeAt(i) : 32;
      const separator = c === 32 || c === 44 || c === 91 || c === 93 || (c >= 9 && c <= 13) || (c > 127 && /\s/.test(text[i]));
      if (!separator) {
        if (start < 0) start = i;
        continue;
      }
      if (start < 0) continue;
      if (k === this.row.length) {
        const bigger = new Float64Array(this.row.length * 2);
        bigger.set(this.row);
        this.row = bigger;
      }
      this.row[k++] = this.number(text, start, i, line);
      start = -1;
    }
    return k;
  }

  private addRow(text: string, line: number): void {
    let k = 0;
    const single = text.indexOf(' ') < 0 && text.indexOf(',') < 0 && text.indexOf('\t') < 0 && text.indexOf('[') < 0 && text.indexOf(';') < 0;
    if (single) {
      // One number on the line (the common layout of large inputs): no splitting, unless a rarer
      // blank (vertical tab, form feed, a Unicode space) separates numbers after all.
      const v = plainDecimal(text, 0, text.length);
      if (v === v) {
        this.numberNo++;
        this.row[k++] = v;
      } else if (!/[\s,[\]]/.test(text)) this.row[k++] = this.token(text, line);
      else k = this.split(text, line);
    } else {
      if (text.includes(';') || (text.includes('[') && /\[.*\[/.test(text))) {
        throw new UsageError(`${this.what} line ${line}: one row per line; ";" and nested brackets are for a single line`);
      }
      k = this.split(text, line);
    }
    if (k === 0) return;
    if (this.width < 0) this.width = k;
    else if (k !== this.width) {
      throw new UsageError(`${this.what}: row ${this.rows + 1} has ${k} number${k === 1 ? '' : 's'}, row 1 has ${this.width}; all rows need the same length`);
    }
    this.rows++;
    if (this.onRow) {
      this.onRow(this.row, k);
      return;
    }
    if (this.size + k > this.data.length) {
      const bigger = new Float64Array(Math.max(this.data.length * 2, this.size + k));
      bigger.set(this.data.subarray(0, this.size));
      this.data = bigger;
    }
    for (let j = 0; j < k; j++) this.data[this.size + j] = this.row[j];
    this.size += k;
  }
}

/** Text read as standard input is, in one piece (@FILE arguments). */
export function parseStdin(text: string, what = 'standard input'): Tensor {
  const reader = new RowReader(what);
  reader.push(text);
  return reader.end('no numbers');
}
