/**
 * The terminal table: a Grid drawn in cli-table3's look (its border characters, its compact style:
 * a rule under the header and none between rows), fitted to the terminal's width by splitting the
 * columns into blocks, and cut to at most `maxRows` rows (head and tail around one marker line).
 *
 * Why the lines are drawn here and not by cli-table3's Table: its layout compares every cell with
 * every earlier row (layout-manager.js, fillInTable/conflictExists: quadratic in rows; 10⁵ rows
 * took 4 minutes), `Table.toString` spreads all rows into one `push.apply` call (a stack overflow
 * past about 10⁵ rows), and even cut into chunks of 100 rows with fixed colWidths and wordWrap off
 * it costs about 14 µs per cell (string-width builds an emoji regex on each of its several
 * measurements of a cell): 5.7 s for 10⁵ rows × 4 columns, against 0.2 s to print the same
 * numbers as plain text. Drawing the lines with the same `chars` (taken from cli-table3 itself)
 * keeps its look at a cost linear in the cells shown.
 */
import chalk from 'chalk';
import Table from 'cli-table3';
import { type LaidOutColumn, layOut, spaces } from './cells';
import type { Grid } from './grid-model';
import { textWidth } from './text-width';

export { type Grid, type GridColumn, type GridStub, matrixGrid, numberColumn } from './grid-model';

export interface GridRenderOptions {
  /** Terminal columns; Infinity when not limited. */
  width: number;
  /** At most this many rows are shown (default 40); Infinity for --rows all. */
  maxRows: number;
  /** Significant digits (default 6). */
  precision: number;
  color: boolean;
  /** false: ASCII box drawing (+ - |) and ASCII marker text, for non-UTF-8 locales. */
  unicode: boolean;
  /**
   * How to see the hidden rows, said beside the count of them; '' for nothing. The renderer
   * knows no flag: the default is the contract's wording, and the caller may word it otherwise
   * (the REPL, the library).
   */
  hint: string;
}

export const DEFAULT_GRID_OPTIONS: Readonly<GridRenderOptions> = {
  width: Infinity,
  maxRows: 40,
  precision: 6,
  color: false,
  unicode: true,
  hint: '--rows all shows every row',
};

type BorderChars = Table.TableInstanceOptions['chars'];

/** cli-table3's own default border set, read from the library so that the look stays its look. */
const UNICODE_CHARS: Readonly<BorderChars> = { ...new Table().options.chars };

const ASCII_CHARS: Readonly<BorderChars> = {
  top: '-',
  'top-mid': '+',
  'top-left': '+',
  'top-right': '+',
  bottom: '-',
  'bottom-mid': '+',
  'bottom-left': '+',
  'bottom-right': '+',
  left: '|',
  'left-mid': '+',
  mid: '-',
  'mid-mid': '+',
  right: '|',
  'right-mid': '+',
  middle: '|',
};

/** Which rows are shown: the first `head` rows and the last `tail`, `hidden` rows between them. */
export function rowWindow(rows: number, maxRows: number): { head: number; tail: number; hidden: number } {
  if (rows <= maxRows) return { head: rows, tail: 0, hidden: 0 };
  const head = Math.ceil(maxRows / 2);
  const tail = Math.floor(maxRows / 2);
  return { head, tail, hidden: rows - head - tail };
}

/**
 * Column blocks [start, end) over the grid's columns, each as wide as fits in `width` with the
 * stub repeated; a block holds at least one column, so a column wider than the terminal is still
 * shown, alone.
 */
export function splitColumns(stubWidths: number[], columnWidths: number[], width: number): [number, number][] {
  // As tableWidth: 1 for the left border, then per column its content, 2 of padding and 1 border.
  const fixed = stubWidths.reduce((sum, w) => sum + w + 3, 1);
  const blocks: [number, number][] = [];
  let start = 0;
  let used = fixed;
  for (let j = 0; j < columnWidths.length; j++) {
    const w = columnWidths[j] + 3;
    if (j > start && used + w > width) {
      blocks.push([start, j]);
      start = j;
      used = fixed;
    }
    used += w;
  }
  blocks.push([start, columnWidths.length]);
  return blocks;
}

function checkOptions(o: GridRenderOptions): void {
  if (!(o.width > 0)) throw new RangeError(`width must be a positive number of columns or Infinity, not ${o.width}`);
  if (!(o.maxRows >= 0) || (o.maxRows !== Infinity && !Number.isInteger(o.maxRows))) {
    throw new RangeError(`maxRows must be a whole number ≥ 0 or Infinity, not ${o.maxRows}`);
  }
}

/** Lines per piece of a long table (see drawBlock). */
const ROWS_PER_CHUNK = 2048;

const identity = (s: string): string => s;

