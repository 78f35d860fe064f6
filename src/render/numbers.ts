/**
 * One number style per column, shared by the table and Markdown renderers.
 *
 * The rule is numpy's (`numpy/core/arrayprint.py`, FloatingFormat.fillFormat): over the column's
 * finite, non-zero values, scientific notation when the largest magnitude is ≥ 1e8, or the
 * smallest is < 1e-4, or largest/smallest > 1e3; fixed notation otherwise (also when the column
 * holds no finite non-zero value). numpy's large threshold (1e8, not 1e16) because fixed notation
 * of a number ≥ 1e8 at the default 6 significant digits prints three or more zeros that carry no
 * information.
 *
 * Every number has `precision` significant digits, rounded by the engine's toPrecision /
 * toExponential (correct rounding of the float64 value).
 * - fixed: positional, trailing zeros dropped (an integer prints without a decimal point), the
 *   column aligned on the decimal point (numpy pads the short fractions with spaces the same way).
 * - scientific: one mantissa length for the whole column (the longest any value needs, at most
 *   precision − 1 digits after the point, shorter ones padded with zeros) and one exponent width
 *   (sign and at least two digits, as C and numpy print it: 1.5e-08).
 * - exact zeros print as `0` and `-0` in both styles (the sign of −0 is kept); non-finite numbers as
 *   `nan`, `inf`, `-inf`, right-aligned.
 */

import { TextStore } from './text-store';

export type NumberStyle = 'fixed' | 'scientific';

/** numpy's thresholds; see the file comment. */
const SMALL = 1e-4;
const LARGE = 1e8;
const RATIO = 1e3;

/** The style for a column, from its shown values (NaN, ±inf and ±0 do not take part). */
export function chooseStyle(values: ArrayLike<number>): NumberStyle {
  let min = Infinity;
  let max = 0;
  for (let k = 0; k < values.length; k++) {
    const a = Math.abs(values[k]);
    // a - a === 0 is false for NaN and ±Infinity.
    if (a === 0 || a - a !== 0) continue;
    if (a < min) min = a;
    if (a > max) max = a;
  }
  if (max === 0) return 'fixed';
  return max >= LARGE || min < SMALL || max / min > RATIO ? 'scientific' : 'fixed';
}

export function checkPrecision(precision: number): void {
  if (!Number.isInteger(precision) || precision < 1 || precision > 100) {
    throw new RangeError(`precision must be a whole number of significant digits from 1 to 100, not ${precision}`);
  }
}

/** Text of a number that is not finite and non-zero, or undefined for the others. */
export function specialText(x: number): string | undefined {
  if (x - x === 0 && x !== 0) return undefined;
  if (x !== x) return 'nan';
  if (x === Infinity) return 'inf';
  if (x === -Infinity) return '-inf';
  return 1 / x > 0 ? '0' : '-0';
}

/** Drops the trailing zeros of a fraction, and the point when nothing is left after it. */
function trimFraction(s: string): string {
  if (s.indexOf('.') === -1) return s;
  let end = s.length;
  while (s.charCodeAt(end - 1) === 48 /* 0 */) end--;
  if (s.charCodeAt(end - 1) === 46 /* . */) end--;
  return s.slice(0, end);
}

/** Positional notation at `precision` significant digits (x finite and non-zero). */
export function fixedText(x: number, precision: number): string {
  const s = x.toPrecision(precision);
  const e = s.indexOf('e');
  if (e === -1) return trimFraction(s);
  // toPrecision switches to exponent form when the exponent is ≥ precision or < −6.
  const exponent = Number(s.slice(e + 1));
  if (exponent >= 0) return String(Number(s));
  return trimFraction(x.toFixed(Math.min(100, precision - 1 - exponent)));
}

/**
 * Formats the numbers of one column in one style. `texts.get(k)` is the k-th number's text and
 * `point[k]` where it is aligned: the index of its decimal point or exponent (its length when it
 * has neither); `point[k] = -1` marks a text to right-align as a whole (nan, inf, -inf, and the
 * texts given in `strings` for some k, which stand there as they are).
 */
