/**
 * A grid's cells laid out for the rows shown: texts, column widths and padding. Shared by the
 * terminal table (grid.ts) and Markdown (markdown.ts).
 */
import type { Grid, GridColumn } from './grid-model';
import { alignNumbers, checkPrecision, formatNumbers } from './numbers';
import { TextStore } from './text-store';
import { textWidth } from './text-width';

/** A column laid out for the rows shown. */
export interface LaidOutColumn {
  header: string;
  headerWidth: number;
  align: 'left' | 'right';
  /** Content width: the widest of the header and the padded cells. */
  width: number;
  /** Per shown row: the text and the spaces left and right of it (text + spaces = width). */
  texts: TextStore;
  left: Int32Array;
  right: Int32Array;
  /** Per shown row: 1 for nan, inf, -inf (coloured). */
  nonFinite: Uint8Array;
}

export interface LaidOutGrid {
  stub: LaidOutColumn[];
  columns: LaidOutColumn[];
}

/**
 * Formats the cells of the shown rows (`shown` k-th shown row → row index), each cell produced
 * once. `escape` is applied to every header, label and text cell before it is measured.
 */
export function layOut(grid: Grid, shownCount: number, shown: (k: number) => number, precision: number, escape: (s: string) => string): LaidOutGrid {
  checkPrecision(precision);
  const stub = grid.stub ? leftAligned(grid.stub.header.map(escape), shownCount, (k) => grid.stub?.labels(shown(k)) ?? [], escape) : [];
  const columns = grid.columns.map((column) => {
    const header = escape(column.header);
    if (column.kind === 'text') return leftAligned([header], shownCount, (k) => [String(column.cell(shown(k)))], escape)[0];
    return numbers(header, column, shownCount, shown, precision, escape);
  });
  return { stub, columns };
}

/** Left-aligned columns (stub labels, text), filled a row at a time: `row(k)` gives one text per header. */
function leftAligned(headers: string[], n: number, row: (k: number) => string[], escape: (s: string) => string): LaidOutColumn[] {
  const m = headers.length;
  const stores = headers.map(() => new TextStore(n));
  const widths = headers.map(() => new Int32Array(n));
  const max = headers.map(textWidth);
  for (let k = 0; k < n; k++) {
    const texts = row(k);
    for (let c = 0; c < m; c++) {
      const s = escape(texts[c] ?? '');
      const w = textWidth(s);
      stores[c].push(s);
      widths[c][k] = w;
      if (w > max[c]) max[c] = w;
    }
  }
  return headers.map((header, c) => {
    const right = new Int32Array(n);
    for (let k = 0; k < n; k++) right[k] = max[c] - widths[c][k];
    return { header, headerWidth: textWidth(header), align: 'left', width: max[c], texts: stores[c], left: new Int32Array(n), right, nonFinite: new Uint8Array(n) };
  });
}

function numbers(header: string, column: GridColumn, n: number, shown: (k: number) => number, precision: number, escape: (s: string) => string): LaidOutColumn {
  const values = new Float64Array(n);
  let strings: Map<number, string> | undefined;
  for (let k = 0; k < n; k++) {
    const v = column.cell(shown(k));
    if (typeof v === 'number') values[k] = v;
    else {
      // A text in a number column: NaN here so that it takes no part in the choice of style.
      values[k] = NaN;
      (strings ??= new Map()).set(k, escape(v));
    }
  }
  const f = formatNumbers(values, precision, strings);
  const nonFinite = new Uint8Array(n);
  for (let k = 0; k < n; k++) {
    const x = values[k];
    if (x - x !== 0 && !strings?.has(k)) nonFinite[k] = 1;
  }
  const headerWidth = textWidth(header);
  const { width, left, right } = alignNumbers(f, headerWidth, textWidth);
  return { header, headerWidth, align: 'right', width, texts: f.texts, left, right, nonFinite };
}

const SPACES: string[] = Array.from({ length: 128 }, (_, n) => ' '.repeat(n));

/** n spaces (n ≥ 0), from a table for the usual widths. */
export function spaces(n: number): string {
  return n < SPACES.length ? SPACES[n] : ' '.repeat(n);
}
