/**
 * csv / tsv: a header line of ASCII column names, then rows; numbers in shortest round-trip
 * precision. One table: the last requested quantity — as columns beside the input (index, x,
 * target, value, grad) when it has the input's shape, else as a matrix or a column of its own.
 */
import { type FunctionResult, type GradResult, lastQuantity } from '../result';
import { numel, sameShape, type Tensor } from '../tensor';
import { formatNumber } from './format';

/** CSV/TSV text from rows of cells: a cell holding the separator or a quote is quoted, quotes doubled. */
export function delimitedText(rows: readonly string[][], sep: ',' | '\t'): string {
  const quote = (c: string): string => (c.includes(sep) || c.includes('"') || c.includes('\n') ? `"${c.replace(/"/g, '""')}"` : c);
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

/** Columns of one shape, indexed by element. */
export function columnRows(shape: readonly number[], cols: { header: string; data: ArrayLike<number> }[], precision?: number): string[][] {
  const rows: string[][] = [[...indexHeaders(shape), ...cols.map((c) => c.header)]];
  const n = numel(shape);
  for (let k = 0; k < n; k++) rows.push([...indexCells(shape, k), ...cols.map((c) => formatNumber(c.data[k], precision))]);
  return rows;
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

export function functionDelimited(r: FunctionResult, sep: ',' | '\t', precision?: number): string {
  const q = lastQuantity(r);
  const input = r.input;
  if (q === 'hessian') return delimitedText(matrixRows(r.hessian!, 'input', xLabel(input.shape), xLabel(input.shape), precision), sep);
  if (q === 'jacobian') {
    const J = r.jacobian!;
    if (J.shape.length <= input.shape.length && sameShape(J.shape, input.shape)) return delimitedText(columnRows(input.shape, [{ header: 'x', data: input.data }, { header: 'grad', data: J.data }], precision), sep);
    return delimitedText(matrixRows(J, 'output', (i) => `y${i}`, (j) => `x${j}`, precision), sep);
  }
  const valueHeader = r.fn.kind === 'loss' ? 'loss' : asciiName(r.fn.name);
  const gradHeader = r.order !== undefined && r.order > 1 ? `grad_order_${r.order}` : 'grad';
  const cols: { header: string; data: ArrayLike<number> }[] = [{ header: 'x', data: input.data }];
  const t = r.params.target;
  if (t && typeof t === 'object' && 'data' in t && sameShape(t.shape, input.shape)) cols.push({ header: 'target', data: t.data });
  if (sameShape(r.value.shape, input.shape)) {
    cols.push({ header: valueHeader, data: r.value.data });
    if (r.grad) cols.push({ header: gradHeader, data: r.grad.data });
    if (r.jvp) cols.push({ header: 'jvp', data: r.jvp.data });
    if (r.hvp) cols.push({ header: 'hvp', data: r.hvp.data });
    return delimitedText(columnRows(input.shape, cols, precision), sep);
  }
  if (q === 'grad' || q === 'hvp') {
    if (r.grad) cols.push({ header: gradHeader, data: r.grad.data });
    if (r.hvp) cols.push({ header: 'hvp', data: r.hvp.data });
    return delimitedText(columnRows(input.shape, cols, precision), sep);
  }
  const own = q === 'jvp' ? r.jvp! : r.value;
  const rows = columnRows(own.shape, [{ header: q === 'jvp' ? 'jvp' : valueHeader, data: own.data }], precision);
  // One value per row of a batch: index by row.
  if (input.shape.length === 2 && own.shape.length === 1) rows[0][0] = 'row';
  return delimitedText(rows, sep);
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
