/**
 * How a result is laid out as tables, shared by the table and csv/tsv formatters: which
 * quantities stand side by side as columns (aligned with the input) and which are matrices.
 */
import type { Result } from '../compute';
import type { Tensor } from '../tensor';
import { sameShape } from '../tensor';

export interface ColumnsSection {
  kind: 'columns';
  title: string;
  /** index columns: ['i'] for a vector, ['row', 'i'] for a matrix, [] for a scalar. */
  indexHeaders: string[];
  index: (k: number) => number[];
  length: number;
  columns: { header: string; data: Float64Array }[];
}

export interface MatrixSection {
  kind: 'matrix';
  title: string;
  corner: string;
  rowLabels: string[];
  colLabels: string[];
  /** row-major, rowLabels.length × colLabels.length */
  data: Float64Array;
}

export type Section = ColumnsSection | MatrixSection;

function indexer(shape: number[]): { headers: string[]; index: (k: number) => number[] } {
  if (shape.length === 0) return { headers: [], index: () => [] };
  if (shape.length === 1) return { headers: ['i'], index: (k) => [k] };
  const n = shape[shape.length - 1];
  return { headers: ['row', 'i'], index: (k) => [Math.floor(k / n), k % n] };
}

export function columns(title: string, shape: number[], cols: { header: string; data: Float64Array }[]): ColumnsSection {
  const { headers, index } = indexer(shape);
  return { kind: 'columns', title, indexHeaders: headers, index, length: cols[0].data.length, columns: cols };
}

export function valueHeader(r: Result): string {
  if (r.fn.kind === 'loss') return r.value.shape.length === 0 ? `loss (${r.params.reduction})` : 'loss';
  return `${r.fn.name}(x)`;
}

export function gradHeader(r: Result): string {
  if (r.fn.kind === 'elementwise' && !r.gradOutput) return `${r.fn.name}'(x)`;
  if (r.fn.kind === 'loss') return r.params.reduction === 'none' ? '∂(Σ loss)/∂x' : '∂loss/∂x';
  if (r.fn.kind === 'vector' && r.fn.reducesRow && !r.gradOutput) return `∂${r.fn.name}/∂x`;
  return r.gradOutput ? 'grad (dy = --grad-output)' : 'grad (dy = 1)';
}

/** Columns that share the input's shape: x, the target (when it has that shape). */
function inputColumns(r: Result): { header: string; data: Float64Array }[] {
  const cols = [{ header: 'x', data: r.input.data }];
  if (r.target && sameShape(r.target.shape, r.input.shape)) cols.push({ header: 'target', data: r.target.data });
  return cols;
}

/** The sections of a value, grad and Jacobian, in that order. */
export function sections(r: Result): Section[] {
  const out: Section[] = [];
  const valueAligned = sameShape(r.value.shape, r.input.shape);
  if (valueAligned) {
    const cols = [...inputColumns(r), { header: valueHeader(r), data: r.value.data }];
    if (r.grad) cols.push({ header: gradHeader(r), data: r.grad.data });
    out.push(columns(r.grad ? 'value and derivative' : 'value', r.input.shape, cols));
  } else {
    const section = quantitySection('value', valueHeader(r), r.value);
    // One value per row of a batch (logsumexp, norm, losses with reduction none): index by row.
    if (section.kind === 'columns' && r.input.shape.length === 2 && r.value.shape.length === 1) section.indexHeaders = ['row'];
    out.push(section);
    if (r.grad) out.push(columns('gradient', r.input.shape, [...inputColumns(r), { header: gradHeader(r), data: r.grad.data }]));
  }
  if (r.jacobian) out.push(...jacobianSections(r.jacobian, r.input, r.value.shape.length === 0));
  return out;
}

/** A quantity that is not aligned with the input: a scalar, a vector or a matrix of its own. */
export function quantitySection(title: string, header: string, t: Tensor): Section {
  if (t.shape.length <= 1) return columns(title, t.shape, [{ header, data: t.data }]);
  const [m, n] = t.shape;
  return {
    kind: 'matrix',
    title: `${title}: ${header}`,
    corner: 'row',
    rowLabels: Array.from({ length: m }, (_, i) => String(i)),
    colLabels: Array.from({ length: n }, (_, j) => String(j)),
    data: t.data,
  };
}

/** One matrix per row of a batch: rows = outputs y_i, columns = inputs x_j. */
export function jacobianSections(J: Tensor, input: Tensor, scalarOutput: boolean): MatrixSection[] {
  const n = input.shape[input.shape.length - 1] ?? 1;
  const colLabels = Array.from({ length: n }, (_, j) => `x${j}`);
  const batch = input.shape.length >= 2;
  const perRowScalar = J.shape.length === (batch ? 2 : 1);
  if (J.shape.length === input.shape.length && perRowScalar) {
    // Scalar output per row (logsumexp, norm, a reduced loss): gradients, one line per row.
    const rows = batch ? J.shape[0] : 1;
    return [
      {
        kind: 'matrix',
        title: scalarOutput ? 'Jacobian of the scalar output (its gradient)' : 'Jacobian (one gradient per row)',
        corner: batch ? 'row' : '',
        rowLabels: batch ? Array.from({ length: rows }, (_, i) => String(i)) : ['∂y/∂x'],
        colLabels,
        data: J.data,
      },
    ];
  }
  const blocks = batch ? J.shape[0] : 1;
  const k = J.shape[J.shape.length - 2];
  const rowLabels = Array.from({ length: k }, (_, i) => `y${i}`);
  return Array.from({ length: blocks }, (_, b) => ({
    kind: 'matrix' as const,
    title: `Jacobian ∂y_i/∂x_j${batch ? ` of row ${b}` : ''} (rows: outputs, columns: inputs)`,
    corner: '',
    rowLabels,
    colLabels,
    data: J.data.subarray(b * k * n, (b + 1) * k * n),
  }));
}
