/**
 * How results are laid out as tables (grids), shared by the table and markdown renderers: which
 * quantities stand side by side as columns (aligned with the input) and which are matrices of
 * their own (Jacobians, Hessians), one block per leading index for higher ranks.
 */
import type { FunctionResult, GradResult } from '../result';
import { numel, sameShape, type Tensor } from '../tensor';
import { type Grid, matrixGrid, numberColumn } from './grid-model';

/** The index of element k of a shape, as text labels: [i] or [row, i] or [a, b, c]. */
function indexStub(shape: readonly number[]): Grid['stub'] {
  if (shape.length === 0) return undefined;
  if (shape.length === 1) return { header: ['i'], labels: (k) => [String(k)] };
  if (shape.length === 2) {
    const n = shape[1];
    return { header: ['row', 'i'], labels: (k) => [String(Math.floor(k / n)), String(k % n)] };
  }
  const header = shape.map((_, d) => `d${d}`);
  return {
    header,
    labels: (k) => {
      const out = new Array<string>(shape.length);
      for (let d = shape.length - 1; d >= 0; d--) {
        out[d] = String(k % shape[d]);
        k = Math.floor(k / shape[d]);
      }
      return out;
    },
  };
}

/** Columns of the same shape side by side, indexed by element. */
export function columnsGrid(title: string, shape: readonly number[], cols: { header: string; data: ArrayLike<number> }[]): Grid {
  return { title, stub: indexStub(shape), columns: cols.map((c) => numberColumn(c.header, c.data)), rows: numel(shape) };
}

/** Element labels of a flattened tensor: x0, x1 for a vector, x[0,1] for a matrix, x for a scalar. */
export function elementLabel(name: string, shape: readonly number[]): (k: number) => string {
  if (shape.length === 0) return () => name;
  if (shape.length === 1) return (k) => `${name}${/^[a-z]$/i.test(name) ? '' : '_'}${k}`;
  return (k) => {
    const idx: number[] = [];
    for (let d = shape.length - 1; d >= 0; d--) {
      idx.unshift(k % shape[d]);
      k = Math.floor(k / shape[d]);
    }
    return `${name}[${idx.join(',')}]`;
  };
}

/**
 * A tensor of its own: a scalar or vector as one column, a matrix as a matrix, higher ranks as one
 * matrix block per leading index.
 */
export function tensorGrids(title: string, header: string, t: Tensor): Grid[] {
  if (t.shape.length <= 1) return [columnsGrid(title, t.shape, [{ header, data: t.data }])];
  const [m, n] = t.shape.slice(-2);
  const lead = t.shape.slice(0, -2);
  const blocks = numel(lead);
  const label = elementLabel('', lead);
  return Array.from({ length: blocks }, (_, b) =>
    matrixGrid(
      `${title}${lead.length ? ` [${label(b).replace(/^_?/, '').replace(/^\[|\]$/g, '')}]` : ''}: ${header}`,
      { rows: m, columns: n, data: t.data.subarray(b * m * n, (b + 1) * m * n) },
      { corner: 'row', row: String, column: String },
    ),
  );
}

export function valueHeader(r: FunctionResult): string {
  if (r.fn.kind === 'loss') return r.value.shape.length === 0 ? `loss (${r.params.reduction})` : 'loss';
  return `${r.fn.name}(x)`;
}

export function gradHeader(r: FunctionResult): string {
  if (r.order !== undefined && r.order > 1) return `${r.fn.name}${r.order <= 3 ? "'".repeat(r.order) : `^(${r.order})`}(x)`;
  if (r.fn.kind === 'elementwise' && !r.gradOutput) return `${r.fn.name}'(x)`;
  if (r.fn.kind === 'loss') return r.params.reduction === 'none' ? '∂(Σ loss)/∂x' : '∂loss/∂x';
  if (r.value.shape.length === 0 && !r.gradOutput) return `∂${r.fn.name}/∂x`;
  return r.gradOutput ? 'grad (dy = --grad-output)' : 'grad (dy = 1)';
}

/** Columns that share the input's shape: x, and the target when it has that shape. */
function inputColumns(r: FunctionResult): { header: string; data: ArrayLike<number> }[] {
  const cols: { header: string; data: ArrayLike<number> }[] = [{ header: 'x', data: r.input.data }];
  const t = r.params.target;
  if (t && typeof t === 'object' && 'data' in t && sameShape(t.shape, r.input.shape)) cols.push({ header: 'target', data: t.data });
  return cols;
}