export interface FormattedNumbers {
  style: NumberStyle;
  texts: TextStore;
  point: Int32Array;
}

export function formatNumbers(values: ArrayLike<number>, precision: number, strings?: ReadonlyMap<number, string>): FormattedNumbers {
  checkPrecision(precision);
  const style = chooseStyle(values);
  const n = values.length;
  const texts = new TextStore(n);
  const point = new Int32Array(n);
  if (style === 'fixed') {
    for (let k = 0; k < n; k++) {
      const x = values[k];
      const given = strings?.get(k);
      const s = given ?? specialText(x) ?? fixedText(x, precision);
      texts.push(s);
      if (given !== undefined || x - x !== 0) point[k] = -1;
      else {
        const dot = s.indexOf('.');
        point[k] = dot === -1 ? s.length : dot;
      }
    }
    return { style, texts, point };
  }
  // Scientific: first at full precision, to learn the mantissa length and exponent width the
  // column needs, keeping none of those texts (kept, they would all outlive a garbage collection
  // only to be replaced); then each number at that mantissa length, its exponent padded. Rounding
  // to fewer digits gives the cut text, since the digits cut are zeros.
  let mantissaDigits = 0;
  let exponentDigits = 2;
  for (let k = 0; k < n; k++) {
    const x = values[k];
    if (x - x !== 0 || x === 0) continue;
    const s = x.toExponential(precision - 1);
    const e = s.indexOf('e');
    let end = e;
    while (s.charCodeAt(end - 1) === 48 /* 0 */) end--;
    // The point (when there are digits after it) follows the first digit and the sign.
    const digits = end - (x < 0 ? 3 : 2);
    if (digits > mantissaDigits) mantissaDigits = digits;
    if (s.length - e - 2 > exponentDigits) exponentDigits = s.length - e - 2;
  }
  const zeros = '0'.repeat(exponentDigits);
  for (let k = 0; k < n; k++) {
    const x = values[k];
    const given = strings?.get(k);
    const special = given ?? specialText(x);
    if (special !== undefined) {
      texts.push(special);
      point[k] = given !== undefined || x - x !== 0 ? -1 : special.length;
      continue;
    }
    const s = x.toExponential(mantissaDigits);
    const e = s.indexOf('e');
    const digits = s.length - e - 2;
    texts.push(digits === exponentDigits ? s : `${s.slice(0, e + 2)}${zeros.slice(digits)}${s.slice(e + 2)}`);
    point[k] = x < 0 ? 2 : 1; // the point, or the exponent's e
  }
  return { style, texts, point };
}

/**
 * How to pad each text so that the column lines up: texts with a point aligned on it, the others
 * (point −1) right-aligned, all of it right-aligned in a column of at least `minWidth`. Returns
 * the column's width and the spaces to put left and right of each text.
 */
export function alignNumbers(
  f: FormattedNumbers,
  minWidth: number,
  textWidth: (s: string) => number,
): { width: number; left: Int32Array; right: Int32Array } {
  const n = f.texts.size;
  let before = 0;
  let after = 0;
  let whole = 0;
  for (let k = 0; k < n; k++) {
    const p = f.point[k];
    if (p < 0) {
      const w = textWidth(f.texts.get(k));
      if (w > whole) whole = w;
    } else {
      if (p > before) before = p;
      const a = f.texts.length(k) - p;
      if (a > after) after = a;
    }
  }
  const width = Math.max(minWidth, before + after, whole);
  const left = new Int32Array(n);
  const right = new Int32Array(n);
  for (let k = 0; k < n; k++) {
    const p = f.point[k];
    if (p < 0) {
      left[k] = width - textWidth(f.texts.get(k));
    } else {
      left[k] = width - after - p;
      right[k] = after - (f.texts.length(k) - p);
    }
  }
  return { width, left, right };
}
