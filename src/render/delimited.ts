/**
 * csv / tsv: a header line of ASCII column names, then rows; numbers in shortest round-trip
 * precision. One table: the last requested quantity — as columns beside the input (index, x,
 * target, value, grad) when it has the input's shape, else as a matrix or a column of its own.
 */
import { type FunctionResult, type GradResult, lastQuantity, type ParamShown } from '../result';
import { numel, sameShape, type Tensor } from '../tensor';
import { formatNumber } from './format';
import type { ResultSink, StreamMeta } from './stream';
import { ByteWriter, DecimalCounter, NUMBER_CHARS, type WriteBytes } from './stream-text';

/** A cell as CSV/TSV writes it: quoted when it holds the separator, a quote or a new line, quotes doubled. */
const quoter = (sep: ',' | '\t') => (c: string): string => (c.includes(sep) || c.includes('"') || c.includes('\n') ? `"${c.replace(/"/g, '""')}"` : c);

/** CSV/TSV text from rows of cells. */
export function delimitedText(rows: readonly string[][], sep: ',' | '\t'): string {
  const quote = quoter(sep);
  return `${rows.map((row) => row.map(quote).join(sep)).join('\n')}\n`;
}

function indexHeaders(shape: readonly number[]): string[] {
  if (shape.length === 0) return [];
  if (shape.length === 1) return ['i'];
  if (shape.length === 2) return ['row', 'i'];
  return shape.map((_, d) => `d${d}`);
}

function indexCells(shape: readonly number[], k: number): string[] {
  const out = new Array<string>(shape.length);
  for (let d = shape.length - 1; d >= 0; d--) {
    out[d] = String(k % shape[d]);
    k = Math.floor(k / shape[d]);
  }
  return out;
}

/** A matrix (or blocks of matrices, with a leading block index) with labelled rows and columns. */
export function matrixRows(t: Tensor, corner: string, rowLabel: (i: number) => string, colLabel: (j: number) => string, precision?: number): string[][] {
  const [m, n] = t.shape.length >= 2 ? t.shape.slice(-2) : [1, t.shape[0] ?? 1];
  const blocks = t.shape.length > 2 ? numel(t.shape.slice(0, -2)) : 1;
  const rows: string[][] = [[...(blocks > 1 ? ['block'] : []), corner, ...Array.from({ length: n }, (_, j) => colLabel(j))]];
  for (let b = 0; b < blocks; b++) {
    for (let i = 0; i < m; i++) {
      const row = [...(blocks > 1 ? [String(b)] : []), rowLabel(i)];
      for (let j = 0; j < n; j++) row.push(formatNumber(t.data[(b * m + i) * n + j], precision));
      rows.push(row);
    }
  }
  return rows;
}

const asciiName = (name: string): string => name.replace(/-/g, '_');
const xLabel = (shape: readonly number[]) => (k: number): string => (shape.length <= 1 ? `x${k}` : `x[${indexCells(shape, k).join(',')}]`);

/** Named columns beside the index of a shape: x, target, value, grad, ... (each per element). */
interface ColumnsLayout {
  kind: 'columns';
  /** the index headers' names; 'row' first for one value per row of a batch */
  indexHeaders: string[];
  headers: string[];
  /** the tensor whose shape indexes the rows of a piece, and the columns' data */
  of(r: FunctionResult): { shape: readonly number[]; columns: ArrayLike<number>[] };
}

/** A matrix, or a matrix per block of a higher rank (a batch's Jacobians), with labelled rows and columns. */
interface MatrixLayout {
  kind: 'matrix';
  corner: string;
  rowLabel(i: number): string;
  colLabel(j: number): string;
  /** a leading block column (more than one matrix) */
  block: boolean;
  columns: number;
  of(r: FunctionResult): Tensor;
}

type Layout = ColumnsLayout | MatrixLayout;

const tensorData = (t: ParamShown | undefined): Tensor | undefined => (t && typeof t === 'object' && 'data' in t ? t : undefined);

/**
 * What a function's result is as one table, decided from its first piece: the last requested
 * quantity as columns beside the input (index, x, target, value, grad) when it has the input's
 * shape, else as a matrix (Jacobian, Hessian) or as a column of its own.
 */
