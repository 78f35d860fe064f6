/**
 * The operations of the expression language that are not actgrad functions: arithmetic with
 * broadcasting, the matrix product, indexing and reductions. Each builds a Var whose edges carry
 * the vector-Jacobian product, written next to the forward computation.
 */
import { describeShape, numel, type Tensor } from '../tensor';
import { Var } from './graph';

/** A shape problem, reported by the evaluator with the operator's column. */
export class ShapeError extends Error {}

function broadcastShape(a: number[], b: number[], op: string): number[] {
  const n = Math.max(a.length, b.length);
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const da = a[a.length - n + i] ?? 1;
    const db = b[b.length - n + i] ?? 1;
    if (da !== db && da !== 1 && db !== 1) {
      throw new ShapeError(`"${op}" needs shapes that broadcast (equal, or one of them a scalar): ${describeShape(a)} and ${describeShape(b)}`);
    }
    out.push(Math.max(da, db));
  }
  return out;
}

/** For each element of `shape`, the flat index of the element of `from` that broadcasts to it. */
function broadcastIndex(from: number[], shape: number[]): Int32Array {
  const total = numel(shape);
  const idx = new Int32Array(total);
  const offset = shape.length - from.length;
  for (let k = 0; k < total; k++) {
    let rem = k;
    let src = 0;
    let stride = 1;
    for (let d = shape.length - 1; d >= 0; d--) {
      const coord = rem % shape[d];
      rem = Math.floor(rem / shape[d]);
      const fd = d - offset;
      if (fd >= 0) {
        if (from[fd] !== 1) src += coord * stride;
        stride *= from[fd];
      }
    }
    idx[k] = src;
  }
  return idx;
}

/** Sums a gradient of the broadcast shape back onto the operand's shape. */
function reduceTo(g: Float64Array, index: Int32Array, shape: number[]): Tensor {
  const out = new Float64Array(numel(shape));
  for (let k = 0; k < g.length; k++) out[index[k]] += g[k];
  return { shape, data: out };
}

type Local = (a: number, b: number, y: number) => number;
type Rule = (G: string, inputs: string[]) => string;

/** An elementwise binary operation with broadcasting; da/db are ∂y/∂a and ∂y/∂b, ra/rb their rules. */
function binary(op: string, a: Var, b: Var, f: (a: number, b: number) => number, da: Local, db: Local, ra: Rule, rb: Rule): Var {
  const shape = broadcastShape(a.value.shape, b.value.shape, op);
  const ia = broadcastIndex(a.value.shape, shape);
  const ib = broadcastIndex(b.value.shape, shape);
  const A = a.value.data;
  const B = b.value.data;
  const y = new Float64Array(numel(shape));
  for (let k = 0; k < y.length; k++) y[k] = f(A[ia[k]], B[ib[k]]);
  const local = (d: Local, index: Int32Array, target: number[]) => (g: Tensor): Tensor => {
    const out = new Float64Array(g.data.length);
    for (let k = 0; k < out.length; k++) out[k] = g.data[k] === 0 ? 0 : g.data[k] * d(A[ia[k]], B[ib[k]], y[k]);
    return reduceTo(out, index, target);
  };
  return new Var({ shape, data: y }, [
    { from: a, vjp: local(da, ia, a.value.shape), rule: ra },
    { from: b, vjp: local(db, ib, b.value.shape), rule: rb },
  ], undefined, op);
}

const times = (G: string, factor: string): string => `${G} · ${factor}`;

export const add = (a: Var, b: Var): Var => binary('+', a, b, (x, y) => x + y, () => 1, () => 1, (G) => times(G, '1'), (G) => times(G, '1'));
export const sub = (a: Var, b: Var): Var => binary('-', a, b, (x, y) => x - y, () => 1, () => -1, (G) => times(G, '1'), (G) => times(G, '(-1)'));
export const mul = (a: Var, b: Var): Var =>
  binary('*', a, b, (x, y) => x * y, (_x, y) => y, (x) => x, (G, [, y]) => times(G, y), (G, [x]) => times(G, x));
export const div = (a: Var, b: Var): Var =>
  binary('/', a, b, (x, y) => x / y, (_x, y) => 1 / y, (x, y) => -x / (y * y), (G, [, y]) => times(G, `1/${y}`), (G, [x, y]) => times(G, `(-${x}/${y}²)`));

/**
 * a^b, with PyTorch's pow_backward conventions: ∂/∂a = b·a^(b-1), 0 where b = 0;
 * ∂/∂b = a^b·log a, 0 where a = 0 and b ≥ 0.
 */
export const pow = (a: Var, b: Var): Var =>
  binary(
    '^',
    a,
    b,
    (x, e) => x ** e,
    (x, e) => (e === 0 ? 0 : e * x ** (e - 1)),
    (x, e, y) => (x === 0 && e >= 0 ? 0 : y * Math.log(x)),
    (G, [x, e]) => times(G, `${e}·${x}^(${e} - 1)`),
    (G, [x, e]) => times(G, `${x}^${e}·log ${x}`),
  );

