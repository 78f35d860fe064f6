/**
 * The data model of one titled table, independent of what was computed. Cells are produced on
 * demand, by row index, so that a grid of 10⁶ rows costs nothing until it is rendered, and then
 * only the rows shown are asked for and formatted.
 */

/** Row-label columns, repeated in every column block: ['i'], ['row', 'i'], a Jacobian's [''] with y0, y1, … */
export interface GridStub {
  header: string[];
  /** The labels of row i, one per header; called only for the rows shown. */
  labels(i: number): string[];
}

export interface GridColumn {
  header: string;
  /** number: one number style per column, right-aligned on the decimal point; text: left-aligned. */
  kind: 'number' | 'text';
  /** Called only for the rows shown. A string in a number column is shown as it is, right-aligned. */
  cell(i: number): number | string;
}

/** One titled table, independent of what was computed; cells are produced on demand, by row index. */
export interface Grid {
  title: string;
  stub: GridStub | undefined;
  columns: GridColumn[];
  rows: number;
}

/** A number column over an array (a Float64Array, a subarray of a Jacobian, …). */
export function numberColumn(header: string, data: ArrayLike<number>): GridColumn {
  return { header, kind: 'number', cell: (i) => data[i] };
}

/**
 * A matrix (row-major, m × n) as a grid: one stub column of row labels (a Jacobian's y0, y1, …
 * under `corner`), one number column per matrix column.
 */
export function matrixGrid(
  title: string,
  matrix: { rows: number; columns: number; data: ArrayLike<number> },
  labels: { corner: string; row: (i: number) => string; column: (j: number) => string },
): Grid {
  const { rows, columns: n, data } = matrix;
  return {
    title,
    stub: { header: [labels.corner], labels: (i) => [labels.row(i)] },
    columns: Array.from({ length: n }, (_, j) => ({ header: labels.column(j), kind: 'number' as const, cell: (i: number) => data[i * n + j] })),
    rows,
  };
}