function functionLayout(r: FunctionResult, streamed: boolean): Layout {
  const q = lastQuantity(r);
  const input = r.input;
  const matrix = (t: Tensor, corner: string, rowLabel: (i: number) => string, colLabel: (j: number) => string, of: (r: FunctionResult) => Tensor): MatrixLayout => {
    const blocks = t.shape.length > 2 ? numel(t.shape.slice(0, -2)) : 1;
    const columns = t.shape.length === 0 ? 1 : t.shape[t.shape.length - 1];
    return { kind: 'matrix', corner, rowLabel, colLabel, block: t.shape.length > 2 && (blocks > 1 || streamed), columns, of };
  };
  const columns = (headers: string[], of: (r: FunctionResult) => ArrayLike<number>[], shapeOf = (x: FunctionResult): readonly number[] => x.input.shape): ColumnsLayout => ({
    kind: 'columns',
    indexHeaders: indexHeaders(shapeOf(r)),
    headers,
    of: (x) => ({ shape: shapeOf(x), columns: of(x) }),
  });
  if (q === 'hessian') return matrix(r.hessian!, 'input', xLabel(input.shape), xLabel(input.shape), (x) => x.hessian!);
  if (q === 'jacobian') {
    const J = r.jacobian!;
    if (J.shape.length <= input.shape.length && sameShape(J.shape, input.shape)) return columns(['x', 'grad'], (x) => [x.input.data, x.jacobian!.data]);
    return matrix(J, 'output', (i) => `y${i}`, (j) => `x${j}`, (x) => x.jacobian!);
  }
  const valueHeader = r.fn.kind === 'loss' ? 'loss' : asciiName(r.fn.name);
  const gradHeader = r.order !== undefined && r.order > 1 ? `grad_order_${r.order}` : 'grad';
  const hasTarget = sameShape(tensorData(r.params.target)?.shape ?? [-1], input.shape);
  const inputColumns = (x: FunctionResult): ArrayLike<number>[] => (hasTarget ? [x.input.data, tensorData(x.params.target)!.data] : [x.input.data]);
  const heads = hasTarget ? ['x', 'target'] : ['x'];
  const present = (names: readonly ('grad' | 'jvp' | 'hvp')[]) => names.filter((n) => r[n] !== undefined);
  const header = (n: 'grad' | 'jvp' | 'hvp'): string => (n === 'grad' ? gradHeader : n);
  if (sameShape(r.value.shape, input.shape)) {
    const more = present(['grad', 'jvp', 'hvp']);
    return columns([...heads, valueHeader, ...more.map(header)], (x) => [...inputColumns(x), x.value.data, ...more.map((n) => x[n]!.data)]);
  }
  if (q === 'grad' || q === 'hvp') {
    const more = present(['grad', 'hvp']);
    return columns([...heads, ...more.map(header)], (x) => [...inputColumns(x), ...more.map((n) => x[n]!.data)]);
  }
  // A quantity of its own shape (a loss, logsumexp's value): a column indexed by its own shape.
  const own = (x: FunctionResult): Tensor => (q === 'jvp' ? x.jvp! : x.value);
  const layout = columns([q === 'jvp' ? 'jvp' : valueHeader], (x) => [own(x).data], (x) => own(x).shape);
  // One value per row of a batch: index by row.
  if (input.shape.length === 2 && own(r).shape.length === 1) layout.indexHeaders = ['row'];
  return layout;
}

/**
 * csv/tsv as a stream: the header line from the first piece, then each piece's rows as they come,
 * their indices continuing from the rows before (the first index, or a batch's block, counts on).
 */
export class DelimitedSink implements ResultSink {
  private layout: Layout | undefined;
  private streamed = false;
  private readonly out: ByteWriter;

  constructor(
    private readonly sep: ',' | '\t',
    private readonly precision: number | undefined,
    write: (text: string) => void,
    bytes?: WriteBytes,
  ) {
    this.out = new ByteWriter(write, bytes);
  }

  begin(meta: StreamMeta): void {
    this.streamed = meta.streamed;
  }

  chunk(r: FunctionResult, rowOffset: number): void {
    if (!this.layout) {
      this.layout = functionLayout(r, this.streamed);
      this.out.any(this.headerLine(this.layout));
    }
    if (this.layout.kind === 'columns') {
      const { shape, columns } = this.layout.of(r);
      this.writeColumns(shape, columns, rowOffset);
    } else {
      this.writeMatrix(this.layout, this.layout.of(r), rowOffset);
    }
  }

  end(): void {}

  abort(): void {}

