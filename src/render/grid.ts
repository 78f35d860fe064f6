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
import { ByteWriter } from './stream-text';
import { asciiText } from './ascii';
import { textWidth } from './text-width';

export { asciiText };

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

/** The same border set in ASCII (+ - |), for locales that are not UTF-8. */
export const ASCII_CHARS: Readonly<BorderChars> = {
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

const identity = (s: string): string => s;

/**
 * Text broken at spaces into lines of at most `width` columns, the lines after the first indented
 * (a word longer than that stays whole).
 */
export function wrapText(text: string, width: number): string {
  if (!(width < Infinity) || textWidth(text) <= width) return text;
  const indent = '    ';
  const lines: string[] = [];
  let line = '';
  // Words and the runs of spaces between them ("softmax  ≙  torch.softmax" breaks at either run,
  // and keeps both spaces where it does not break).
  const parts = text.split(/(?<=\S)( +)(?=\S)/);
  for (let k = 0; k < parts.length; k += 2) {
    const word = parts[k];
    const next = line ? `${line}${parts[k - 1]}${word}` : lines.length ? indent + word : word;
    if (line && textWidth(next) > width) {
      lines.push(line);
      line = indent + word;
    } else line = next;
  }
  lines.push(line);
  return lines.join('\n');
}

/** The grid as lines of text, ending with a newline; no line ends with a space. */
export function renderGrid(grid: Grid, options: Partial<GridRenderOptions> = {}): string {
  const out: string[] = [];
  const writer = new ByteWriter((s) => out.push(s));
  writeGrid(grid, options, writer);
  writer.flush();
  return out.length ? out.join('') : '\n';
}

/**
 * renderGrid's text, into a byte writer: each row's cells are copied into it with their padding
 * left as the spaces it holds, so that no string is made per cell or per line (those were most
 * of the time and of the garbage of `--rows all`).
 */
export function writeGrid(grid: Grid, options: Partial<GridRenderOptions>, out: ByteWriter): void {
  const o: GridRenderOptions = { ...DEFAULT_GRID_OPTIONS, ...options };
  checkOptions(o);
  const ink = new chalk.Instance({ level: o.color ? 1 : 0 });
  const chars = o.unicode ? UNICODE_CHARS : ASCII_CHARS;
  const { head, tail, hidden } = rowWindow(grid.rows, o.maxRows);
  const shownCount = head + tail;
  const tailStart = grid.rows - shownCount;
  const text = o.unicode ? identity : asciiText;
  const laid = layOut(grid, shownCount, (k) => (k < head ? k : tailStart + k), o.precision, text);

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

  const lines = lineWriter(out);
  const title = text(grid.title.trimEnd());
  const count = hidden === 0 ? '' : withHint ? `(${grid.rows} rows)` : `(${grid.rows} rows; ${o.hint})`;
  const heading = [title, count].filter(Boolean).join(' ');
  if (heading && textWidth(heading) <= o.width) lines.line([title && ink.bold(title), count && ink.dim(count)].filter(Boolean).join(' '));
  else if (heading) for (const l of wrapText(heading, o.width).split('\n')) lines.line(ink.bold(l));
  if (laid.stub.length > 0 || laid.columns.length > 0) {
    const n = laid.columns.length;
    const dash = o.unicode ? '–' : '-';
    blocks.forEach(([start, end], b) => {
      if (b > 0) lines.line('');
      if (blocks.length > 1) lines.line(ink.dim(end - start === 1 ? `column ${start} of ${n}` : `columns ${start}${dash}${end - 1} of ${n}`));
      drawBlock(out, blockColumns[b], laid.stub.length, { head, marker }, o.color, chars, ink);
    });
  }
}

/** Whole lines of text, each ended by a newline. */
const lineWriter = (out: ByteWriter) => ({
  line(text: string): void {
    out.any(text);
    out.reserve(1);
    out.char(10);
  },
});

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
  out: ByteWriter,
  columns: LaidOutColumn[],
  stubCount: number,
  window: { head: number; marker: string },
  color: boolean,
  chars: Readonly<BorderChars>,
  ink: chalk.Chalk,
): void {
  const { line } = lineWriter(out);
  const last = columns.length - 1;
  const { head, marker } = window;
  // A block narrower than the short marker (one narrow column) gets its last column widened.
  const extra = Math.max(0, textWidth(marker) - (tableWidth(columns) - 4));
  const widths = columns.map((c, k) => c.width + (k === last ? extra : 0));
  const inner = widths.reduce((sum, w) => sum + w + 3, -3);
  const rule = (fill: string, left: string, join: string, right: string): string => left + widths.map((w) => fill.repeat(w + 2)).join(join) + right;
  const markerLine = `${chars.left} ${ink.dim(marker)}${spaces(inner - textWidth(marker))} ${chars.right}`;

  line(rule(chars.top, chars['top-left'], chars['top-mid'], chars['top-right']));
  let header = chars.left;
  columns.forEach((c, k) => {
    const pad = spaces(widths[k] - c.headerWidth);
    const text = ink.bold.cyan(c.header);
    header += ` ${c.align === 'right' ? pad + text : text + pad} ${k === last ? chars.right : chars.middle}`;
  });
  line(header);
  line(rule(chars.mid, chars['left-mid'], chars['mid-mid'], chars['right-mid']));

  // Per column, the escape codes around a cell: stub labels dim, nan/inf yellow, the rest none.
  const [dimOpen, dimClose] = color ? ink.dim('\0').split('\0') : ['', ''];
  const [yellowOpen, yellowClose] = color ? ink.yellow('\0').split('\0') : ['', ''];
  const seps = columns.map((_, k) => Buffer.from(` ${k === last ? chars.right : chars.middle}`));
  const leftBorder = Buffer.from(chars.left);
  const lefts = columns.map((c, k) => (k === last && c.align === 'right' && extra ? c.left.map((v) => v + extra) : c.left));
  const rights = columns.map((c, k) => (k === last && c.align === 'left' && extra ? c.right.map((v) => v + extra) : c.right));
  // The most bytes a row takes: each cell's padding and text (3 bytes per UTF-16 unit at most),
  // its separator and escape codes, the newline.
  let rowBytes = leftBorder.length + 1;
  columns.forEach((c, k) => {
    let most = 0;
    for (let row = 0; row < c.texts.size; row++) most = Math.max(most, lefts[k][row] + 3 * c.texts.length(row) + rights[k][row]);
    rowBytes += most + 1 + seps[k].length + Math.max(dimOpen.length + dimClose.length, yellowOpen.length + yellowClose.length);
  });
  const shown = columns[0].texts.size;
  for (let row = 0; row < shown; row++) {
    if (row === head && marker) line(markerLine);
    out.reserve(rowBytes);
    out.raw(leftBorder);
    for (let k = 0; k <= last; k++) {
      const c = columns[k];
      out.skip(lefts[k][row] + 1);
      if (!color) c.texts.writeTo(row, out);
      else {
        const stub = k < stubCount;
        const painted = stub || c.nonFinite[row] === 1;
        if (painted) out.text(stub ? dimOpen : yellowOpen);
        c.texts.writeTo(row, out);
        if (painted) out.text(stub ? dimClose : yellowClose);
      }
      out.skip(rights[k][row]);
      out.raw(seps[k]);
    }
    out.char(10);
  }
  // maxRows 0 or 1: no tail row comes after the marker.
  if (shown === head && marker) line(markerLine);
  line(rule(chars.bottom, chars['bottom-left'], chars['bottom-mid'], chars['bottom-right']));
}