/** The grid as lines of text, ending with a newline; no line ends with a space. */
export function renderGrid(grid: Grid, options: Partial<GridRenderOptions> = {}): string {
  const o: GridRenderOptions = { ...DEFAULT_GRID_OPTIONS, ...options };
  checkOptions(o);
  const ink = new chalk.Instance({ level: o.color ? 1 : 0 });
  const chars = o.unicode ? UNICODE_CHARS : ASCII_CHARS;
  const { head, tail, hidden } = rowWindow(grid.rows, o.maxRows);
  const shownCount = head + tail;
  const tailStart = grid.rows - shownCount;
  const laid = layOut(grid, shownCount, (k) => (k < head ? k : tailStart + k), o.precision, identity);

  const blocks = splitColumns(
    laid.stub.map((c) => c.width),
    laid.columns.map((c) => c.width),
    o.width,
  );
  const blockColumns = blocks.map(([start, end]) => [...laid.stub, ...laid.columns.slice(start, end)]);
  // The marker row spans a block, between its outer borders. With the hint when that fits in
  // every block as it is; otherwise the hint goes to the title line and the marker is short
  // (rather than a column widened to make room for it).
  const long = markerText(hidden, o.unicode, o.hint);
  const withHint = hidden > 0 && (!o.hint || blockColumns.every((columns) => textWidth(long) <= tableWidth(columns) - 4));
  const marker = hidden === 0 ? '' : withHint ? long : markerText(hidden, o.unicode, '');

  const lines: string[] = [];
  const title = grid.title.trimEnd();
  const count = hidden === 0 ? '' : withHint ? `(${grid.rows} rows)` : `(${grid.rows} rows; ${o.hint})`;
  if (title || count) lines.push([title && ink.bold(title), count && ink.dim(count)].filter(Boolean).join(' '));
  if (laid.stub.length === 0 && laid.columns.length === 0) return `${lines.join('\n')}\n`;

  const n = laid.columns.length;
  const dash = o.unicode ? '–' : '-';
  blocks.forEach(([start, end], b) => {
    if (b > 0) lines.push('');
    if (blocks.length > 1) lines.push(ink.dim(end - start === 1 ? `column ${start} of ${n}` : `columns ${start}${dash}${end - 1} of ${n}`));
    drawBlock(lines, blockColumns[b], laid.stub.length, { head, marker }, o.color, chars, ink);
  });
  lines.push('');
  return lines.join('\n');
}

/** A table's width: 1 for the left border, then per column its content, 2 of padding and 1 border. */
function tableWidth(columns: LaidOutColumn[]): number {
  return columns.reduce((sum, c) => sum + c.width + 3, 1);
}

/** The line between head and tail: `… N more rows`, and the hint when given. */
function markerText(hidden: number, unicode: boolean, hint: string): string {
  const rows = `${unicode ? '…' : '...'} ${hidden} more ${hidden === 1 ? 'row' : 'rows'}`;
  return hint ? `${rows} (${hint})` : rows;
}

function drawBlock(
  lines: string[],
  columns: LaidOutColumn[],
  stubCount: number,
  window: { head: number; marker: string },
  color: boolean,
  chars: Readonly<BorderChars>,
  ink: chalk.Chalk,
): void {
  const last = columns.length - 1;
  const { head, marker } = window;
  // A block narrower than the short marker (one narrow column) gets its last column widened.
  const extra = Math.max(0, textWidth(marker) - (tableWidth(columns) - 4));
  const widths = columns.map((c, k) => c.width + (k === last ? extra : 0));
  const inner = widths.reduce((sum, w) => sum + w + 3, -3);
  const rule = (fill: string, left: string, join: string, right: string): string => left + widths.map((w) => fill.repeat(w + 2)).join(join) + right;
  const markerLine = `${chars.left} ${ink.dim(marker)}${spaces(inner - textWidth(marker))} ${chars.right}`;

  lines.push(rule(chars.top, chars['top-left'], chars['top-mid'], chars['top-right']));
  let header = chars.left;
  columns.forEach((c, k) => {
    const pad = spaces(widths[k] - c.headerWidth);
    const text = ink.bold.cyan(c.header);
    header += ` ${c.align === 'right' ? pad + text : text + pad} ${k === last ? chars.right : chars.middle}`;
  });
  lines.push(header);
  lines.push(rule(chars.mid, chars['left-mid'], chars['mid-mid'], chars['right-mid']));

  // Per column, how a cell is written: stub labels dim, nan/inf yellow, all else as it is.
  const paint = columns.map((c, k) => {
    if (!color) return undefined;
    if (k < stubCount) return (_row: number, s: string) => ink.dim(s);
    return (row: number, s: string) => (c.nonFinite[row] ? ink.yellow(s) : s);
  });
  const seps = columns.map((_, k) => ` ${k === last ? chars.right : chars.middle}`);
  const extraLeft = columns.map((c, k) => (k === last && c.align === 'right' ? extra : 0));
  const extraRight = columns.map((c, k) => (k === last && c.align === 'left' ? extra : 0));
  const shown = columns[0].texts.size;
  // Each line is joined from its pieces at once (concatenating them one by one builds a tree of
  // partial strings per line), and lines are joined in chunks, so that a long table is a few long
  // strings rather than one string per row kept alive to the end (see text-store.ts).
  const parts = new Array<string>(4 * columns.length + 1);
  parts[0] = chars.left;
  let chunk: string[] = [];
  for (let row = 0; row < shown; row++) {
    if (row === head && marker) chunk.push(markerLine);
    for (let k = 0, at = 1; k <= last; k++, at += 4) {
      const c = columns[k];
      const p = paint[k];
      parts[at] = spaces(c.left[row] + extraLeft[k] + 1);
      const text = c.texts.get(row);
      parts[at + 1] = p ? p(row, text) : text;
      parts[at + 2] = spaces(c.right[row] + extraRight[k]);
      parts[at + 3] = seps[k];
    }
    chunk.push(parts.join(''));
    if (chunk.length >= ROWS_PER_CHUNK) {
      lines.push(chunk.join('\n'));
      chunk = [];
    }
  }
  if (chunk.length) lines.push(chunk.join('\n'));
  // maxRows 0 or 1: no tail row comes after the marker.
  if (shown === head && marker) lines.push(markerLine);
  lines.push(rule(chars.bottom, chars['bottom-left'], chars['bottom-mid'], chars['bottom-right']));
}