  private headerLine(l: Layout): string {
    const cells = l.kind === 'columns' ? [...l.indexHeaders, ...l.headers] : [...(l.block ? ['block'] : []), l.corner, ...Array.from({ length: l.columns }, (_, j) => l.colLabel(j))];
    return delimitedText([cells], this.sep);
  }

  /** Rows of a piece of a column layout: the element's index (its first part offset by the rows before), then the numbers. */
  private writeColumns(shape: readonly number[], columns: ArrayLike<number>[], offset: number): void {
    const { precision } = this;
    const sep = this.sep.charCodeAt(0);
    const out = this.out;
    const n = numel(shape);
    const rank = shape.length;
    const width = rank === 2 ? shape[1] : 1;
    const m = columns.length;
    const lineChars = (m + Math.max(rank, 1)) * (NUMBER_CHARS + 1);
    const index = new DecimalCounter(offset);
    // A column of short decimals (the input as typed) is written by ByteWriter.shortDecimal, until
    // its first number that is not one; the others by formatNumber.
    const short = columns.map(() => precision === undefined);
    for (let k = 0; k < n; k++) {
      out.reserve(lineChars);
      if (rank === 1) {
        index.writeTo(out);
        index.increment();
      } else if (rank === 2) {
        out.text(String(offset + Math.floor(k / width)));
        out.char(sep);
        out.text(String(k % width));
      } else if (rank > 2) {
        const cells = indexCells(shape, k);
        cells[0] = String(Number(cells[0]) + offset);
        out.text(cells.join(this.sep));
      }
      for (let c = 0; c < m; c++) {
        if (rank > 0 || c > 0) out.char(sep);
        if (short[c] && out.shortDecimal(columns[c][k])) continue;
        short[c] = false;
        out.text(formatNumber(columns[c][k], precision));
      }
      out.char(10);
    }
    out.flush();
  }

  /** Rows of a piece of a matrix layout: per block (offset by the blocks before) or per row (offset by the rows before). */
  private writeMatrix(l: MatrixLayout, t: Tensor, offset: number): void {
    const [m, n] = t.shape.length >= 2 ? t.shape.slice(-2) : [1, t.shape[0] ?? 1];
    const blocks = t.shape.length > 2 ? numel(t.shape.slice(0, -2)) : 1;
    const rowOffset = t.shape.length === 2 ? offset : 0;
    const quote = quoter(this.sep);
    const sep = this.sep.charCodeAt(0);
    const out = this.out;
    for (let b = 0; b < blocks; b++) {
      for (let i = 0; i < m; i++) {
        if (l.block) {
          out.any(String(offset + b));
          out.any(this.sep);
        }
        out.any(quote(l.rowLabel(rowOffset + i)));
        for (let j = 0, at = (b * m + i) * n; j < n; j++) {
          out.reserve(NUMBER_CHARS + 2);
          out.char(sep);
          out.text(formatNumber(t.data[at + j], this.precision));
        }
        out.reserve(1);
        out.char(10);
      }
    }
    out.flush();
  }
}

/** One row per element of each name: name, index, its value, and the gradient (or Jacobian rows). */
export function gradDelimited(r: GradResult, sep: ',' | '\t', precision?: number): string {
  const at = new Map(r.at);
  if (r.hessian) {
    const { variables, matrix } = r.hessian;
    return delimitedText(matrixRows(matrix, 'variable', (i) => variables[i], (j) => variables[j], precision), sep);
  }
  if (r.jacobians) {
    const rows: string[][] = [['name', 'output', 'element', 'value', 'jacobian']];
    const outN = numel(r.value.shape);
    for (const [name, J] of r.jacobians) {
      const n = at.get(name)!.data.length;
      for (let i = 0; i < outN; i++) for (let j = 0; j < n; j++) rows.push([name, String(i), String(j), formatNumber(at.get(name)!.data[j], precision), formatNumber(J.data[i * n + j], precision)]);
    }
    return delimitedText(rows, sep);
  }
  const rows: string[][] = [['name', 'index', 'value', 'grad']];
  for (const [name, g] of r.grads ?? []) {
    const x = at.get(name)!;
    for (let k = 0; k < g.data.length; k++) rows.push([name, x.shape.length === 0 ? '' : indexCells(x.shape, k).join(','), formatNumber(x.data[k], precision), formatNumber(g.data[k], precision)]);
  }
  return delimitedText(rows, sep);
}