export function neg(a: Var): Var {
  return new Var(
    { shape: a.value.shape, data: a.value.data.map((v) => -v) },
    [{ from: a, vjp: (g) => ({ shape: g.shape, data: g.data.map((v) => -v) }), rule: (G) => times(G, '(-1)') }],
    undefined,
    'neg',
  );
}

/**
 * The matrix product: vector·vector (a scalar), matrix@vector, vector@matrix, matrix@matrix.
 * Sums run in index order, like a plain BLAS loop.
 */
export function matmul(a: Var, b: Var, op = '@'): Var {
  const A = a.value;
  const B = b.value;
  const ra = A.shape.length;
  const rb = B.shape.length;
  if (ra === 0 || rb === 0 || ra > 2 || rb > 2) {
    throw new ShapeError(`"${op}" multiplies vectors and matrices, not ${describeShape(A.shape)} and ${describeShape(B.shape)} (use * for a scalar)`);
  }
  // View both as matrices: a vector on the left is a row, on the right a column.
  const [m, k] = ra === 1 ? [1, A.shape[0]] : A.shape;
  const [k2, n] = rb === 1 ? [B.shape[0], 1] : B.shape;
  if (k !== k2) {
    throw new ShapeError(`"${op}" cannot multiply ${describeShape(A.shape)} by ${describeShape(B.shape)}: inner dimensions ${k} and ${k2} differ`);
  }
  const y = new Float64Array(m * n);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let t = 0; t < k; t++) s += A.data[i * k + t] * B.data[t * n + j];
      y[i * n + j] = s;
    }
  }
  const shape = [...(ra === 2 ? [m] : []), ...(rb === 2 ? [n] : [])];
  return new Var({ shape, data: y }, [
    {
      from: a,
      // dA = G·Bᵀ
      vjp: (g) => {
        const dA = new Float64Array(m * k);
        for (let i = 0; i < m; i++) for (let t = 0; t < k; t++) {
          let s = 0;
          for (let j = 0; j < n; j++) s += g.data[i * n + j] * B.data[t * n + j];
          dA[i * k + t] = s;
        }
        return { shape: A.shape, data: dA };
      },
      rule: (G, [, b2]) => (rb === 1 && ra === 2 ? `${G} ⊗ ${b2}` : ra === 1 && rb === 1 ? times(G, b2) : `${G} · ${b2}ᵀ`),
    },
    {
      from: b,
      // dB = Aᵀ·G
      vjp: (g) => {
        const dB = new Float64Array(k * n);
        for (let t = 0; t < k; t++) for (let j = 0; j < n; j++) {
          let s = 0;
          for (let i = 0; i < m; i++) s += A.data[i * k + t] * g.data[i * n + j];
          dB[t * n + j] = s;
        }
        return { shape: B.shape, data: dB };
      },
      rule: (G, [a2]) => (ra === 1 && rb === 1 ? times(G, a2) : ra === 1 ? `${a2} ⊗ ${G}` : `${a2}ᵀ · ${G}`),
    },
  ], undefined, op);
}

/** v[i] of a vector (a scalar) or W[i] of a matrix (its row i); negative i counts from the end. */
export function index(a: Var, i: number): Var {
  const shape = a.value.shape;
  if (shape.length === 0) throw new ShapeError('a scalar cannot be indexed');
  const size = shape[0];
  if (!Number.isInteger(i) || i < -size || i >= size) {
    throw new ShapeError(`index ${i} is out of range for shape ${describeShape(shape)}: valid indices are 0 to ${size - 1} (or -${size} to -1)`);
  }
  const row = i < 0 ? i + size : i;
  const width = numel(shape.slice(1));
  const data = a.value.data.slice(row * width, (row + 1) * width);
  return new Var({ shape: shape.slice(1), data }, [
    {
      from: a,
      vjp: (g) => {
        const out = new Float64Array(a.value.data.length);
        out.set(g.data, row * width);
        return { shape, data: out };
      },
      rule: (G) => `${G} placed at [${row}]`,
    },
  ], undefined, `[${row}]`);
}

export function sum(a: Var): Var {
  let s = 0;
  for (const v of a.value.data) s += v;
  return new Var(
    { shape: [], data: Float64Array.of(s) },
    [{ from: a, vjp: (g) => ({ shape: a.value.shape, data: new Float64Array(a.value.data.length).fill(g.data[0]) }), rule: (G) => `${G} · 1 (every element)` }],
    undefined,
    'sum',
  );
}

export function mean(a: Var): Var {
  const n = a.value.data.length;
  let s = 0;
  for (const v of a.value.data) s += v;
  return new Var(
    { shape: [], data: Float64Array.of(s / n) },
    [{ from: a, vjp: (g) => ({ shape: a.value.shape, data: new Float64Array(n).fill(g.data[0] / n) }), rule: (G) => `${G} / ${n} (every element)` }],
    undefined,
    'mean',
  );
}