/** One Jacobian matrix per row of a batch (rows = outputs y_i, columns = inputs x_j), or a dense one. */
function jacobianGrids(r: FunctionResult, J: Tensor): Grid[] {
  const input = r.input;
  const n = input.shape[input.shape.length - 1] ?? 1;
  const batch = input.shape.length >= 2;
  const colLabel = (j: number): string => `x${j}`;
  if (J.shape.length === (batch ? 2 : 1) && r.structure === 'rows') {
    // One number per row (logsumexp, norm): gradients, one line per row.
    const rows = batch ? J.shape[0] : 1;
    return [
      matrixGrid(
        'Jacobian (one gradient per row)',
        { rows, columns: n, data: J.data },
        { corner: batch ? 'row' : '', row: (i) => (batch ? String(i) : '∂y/∂x'), column: colLabel },
      ),
    ];
  }
  if (r.value.shape.length === 0) return [columnsGrid('Jacobian of the scalar output (its gradient)', input.shape, [...inputColumns(r).slice(0, 1), { header: '∂y/∂x', data: J.data }])];
  if (r.structure !== undefined) {
    const [k, w] = J.shape.slice(-2);
    const blocks = numel(J.shape.slice(0, -2));
    return Array.from({ length: blocks }, (_, b) =>
      matrixGrid(
        `Jacobian ∂y_i/∂x_j${batch ? ` of row ${b}` : ''} (rows: outputs, columns: inputs)`,
        { rows: k, columns: w, data: J.data.subarray(b * k * w, (b + 1) * k * w) },
        { corner: '', row: (i) => `y${i}`, column: colLabel },
      ),
    );
  }
  const [m, w] = J.shape;
  const rowLabel = elementLabel('y', r.value.shape);
  return [matrixGrid('Jacobian ∂y_i/∂x_j over the flattened output and input', { rows: m, columns: w, data: J.data }, { corner: '', row: rowLabel, column: elementLabel('x', input.shape) })];
}

/** The grids of a function result: value (and derivative), Jacobian, Hessian, HVP, JVP. */
export function functionGrids(r: FunctionResult): Grid[] {
  const out: Grid[] = [];
  const valueAligned = sameShape(r.value.shape, r.input.shape);
  if (valueAligned) {
    const cols = [...inputColumns(r), { header: valueHeader(r), data: r.value.data }];
    if (r.grad) cols.push({ header: gradHeader(r), data: r.grad.data });
    if (r.jvp) cols.push({ header: 'J·v (--jvp)', data: r.jvp.data });
    out.push(columnsGrid(r.grad ? 'value and derivative' : 'value', r.input.shape, cols));
  } else {
    const value = tensorGrids('value', valueHeader(r), r.value);
    // One value per row of a batch (logsumexp, norm, losses with reduction none): index by row.
    if (r.input.shape.length === 2 && r.value.shape.length === 1 && value[0].stub) value[0].stub.header = ['row'];
    out.push(...value);
    if (r.jvp) out.push(...tensorGrids('Jacobian-vector product', 'J·v', r.jvp));
    if (r.grad) out.push(columnsGrid('gradient', r.input.shape, [...inputColumns(r), { header: gradHeader(r), data: r.grad.data }]));
  }
  if (r.jacobian) out.push(...jacobianGrids(r, r.jacobian));
  if (r.hessian) {
    const n = r.hessian.shape[0];
    const label = elementLabel('x', r.input.shape);
    out.push(matrixGrid('Hessian ∂²s/∂x_i∂x_j over the flattened input (symmetric)', { rows: n, columns: n, data: r.hessian.data }, { corner: '', row: label, column: label }));
  }
  if (r.hvp) out.push(columnsGrid('Hessian-vector product', r.input.shape, [{ header: 'x', data: r.input.data }, { header: 'H·v', data: r.hvp.data }]));
  return out;
}

/** The grids of a grad result: the value, each gradient or Jacobian, the Hessian. */
export function gradGrids(r: GradResult): Grid[] {
  const out: Grid[] = [...tensorGrids('value', 'value', r.value)];
  for (const [name, g] of r.grads ?? []) {
    const x = r.at.find(([n]) => n === name)![1];
    const title = `gradient with respect to ${name}`;
    out.push(...(x.shape.length <= 1 ? [columnsGrid(title, x.shape, [{ header: name, data: x.data }, { header: `∂f/∂${name}`, data: g.data }])] : tensorGrids(title, `∂f/∂${name}`, g)));
  }
  for (const [name, J] of r.jacobians ?? []) {
    const x = r.at.find(([n]) => n === name)![1];
    const rows = numel(r.value.shape);
    const cols = numel(x.shape);
    out.push(
      matrixGrid(
        `Jacobian ∂f/∂${name} (rows: outputs, columns: elements of ${name})`,
        { rows, columns: cols, data: J.data },
        { corner: '', row: elementLabel('f', r.value.shape), column: elementLabel(name, x.shape) },
      ),
    );
  }
  if (r.hessian) {
    const { variables, matrix } = r.hessian;
    out.push(matrixGrid(`Hessian over ${r.hessian.wrt.join(', ')} (symmetric)`, { rows: variables.length, columns: variables.length, data: matrix.data }, { corner: '', row: (i) => variables[i], column: (j) => variables[j] }));
  }
  if (r.hvp) out.push(matrixGrid('Hessian-vector product', { rows: r.hvp.data.length, columns: 1, data: r.hvp.data }, { corner: '', row: (i) => r.hessian?.variables[i] ?? String(i), column: () => 'H·v' }));
  return out;
}
